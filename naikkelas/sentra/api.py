"""/api/v1/sentra/: sentra under the same rules as the pages (scope, masking), read only."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter

from naikkelas.core.api import (
    ID_PATTERN, ApiSchema, KeysetPagination, NaturalKeyLookup, UserFilterBackend,
)
from naikkelas.sentra.filters import SentraFilter
from naikkelas.sentra.models import Sentra, SentraMember, SentraSupport
from naikkelas.sentra.serializers import SentraSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Sentra in your wilayah")),
    retrieve=extend_schema(summary=_("One sentra with its members, officers, facilities and "
                                     "support")),
)
class SentraViewSet(NaturalKeyLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Sentra IKM with their members and the fewer-than-5-similar-members flag."""

    schema = ApiSchema()
    serializer_class = SentraSerializer
    filter_backends = [UserFilterBackend, OrderingFilter]
    filterset_class = SentraFilter
    pagination_class = KeysetPagination
    ordering_fields = ["id"]  # its dates may be empty, which a cursor cannot stand on
    ordering = ["id"]
    lookup_value_regex = r"[^/]+"  # any id reaches the view, which answers 404 in JSON
    lookup_pattern = ID_PATTERN

    def get_queryset(self) -> QuerySet:
        return self._with_parts(Sentra.objects.visible_to(self.request.user)
                                .with_member_counts())

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The list filters with the web list's FilterSet, which scopes it again."""
        if self.action != "list":
            return queryset
        return self._with_parts(super().filter_queryset(queryset))

    @staticmethod
    def _with_parts(queryset: QuerySet) -> QuerySet:
        members = SentraMember.objects.select_related("enterprise").order_by("joined_on", "id")
        support = SentraSupport.objects.select_related("program")
        return queryset.prefetch_related(Prefetch("memberships", queryset=members), "officers",
                                         "facilities", Prefetch("support", queryset=support))
