"""/api/v1/certificates/: certificates under the same rules as the pages; a POST records one
through the web form's checks and the same service (scope, audit)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.certifications.filters import CertificateFilter
from naikkelas.certifications.models import Certificate
from naikkelas.certifications.serializers import (
    CertificateSerializer, CertificateWriteSerializer,
)
from naikkelas.core.api import (
    ID_PATTERN, ApiSchema, EditorOrReadOnly, KeysetPagination, NaturalKeyLookup,
    UserFilterBackend,
)


@extend_schema_view(list=extend_schema(summary=_("Certificates in your wilayah")),
                    retrieve=extend_schema(summary=_("One certificate")))
class CertificateViewSet(NaturalKeyLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Licences and certificates of the enterprises in the user's wilayah."""

    schema = ApiSchema()
    serializer_class = CertificateSerializer
    permission_classes = [EditorOrReadOnly]
    filter_backends = [UserFilterBackend, OrderingFilter]
    filterset_class = CertificateFilter
    pagination_class = KeysetPagination
    ordering_fields = ["id", "issued_on"]
    ordering = ["id"]
    lookup_value_regex = r"[^/]+"
    lookup_pattern = ID_PATTERN

    def get_queryset(self) -> QuerySet:
        return Certificate.objects.visible_to(self.request.user).select_related("enterprise",
                                                                                "program")

    @extend_schema(summary=_("Record a certificate of an enterprise"),
                   request=CertificateWriteSerializer, responses={201: CertificateSerializer})
    def create(self, request: Request) -> Response:
        write = CertificateWriteSerializer(data=request.data,
                                           context=self.get_serializer_context())
        write.is_valid(raise_exception=True)
        certificate = self.get_queryset().get(pk=write.save().pk)
        return Response(CertificateSerializer(certificate, context=self.get_serializer_context())
                        .data, status=status.HTTP_201_CREATED)
