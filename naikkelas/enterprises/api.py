"""/api/v1/enterprises/: the registry for other systems, under the same rules as the web pages.

Reads start from `visible_to(request.user)`, so a record elsewhere is 404; the list filters with the
web list's own FilterSet; writes go through the services with the request's user as actor (scope,
read-only pimpinan, the audit row naming the token).
"""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.core.api import (
    ApiSchema, EditorOrReadOnly, FastJSONRenderer, KeysetPagination, UserFilterBackend,
)
from naikkelas.enterprises import services
from naikkelas.enterprises.filters import EnterpriseFilter
from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR, AnnualReport, Enterprise
from naikkelas.enterprises.serializers import (
    AnnualReportSerializer, AnnualReportWriteSerializer, EnterpriseSerializer,
    EnterpriseUpdateSerializer, EnterpriseWriteSerializer, enterprise_columns,
    enterprise_fragments, enterprise_payloads, save_report,
)

NEW_ENTERPRISE = OpenApiExample(
    "Kerupuk with its 2024 figures", request_only=True, value={
        "name": "Kerupuk Ikan Sungsang", "legal_form": "ud", "nib": "1607000000123",
        "owner_name": "Ahmad Dahlan", "kecamatan": "16.07.01", "kbli": "10750",
        "products": "kerupuk ikan", "founded_year": 2015,
        "reports": [{"year": 2024, "workers_male": 3, "workers_female": 4,
                     "investment": "Rp 150.000.000", "sales": 900000000}]})
FIGURES = OpenApiExample("One year's figures", request_only=True, value={
    "workers_male": 3, "workers_female": 4, "investment": 150000000, "sales": "1.500.000.000",
    "source": "pendataan dinas 2024"})


@extend_schema_view(
    list=extend_schema(summary=_("Enterprises in your wilayah")),
    retrieve=extend_schema(summary=_("One enterprise with all its yearly figures")),
)
class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enterprises (IKM) with their yearly figures and size classes."""

    schema = ApiSchema()
    serializer_class = EnterpriseSerializer
    permission_classes = [EditorOrReadOnly]
    filter_backends = [UserFilterBackend, OrderingFilter]
    filterset_class = EnterpriseFilter
    filterset_kwargs = {"figures": False}  # the payload shows every year, not the web's one
    ordering_fields = ["id"]
    ordering = ["id"]
    pagination_class = KeysetPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]  # pages carry no floats
    lookup_value_regex = r"[^/]+"  # any id reaches the view, which answers 404 in JSON

    def get_serializer_class(self) -> type:
        return AnnualReportSerializer if self.action == "report" else EnterpriseSerializer

    def get_queryset(self) -> QuerySet:
        return Enterprise.objects.visible_to(self.request.user).active()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The list goes through the web list's FilterSet, which scopes it again; one record's
        URL does not take filters."""
        if self.action != "list":
            return queryset
        if not self.request.query_params.keys() & EnterpriseFilter.base_filters.keys():
            # Nothing to filter by: the FilterSet would give back this very queryset (its own
            # `visible_to(user).active()`), at the cost of building a form (~2 ms a request).
            return OrderingFilter().filter_queryset(self.request, queryset, self)
        return super().filter_queryset(queryset)

    # No docstrings on list and retrieve: drf-spectacular would publish them in the schema.
    def list(self, request: Request) -> Response:
        # The page's ids first: in a wilayah they come from an index alone (enterprise_active_id),
        # where reading whole rows in id order would visit every row of the country until 50
        # match. Then rows, not model instances, and each enterprise's JSON written once for
        # the same rows (serializers.enterprise_fragments).
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values("id"))
        return self.get_paginated_response(
            enterprise_fragments([row["id"] for row in page], request.user))

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._payload(pk))

    def _payload(self, pk: int | str) -> dict:
        """One enterprise's payload; 404 when it does not exist or lies outside the scope."""
        row = get_object_or_404(self.get_queryset().values(*enterprise_columns()), pk=pk)
        self.check_object_permissions(self.request, row)
        return enterprise_payloads([row], self.request.user)[0]

    def _respond(self, enterprise: Enterprise, code: int = status.HTTP_200_OK) -> Response:
        headers = ({"Location": reverse("api:enterprise-detail", args=[enterprise.pk])}
                   if code == status.HTTP_201_CREATED else None)
        return Response(self._payload(enterprise.pk), status=code, headers=headers)

    @extend_schema(summary=_("Register an enterprise, optionally with yearly figures"),
                   request=EnterpriseWriteSerializer, responses={201: EnterpriseSerializer},
                   examples=[NEW_ENTERPRISE])
    def create(self, request: Request) -> Response:
        write = EnterpriseWriteSerializer(data=request.data, context=self.get_serializer_context())
        write.is_valid(raise_exception=True)
        return self._respond(write.save(), status.HTTP_201_CREATED)

    @extend_schema(summary=_("Change an enterprise"), request=EnterpriseUpdateSerializer,
                   responses=EnterpriseSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        write = EnterpriseUpdateSerializer(self.get_object(), data=request.data, partial=True,
                                           context=self.get_serializer_context())
        write.is_valid(raise_exception=True)
        return self._respond(write.save())

    @extend_schema(summary=_("Delete an enterprise (an admin pusat can restore it)"))
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_enterprise(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], summary=_("One year's figures"),
                   responses=AnnualReportSerializer)
    @extend_schema(methods=["PUT"], summary=_("Save one year's figures (create or replace)"),
                   request=AnnualReportWriteSerializer, examples=[FIGURES],
                   responses={200: AnnualReportSerializer, 201: AnnualReportSerializer})
    @extend_schema(methods=["PATCH"], summary=_("Change some of one year's figures"),
                   request=AnnualReportWriteSerializer, responses=AnnualReportSerializer)
    @extend_schema(methods=["DELETE"], summary=_("Delete one year's figures"),
                   responses={204: None})
    @extend_schema(parameters=[OpenApiParameter(
        "year", {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
        OpenApiParameter.PATH, description=_("Year of the figures."))])
    @action(detail=True, methods=["get", "put", "patch", "delete"],
            url_path=r"reports/(?P<year>[^/]+)", url_name="report")
    def report(self, request: Request, pk: str, year: str) -> Response:
        enterprise = self.get_object()
        year = _year(year)
        report = enterprise.reports.filter(year=year).first()
        if report is None and request.method != "PUT":
            raise NotFound
        if request.method == "GET":
            return self._respond_report(report)
        if request.method == "DELETE":
            services.delete_annual_report(report, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._save_report(request, enterprise, year, report)

    def _save_report(self, request: Request, enterprise: Enterprise, year: int,
                     report: AnnualReport | None) -> Response:
        """PUT creates or replaces the year's figures; PATCH changes some of them."""
        partial = request.method == "PATCH"
        write = AnnualReportWriteSerializer(data=request.data, partial=partial)
        write.is_valid(raise_exception=True)
        saved = save_report(enterprise, actor=request.user, year=year,
                            attrs=write.validated_data, report=report, partial=partial)
        return self._respond_report(saved, status.HTTP_201_CREATED if report is None
                                    else status.HTTP_200_OK)

    def _respond_report(self, report: AnnualReport, code: int = status.HTTP_200_OK) -> Response:
        fresh = AnnualReport.objects.prefetch_related("classifications").get(pk=report.pk)
        return Response(AnnualReportSerializer(fresh).data, status=code)


def _year(value: str) -> int:
    """The year in the URL; anything that is not a year names nothing (404)."""
    if not value.isascii() or not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise NotFound
    return int(value)
