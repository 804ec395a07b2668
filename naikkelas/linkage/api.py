"""/api/v1/duplicates/: the duplicate queue for other systems, read only, scoped like the pages.

Only names, ids and kecamatan of the two enterprises are given (no NIK or phone), so nothing
needs masking; decisions are taken on the web pages.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.filters import OrderingFilter

from naikkelas.core.api import ApiSchema, EditorOrReadOnly, KeysetPagination, UserFilterBackend
from naikkelas.enterprises.models import Enterprise
from naikkelas.linkage.filters import DuplicateCandidateFilter
from naikkelas.linkage.models import DuplicateCandidate


class PairMemberSerializer(serializers.ModelSerializer):
    kecamatan = serializers.CharField(source="kecamatan_id", read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "kecamatan"]


class DuplicateCandidateSerializer(serializers.ModelSerializer):
    enterprise_a = PairMemberSerializer(read_only=True)
    enterprise_b = PairMemberSerializer(read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = ["id", "enterprise_a", "enterprise_b", "score", "agreed", "status",
                  "decided_by", "decided_at", "found_at"]


@extend_schema_view(
    list=extend_schema(summary=_("Duplicate candidates in your wilayah")),
    retrieve=extend_schema(summary=_("One duplicate candidate")),
)
class DuplicateCandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                viewsets.GenericViewSet):
    """Pairs of enterprises that may be one, with their score and what agreed."""

    schema = ApiSchema()
    serializer_class = DuplicateCandidateSerializer
    permission_classes = [EditorOrReadOnly]
    filter_backends = [UserFilterBackend, OrderingFilter]
    filterset_class = DuplicateCandidateFilter
    ordering_fields = ["id"]
    ordering = ["id"]
    pagination_class = KeysetPagination
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet:
        return (DuplicateCandidate.objects.visible_to(self.request.user).live()
                .select_related("enterprise_a", "enterprise_b", "decided_by"))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)
