"""/api/v1/certificates/: certificates under the same rules as the pages, read only."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from naikkelas.certifications.filters import CertificateFilter
from naikkelas.certifications.models import Certificate
from naikkelas.certifications.serializers import CertificateSerializer
from naikkelas.core.api import (
    ID_PATTERN, ApiSchema, KeysetPagination, NaturalKeyLookup, UserFilterBackend,
)


@extend_schema_view(list=extend_schema(summary=_("Certificates in your wilayah")),
                    retrieve=extend_schema(summary=_("One certificate")))
class CertificateViewSet(NaturalKeyLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """Licences and certificates of the enterprises in the user's wilayah."""

    schema = ApiSchema()
    serializer_class = CertificateSerializer
    filter_backends = [UserFilterBackend]
    filterset_class = CertificateFilter
    pagination_class = KeysetPagination
    ordering = ["id"]
    lookup_value_regex = r"[^/]+"
    lookup_pattern = ID_PATTERN

    def get_queryset(self) -> QuerySet:
        return Certificate.objects.visible_to(self.request.user).select_related("enterprise", "program")
