"""Certificate pages. Records are fetched through `visible_to(request.user)`; elsewhere is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.certifications import services
from naikkelas.certifications.filters import CertificateFilter
from naikkelas.certifications.forms import CertificateForm
from naikkelas.certifications.models import Certificate
from naikkelas.certifications.querysets import EXPIRING_DAYS
from naikkelas.certifications.tables import CertificateTable
from naikkelas.core.exports import Column, list_export, ordered_rows
from naikkelas.core.forms import add_service_errors
from naikkelas.core.views import render_table_page
from naikkelas.enterprises.forms import DeleteForm
from naikkelas.enterprises.models import Enterprise


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


def _certificate_for(user, pk: int) -> Certificate:
    return get_object_or_404(Certificate.objects.visible_to(user)
                             .select_related("enterprise", "program"), pk=pk)


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    filterset = CertificateFilter(request.GET, user=request.user)
    return render_table_page(request, "certifications/certificate_list.html",
                             CertificateTable(filterset.qs), {"filter": filterset})


@login_required
def certificate_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered certificate list as .xlsx or .csv."""
    table = CertificateTable(CertificateFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), EXPORT_COLUMNS, fmt,
                       name="sertifikat")


def _expiring_table(user) -> CertificateTable:
    rows = (Certificate.objects.visible_to(user).expiring()
            .select_related("enterprise__kecamatan", "program"))
    return CertificateTable(rows, order_by=("valid_until",))


@login_required
def certificate_expiring(request: HttpRequest) -> HttpResponse:
    """What expires in the next 90 days in the user's wilayah, soonest first."""
    return render_table_page(request, "certifications/certificate_expiring.html",
                             _expiring_table(request.user), {"days": EXPIRING_DAYS},
                             per_page=50, partial=False)


@login_required
def certificate_expiring_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The certificates expiring in the next 90 days as .xlsx or .csv."""
    table = _expiring_table(request.user)
    return list_export(request, ordered_rows(request, table), EXPORT_COLUMNS, fmt,
                       name="sertifikat-kedaluwarsa")


def _facilitator(certificate: Certificate) -> str:
    return certificate.program.name if certificate.program else certificate.facilitated_by


# The columns of CertificateTable, typed, with the enterprise's id and the type's code.
EXPORT_COLUMNS = [
    Column(gettext_lazy("Enterprise ID"), lambda c: c.enterprise_id),
    Column(gettext_lazy("Enterprise"), lambda c: c.enterprise.name),
    Column(gettext_lazy("Kecamatan code"), lambda c: c.enterprise.kecamatan_id),
    Column(gettext_lazy("Kecamatan"), lambda c: c.enterprise.kecamatan.nama),
    Column(gettext_lazy("Type"), lambda c: c.get_type_display()),
    Column(gettext_lazy("Number"), lambda c: c.number),
    Column(gettext_lazy("Issued on"), lambda c: c.issued_on),
    Column(gettext_lazy("Valid until"), lambda c: c.valid_until),
    Column(gettext_lazy("Facilitated by"), _facilitator),
]


@login_required
def certificate_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A certificate for one enterprise, reached from the enterprise's page."""
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user).active(), pk=pk)
    _require_editor(request.user)
    form = CertificateForm(request.POST or None, user=request.user, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_certificate(enterprise, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The certificate was saved."))
            return redirect(enterprise)
    return render(request, "certifications/certificate_form.html",
                  {"form": form, "enterprise": enterprise})


@login_required
def certificate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_for(request.user, pk)
    _require_editor(request.user)
    form = CertificateForm(request.POST or None, instance=certificate, user=request.user,
                           enterprise=certificate.enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_certificate(certificate, actor=request.user,
                                        changes=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes were saved."))
            return redirect(certificate.enterprise)
    return render(request, "certifications/certificate_form.html",
                  {"form": form, "enterprise": certificate.enterprise,
                   "certificate": certificate})


@login_required
def certificate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_for(request.user, pk)
    _require_editor(request.user)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_certificate(certificate, actor=request.user,
                                    reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s was removed.") % {"name": certificate})
        return redirect(certificate.enterprise)
    return render(request, "certifications/certificate_delete.html",
                  {"form": form, "object": certificate, "enterprise": certificate.enterprise})
