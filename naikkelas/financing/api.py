"""/api/v1/loans/ and /api/v1/lender-reports/, read only. Single loans only for users who may
see personal data (the list is empty and every loan 404 for the others); lender reports are
aggregates, for every role in scope."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter

from naikkelas.core.api import (
    ID_PATTERN, ApiSchema, KeysetPagination, NaturalKeyLookup, UserFilterBackend,
)
from naikkelas.financing.filters import LenderReportFilter, LoanFilter
from naikkelas.financing.models import LenderReport, Loan
from naikkelas.financing.serializers import LenderReportSerializer, LoanSerializer


class ReadOnlyViewSet(NaturalKeyLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    schema = ApiSchema()
    filter_backends = [UserFilterBackend, OrderingFilter]
    pagination_class = KeysetPagination
    ordering_fields = ["id"]
    ordering = ["id"]
    lookup_value_regex = r"[^/]+"
    lookup_pattern = ID_PATTERN


@extend_schema_view(list=extend_schema(summary=_("Loans in your wilayah (personal data)")),
                    retrieve=extend_schema(summary=_("One loan")))
class LoanViewSet(ReadOnlyViewSet):
    """KUR and other credit; only for users who may see personal data."""

    serializer_class = LoanSerializer
    filterset_class = LoanFilter
    ordering_fields = ["id", "akad_date"]

    def get_queryset(self) -> QuerySet:
        return Loan.objects.visible_to(self.request.user).select_related("enterprise")


@extend_schema_view(list=extend_schema(summary=_("Lenders' aggregate reports in your wilayah")),
                    retrieve=extend_schema(summary=_("One lender report")))
class LenderReportViewSet(ReadOnlyViewSet):
    """What lenders disbursed per kab/kota and period."""

    serializer_class = LenderReportSerializer
    filterset_class = LenderReportFilter
    ordering_fields = ["id", "period_end"]

    def get_queryset(self) -> QuerySet:
        return LenderReport.objects.visible_to(self.request.user)
