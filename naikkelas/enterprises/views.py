"""Pages of the registry. Every record is fetched through `visible_to(request.user)`; out of scope is 404."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from naikkelas.core import audit
from naikkelas.core.exports import Column, export_response, list_export, safe_cell
from naikkelas.core.history import history_for
from naikkelas.core.models import AuditLog
from naikkelas.core.views import render_table_page
from naikkelas.enterprises import services
from naikkelas.enterprises.filters import EnterpriseFilter
from naikkelas.enterprises.forms import AnnualReportForm, DeleteForm, EnterpriseForm
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.enterprises.tables import EnterpriseTable
from naikkelas.enterprises.timeline import timeline_for


def _enterprise_for(user, pk: int, *, include_deleted: bool = False) -> Enterprise:
    """The enterprise if it lies in the user's wilayah, else 404 (never disclose what is elsewhere)."""
    qs = Enterprise.objects.visible_to(user).select_related("kecamatan__parent__parent", "desa",
                                                            "kbli")
    if not (include_deleted and user.is_admin_pusat):
        qs = qs.active()
    return get_object_or_404(qs, pk=pk)


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    filterset = EnterpriseFilter(request.GET, user=request.user)
    return render_table_page(request, "enterprises/enterprise_list.html",
                             EnterpriseTable(filterset.qs),
                             {"filter": filterset, "year": filterset.year,
                              "rule": RULES[filterset.rule]})


@login_required
def enterprise_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV. Personal data is masked unless the role may see it; logged."""
    filterset = EnterpriseFilter(request.GET, user=request.user)
    rows = filterset.qs.order_by("kecamatan_id", "name")
    audit.record(actor=request.user, action=AuditLog.Action.EXPORT, obj=request.user,
                 kode_wilayah=request.user.kode_wilayah,
                 after={"query": request.GET.urlencode(), "personal_data":
                        request.user.can_view_personal_data})
    response = StreamingHttpResponse(_csv_lines(rows, request.user, filterset),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="ikm-{stamp}.csv"'
    return response


@login_required
def enterprise_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered list as .xlsx: numbers as numbers, personal data masked by role; logged."""
    filterset = EnterpriseFilter(request.GET, user=request.user)
    rows = filterset.qs.order_by("kecamatan_id", "name")
    audit.record(actor=request.user, action=AuditLog.Action.EXPORT, obj=request.user,
                 kode_wilayah=request.user.kode_wilayah,
                 after={"query": request.GET.urlencode(), "format": "xlsx", "personal_data":
                        request.user.can_view_personal_data})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return export_response(rows.iterator(chunk_size=2000), _export_columns(request.user, filterset),
                           "xlsx", f"ikm-{stamp}")


def _export_columns(user, filterset) -> list[Column]:
    """The columns of EXPORT_HEADER, typed: the same fields as the csv export."""
    getters = [lambda e: e.pk, lambda e: e.name, lambda e: e.legal_form, lambda e: e.nib,
               lambda e: e.owner_name, lambda e: e.nik_for(user), lambda e: e.phone_for(user),
               lambda e: e.address, lambda e: e.kecamatan_id, lambda e: e.kecamatan.nama,
               lambda e: e.kbli_id, lambda e: e.products, lambda e: filterset.year,
               lambda e: e.tk_l, lambda e: e.tk_p, lambda e: e.investasi, lambda e: e.omzet,
               lambda e: filterset.rule, lambda e: e.kelas, lambda e: e.naik_kelas]
    return [Column(header, getter) for header, getter in zip(EXPORT_HEADER, getters)]


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = ["id", "nama_usaha", "bentuk_usaha", "nib", "nama_pemilik", "nik_pemilik",
                 "telepon", "alamat", "kode_kecamatan", "kecamatan", "kbli", "produk",
                 "tahun", "tk_laki_laki", "tk_perempuan", "investasi", "omzet", "aturan", "kelas",
                 "naik_kelas"]


def _csv_lines(rows, user, filterset):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_HEADER)
    for e in rows.iterator(chunk_size=2000):
        yield writer.writerow([safe_cell(value) for value in (
            e.pk, e.name, e.legal_form, e.nib or "", e.owner_name, e.nik_for(user),
            e.phone_for(user), e.address, e.kecamatan_id, e.kecamatan.nama, e.kbli_id or "",
            e.products, filterset.year or "", e.tk_l, e.tk_p, e.investasi, e.omzet,
            filterset.rule, e.kelas or "", {True: "ya", False: "tidak"}.get(e.naik_kelas, ""),
        )])


DETAIL_TABS = ("profil", "data", "linimasa", "riwayat")


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_for(request.user, pk, include_deleted=True)
    tab = request.GET.get("tab") if request.GET.get("tab") in DETAIL_TABS else "profil"
    context = {"enterprise": enterprise, "tab": tab, "tabs": DETAIL_TABS,
               "nik": enterprise.nik_for(request.user), "phone": enterprise.phone_for(request.user)}
    if tab == "data":
        context["reports"] = _reports_with_classes(enterprise)
        context["rules"] = list(RULES.values())
    elif tab == "riwayat":
        context["history"] = history_for(enterprise, request.user, (Enterprise, AnnualReport))
    elif tab == "linimasa":
        context["timeline"] = timeline_for(enterprise, request.user)
    template = "enterprises/enterprise_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#tab-body"
    return render(request, template, context)


def _reports_with_classes(enterprise: Enterprise) -> list[AnnualReport]:
    reports = list(enterprise.reports.order_by("-year").prefetch_related("classifications"))
    for report in reports:
        by_rule = {c.rule: c for c in report.classifications.all()}
        report.by_rule = [(rule, by_rule.get(rule.id)) for rule in RULES.values()]
    return reports


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.register_enterprise(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Enterprise %(name)s was saved.") % {"name": enterprise})
            return redirect("enterprises:report_create", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_for(request.user, pk)
    _require_editor(request.user)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enterprise(enterprise, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes were saved."))
            return redirect(enterprise)
    return render(request, "enterprises/enterprise_form.html",
                  {"form": form, "enterprise": enterprise})


@login_required
def enterprise_delete(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_for(request.user, pk)
    _require_editor(request.user)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_enterprise(enterprise, actor=request.user,
                                   reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s was deleted. An admin pusat can restore it.")
                         % {"name": enterprise})
        return redirect("enterprises:enterprise_list")
    return render(request, "enterprises/confirm_delete.html",
                  {"form": form, "enterprise": enterprise, "object": enterprise})


def _deleted(user) -> QuerySet:
    return (Enterprise.objects.visible_to(user).deleted()
            .select_related("kecamatan").order_by("-deleted_at", "-id"))


@login_required
def deleted_list(request: HttpRequest) -> HttpResponse:
    """Soft-deleted enterprises in the user's wilayah, with a restore button for admin pusat."""
    return render(request, "enterprises/deleted_list.html",
                  {"enterprises": _deleted(request.user)[:200]})


@login_required
def deleted_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every soft-deleted enterprise in the user's wilayah (not only the 200 shown) as .xlsx or
    .csv; NIK and phone masked unless the role may see them."""
    user = request.user
    columns = [
        Column(gettext_lazy("ID"), lambda e: e.pk),
        Column(gettext_lazy("Business name"), lambda e: e.name),
        Column(gettext_lazy("Owner"), lambda e: e.owner_name),
        Column(gettext_lazy("NIK"), lambda e: e.nik_for(user)),
        Column(gettext_lazy("Phone"), lambda e: e.phone_for(user)),
        Column(gettext_lazy("Kecamatan code"), lambda e: e.kecamatan_id),
        Column(gettext_lazy("Kecamatan"), lambda e: e.kecamatan.nama),
        Column(gettext_lazy("Deleted"), lambda e: e.deleted_at),
    ]
    return list_export(request, _deleted(user).iterator(chunk_size=2000), columns, fmt,
                       name="ikm-terhapus")


@login_required
@require_POST
def enterprise_restore(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user).deleted(), pk=pk)
    services.restore_enterprise(enterprise, actor=request.user)
    messages.success(request, _("%(name)s was restored.") % {"name": enterprise})
    return redirect(enterprise)


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_for(request.user, pk)
    _require_editor(request.user)
    last = enterprise.reports.order_by("-year").first()
    initial = {"year": (last.year + 1) if last else timezone.localdate().year - 1}
    form = AnnualReportForm(request.POST or None, enterprise=enterprise, initial=initial)
    return _save_report(request, form, enterprise)


@login_required
def report_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    enterprise = _enterprise_for(request.user, pk)
    _require_editor(request.user)
    report = get_object_or_404(AnnualReport, enterprise=enterprise, year=year)
    form = AnnualReportForm(request.POST or None, instance=report, enterprise=enterprise)
    return _save_report(request, form, enterprise, report)


def _save_report(request, form, enterprise, report=None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            services.save_annual_report(enterprise, actor=request.user,
                                        year=form.cleaned_data["year"], figures=form.figures())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Figures for %(year)s were saved.")
                             % {"year": form.cleaned_data["year"]})
            return redirect(f"{enterprise.get_absolute_url()}?tab=data")
    return render(request, "enterprises/report_form.html",
                  {"form": form, "enterprise": enterprise, "report": report})


@login_required
def report_delete(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    enterprise = _enterprise_for(request.user, pk)
    _require_editor(request.user)
    report = get_object_or_404(AnnualReport, enterprise=enterprise, year=year)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_annual_report(report, actor=request.user,
                                      reason=form.cleaned_data["reason"])
        messages.success(request, _("Figures for %(year)s were deleted.") % {"year": year})
        return redirect(f"{enterprise.get_absolute_url()}?tab=data")
    return render(request, "enterprises/confirm_delete.html",
                  {"form": form, "enterprise": enterprise, "object": report})
