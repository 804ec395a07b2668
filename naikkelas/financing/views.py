"""Financing pages. Single loans are fetched through `Loan.objects.visible_to(user)`, which is
empty for users who may not see personal data: for them every loan URL is 404 and the list
shows aggregates only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.core.exports import Column, list_export, ordered_rows
from naikkelas.core.forms import add_service_errors
from naikkelas.core.views import render_table_page
from naikkelas.enterprises.forms import DeleteForm
from naikkelas.enterprises.models import Enterprise
from naikkelas.financing import services
from naikkelas.financing.filters import LenderReportFilter, LoanFilter
from naikkelas.financing.forms import LenderReportForm, LoanForm
from naikkelas.financing.models import LenderReport, Loan
from naikkelas.financing.querysets import MIN_DEBTORS
from naikkelas.financing.tables import LenderReportTable, LoanTable
from naikkelas.wilayah.models import Wilayah


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


def _aggregates(user) -> tuple[list[dict], int]:
    """Disbursed loans per kab/kota and scheme in the user's wilayah: no single loan, and no
    group too small to hide its debtors from a role without personal data; with the count of
    groups held back."""
    rows, held_back = Loan.objects.aggregates_for(user)
    names = dict(Wilayah.objects.filter(kode__in={r["kabkota"] for r in rows})
                 .values_list("kode", "nama"))
    labels = dict(Loan._meta.get_field("scheme").choices)
    for row in rows:
        row["nama"], row["scheme_label"] = names.get(row["kabkota"], ""), labels[row["scheme"]]
    return rows, held_back


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    aggregates, held_back = _aggregates(request.user)
    context = {"aggregates": aggregates, "held_back": held_back, "min_debtors": MIN_DEBTORS}
    template = "financing/loan_list.html"
    if not request.user.can_view_personal_data:  # the aggregates alone, no list of debtors
        return render(request, template, context)
    filterset = LoanFilter(request.GET, user=request.user)
    return render_table_page(request, template, LoanTable(filterset.qs),
                             {**context, "filter": filterset})


@login_required
def loan_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """What the financing page shows, as .xlsx or .csv: the filtered loans for a role that may
    see personal data, else the aggregates alone (the same groups held back)."""
    if not request.user.can_view_personal_data:
        aggregates, _held_back = _aggregates(request.user)
        return list_export(request, aggregates, AGGREGATE_COLUMNS, fmt, name="kredit-agregat")
    table = LoanTable(LoanFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), LOAN_COLUMNS, fmt, name="kredit")


AGGREGATE_COLUMNS = [
    Column(gettext_lazy("Kab/kota code"), lambda r: r["kabkota"]),
    Column(gettext_lazy("Kab/kota"), lambda r: r["nama"]),
    Column(gettext_lazy("Scheme"), lambda r: r["scheme_label"]),
    Column(gettext_lazy("Debtors"), lambda r: r["debitur"]),
    Column(gettext_lazy("Loans"), lambda r: r["jumlah"]),
    Column(gettext_lazy("Plafon (Rp)"), lambda r: r["nilai"]),
]
# The columns of LoanTable, typed; only ever sent to a role that may see personal data.
LOAN_COLUMNS = [
    Column(gettext_lazy("Enterprise ID"), lambda loan: loan.enterprise_id),
    Column(gettext_lazy("Enterprise"), lambda loan: loan.enterprise.name),
    Column(gettext_lazy("Kecamatan code"), lambda loan: loan.enterprise.kecamatan_id),
    Column(gettext_lazy("Kecamatan"), lambda loan: loan.enterprise.kecamatan.nama),
    Column(gettext_lazy("Lender"), lambda loan: loan.lender),
    Column(gettext_lazy("Scheme"), lambda loan: loan.get_scheme_display()),
    Column(gettext_lazy("Contract"), lambda loan: loan.contract_number),
    Column(gettext_lazy("Plafon (Rp)"), lambda loan: loan.plafon),
    Column(gettext_lazy("Akad date"), lambda loan: loan.akad_date),
    Column(gettext_lazy("Tenor (months)"), lambda loan: loan.tenor_months),
    Column(gettext_lazy("Rate (%)"), lambda loan: loan.rate),
    Column(gettext_lazy("Status"), lambda loan: loan.get_status_display()),
]


@login_required
def loan_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user).active(), pk=pk)
    _require_editor(request.user)
    services.ensure_sees_loans(request.user)
    form = LoanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_loan(enterprise, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The loan was saved."))
            return redirect("financing:loan_list")
    return render(request, "financing/loan_form.html", {"form": form, "enterprise": enterprise})


def _loan_for(user, pk: int) -> Loan:
    return get_object_or_404(Loan.objects.visible_to(user).select_related("enterprise"), pk=pk)


@login_required
def loan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan_for(request.user, pk)
    _require_editor(request.user)
    form = LoanForm(request.POST or None, instance=loan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_loan(loan, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes were saved."))
            return redirect("financing:loan_list")
    return render(request, "financing/loan_form.html",
                  {"form": form, "enterprise": loan.enterprise, "loan": loan})


@login_required
def loan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan_for(request.user, pk)
    _require_editor(request.user)
    return _delete(request, loan, services.delete_loan, "financing:loan_list")


def _delete(request: HttpRequest, obj, service, back: str) -> HttpResponse:
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service(obj, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s was removed.") % {"name": obj})
        return redirect(back)
    return render(request, "financing/confirm_delete.html",
                  {"form": form, "object": obj, "back": back})


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    filterset = LenderReportFilter(request.GET, user=request.user)
    return render_table_page(request, "financing/report_list.html",
                             LenderReportTable(filterset.qs), {"filter": filterset})


@login_required
def report_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered lenders' reports (aggregates, every role reads them) as .xlsx or .csv."""
    table = LenderReportTable(LenderReportFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), REPORT_COLUMNS, fmt,
                       name="laporan-penyalur")


REPORT_COLUMNS = [
    Column(gettext_lazy("Lender"), lambda r: r.lender),
    Column(gettext_lazy("Kab/kota code"), lambda r: r.kabkota_id),
    Column(gettext_lazy("Kab/kota"), lambda r: r.kabkota.nama),
    Column(gettext_lazy("From"), lambda r: r.period_start),
    Column(gettext_lazy("Until"), lambda r: r.period_end),
    Column(gettext_lazy("Debtors"), lambda r: r.debtors),
    Column(gettext_lazy("Disbursed (Rp)"), lambda r: r.disbursed),
    Column(gettext_lazy("Source"), lambda r: r.source),
]


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    return _report_form(request, None)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(LenderReport.objects.visible_to(request.user), pk=pk)
    _require_editor(request.user)
    return _report_form(request, report)


def _report_form(request: HttpRequest, report: LenderReport | None) -> HttpResponse:
    form = LenderReportForm(request.POST or None, instance=report, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if report is None:
                services.record_lender_report(actor=request.user, data=form.cleaned_data)
            else:
                services.update_lender_report(report, actor=request.user,
                                              changes=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The lender report was saved."))
            return redirect("financing:report_list")
    return render(request, "financing/report_form.html", {"form": form, "report": report})


@login_required
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(LenderReport.objects.visible_to(request.user), pk=pk)
    _require_editor(request.user)
    return _delete(request, report, services.delete_lender_report, "financing:report_list")
