"""Sentra pages. Every record is fetched through `visible_to(request.user)`; out of scope is 404."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.accounts.models import kode_level
from naikkelas.core.exports import Column, list_export, ordered_rows
from naikkelas.core.forms import add_service_errors
from naikkelas.core.history import history_for
from naikkelas.core.views import render_table_page
from naikkelas.enterprises.forms import DeleteForm
from naikkelas.sentra import services
from naikkelas.sentra.filters import SentraFilter
from naikkelas.sentra.forms import PART_FORMS, LeaveForm, MemberForm, SentraForm, StatusForm
from naikkelas.sentra.models import (
    Sentra, SentraFacility, SentraMember, SentraOfficer, SentraSupport,
)
from naikkelas.sentra.tables import SentraTable
from naikkelas.wilayah.models import Level, Wilayah

HISTORY_MODELS = (Sentra, SentraMember, SentraOfficer, SentraFacility, SentraSupport)
PART_LABELS = {"officer": gettext_lazy("pengurus or pengelola"),
               "facility": gettext_lazy("UPT or shared facility"),
               "support": gettext_lazy("support received")}


def _sentra_for(user, pk: int) -> Sentra:
    """The sentra if it lies in the user's wilayah, else 404."""
    qs = Sentra.objects.visible_to(user).select_related("kecamatan__parent", "desa", "kbli")
    return get_object_or_404(qs, pk=pk)


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


@login_required
def sentra_list(request: HttpRequest) -> HttpResponse:
    filterset = SentraFilter(request.GET, user=request.user)
    totals = Sentra.objects.visible_to(request.user).counts_by_wilayah(1)
    return render_table_page(request, "sentra/sentra_list.html", SentraTable(filterset.qs), {
        "filter": filterset,
        "totals": {key: sum(row[key] for row in totals)
                   for key in ("jumlah", "usulan", "terbentuk", "ber_sk")}})


@login_required
def sentra_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered sentra list as .xlsx or .csv."""
    table = SentraTable(SentraFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), SENTRA_COLUMNS, fmt,
                       name="sentra")


SENTRA_COLUMNS = [
    Column(gettext_lazy("Sentra ID"), lambda s: s.pk),
    Column(gettext_lazy("Sentra"), lambda s: s.name),
    Column(gettext_lazy("Komoditas"), lambda s: s.komoditas),
    Column(gettext_lazy("KBLI"), lambda s: s.kbli_id),
    Column(gettext_lazy("Kab/kota"), lambda s: s.kecamatan.parent.nama),
    Column(gettext_lazy("Kecamatan code"), lambda s: s.kecamatan_id),
    Column(gettext_lazy("Kecamatan"), lambda s: s.kecamatan.nama),
    Column(gettext_lazy("Status"), lambda s: s.get_status_display()),
    Column(gettext_lazy("Date formed"), lambda s: s.formed_on),
    Column(gettext_lazy("SK number"), lambda s: s.sk_number),
    Column(gettext_lazy("SK date"), lambda s: s.sk_date),
    Column(gettext_lazy("Members"), lambda s: s.members_active),
    Column(gettext_lazy("Similar product"), lambda s: s.members_similar),
    Column(gettext_lazy("Fewer than 5 similar members"), lambda s: s.flagged),
]


def _counts(user) -> tuple[list[dict], dict, Level]:
    """Sentra per region one level below the user's wilayah, the totals, and that level."""
    level = min(kode_level(user.kode_wilayah) + 1, Level.KECAMATAN)
    rows = Sentra.objects.visible_to(user).counts_by_wilayah(level)
    names = dict(Wilayah.objects.filter(kode__in=[r["kode"] for r in rows])
                 .values_list("kode", "nama"))
    for row in rows:
        row["nama"] = names.get(row["kode"], row["kode"])
    totals = {key: sum(row[key] for row in rows)
              for key in ("jumlah", "usulan", "terbentuk", "ber_sk")}
    return rows, totals, Level(level)


@login_required
def sentra_counts(request: HttpRequest) -> HttpResponse:
    """Sentra per region one level below the user's wilayah: all, usulan, terbentuk, ber-SK."""
    rows, totals, level = _counts(request.user)
    return render(request, "sentra/sentra_counts.html",
                  {"rows": rows, "totals": totals, "level": level})


@login_required
def sentra_counts_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The counts per wilayah as .xlsx or .csv, with the total as the last row."""
    rows, totals, _level = _counts(request.user)
    total = {"kode": "", "nama": _("Total"), **totals}
    return list_export(request, [*rows, total], COUNT_COLUMNS, fmt, name="sentra-per-wilayah")


COUNT_COLUMNS = [
    Column(gettext_lazy("Kode wilayah"), lambda r: r["kode"]),
    Column(gettext_lazy("Wilayah"), lambda r: r["nama"]),
    Column(gettext_lazy("All"), lambda r: r["jumlah"]),
    Column(gettext_lazy("Usulan"), lambda r: r["usulan"]),
    Column(gettext_lazy("Terbentuk"), lambda r: r["terbentuk"]),
    Column(gettext_lazy("Ber-SK"), lambda r: r["ber_sk"]),
]


@login_required
def sentra_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sentra = _sentra_for(request.user, pk)
    counted = Sentra.objects.filter(pk=sentra.pk).with_member_counts().get()
    members = (sentra.memberships.select_related("enterprise__kecamatan", "enterprise__kbli")
               .order_by("left_on", "enterprise__name"))
    officers = list(sentra.officers.all())
    for officer in officers:
        officer.shown_phone = officer.phone_for(request.user)
    context = {"sentra": sentra, "counted": counted, "members": members, "officers": officers,
               "facilities": sentra.facilities.all(),
               "support": sentra.support.select_related("program"),
               "history": history_for(sentra, request.user, HISTORY_MODELS),
               "leave_form": LeaveForm()}
    return render(request, "sentra/sentra_detail.html", context)


@login_required
def sentra_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    form = SentraForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sentra = services.register_sentra(actor=request.user, data=_profile(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sentra %(name)s was saved.") % {"name": sentra})
            return redirect(sentra)
    return render(request, "sentra/sentra_form.html", {"form": form})


def _profile(form: SentraForm) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "kabkota"}


@login_required
def sentra_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sentra = _sentra_for(request.user, pk)
    _require_editor(request.user)
    form = SentraForm(request.POST or None, instance=sentra, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_sentra(sentra, actor=request.user, changes=_profile(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes were saved."))
            return redirect(sentra)
    return render(request, "sentra/sentra_form.html", {"form": form, "sentra": sentra})


@login_required
def sentra_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The next lifecycle step; an impossible step is refused with the service's reason."""
    sentra = _sentra_for(request.user, pk)
    _require_editor(request.user)
    form = StatusForm(request.POST or None, request.FILES or None, sentra=sentra)
    if request.method == "POST" and form.is_valid():
        try:
            services.advance_sentra_status(sentra, actor=request.user, **form.step())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The status of %(name)s was changed.") % {"name": sentra})
            return redirect(sentra)
    return render(request, "sentra/sentra_status.html", {"form": form, "sentra": sentra})


@login_required
def sentra_sk_document(request: HttpRequest, pk: int) -> FileResponse:
    """The SK document, only to users whose wilayah covers the sentra (never by a public URL)."""
    sentra = _sentra_for(request.user, pk)
    if not sentra.sk_document:
        raise Http404(_("This sentra has no SK document."))
    try:
        handle = sentra.sk_document.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The SK document file is missing.")) from exc
    content_type = mimetypes.guess_type(sentra.sk_document.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="sk-sentra-{sentra.pk}"'
    return response


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    sentra = _sentra_for(request.user, pk)
    _require_editor(request.user)
    form = MemberForm(request.POST or None, sentra=sentra, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_sentra_member(sentra, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The member was added."))
            return redirect(sentra)
    return render(request, "sentra/part_form.html",
                  {"form": form, "sentra": sentra, "title": _("Add a member")})


@login_required
def member_leave(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    sentra = _sentra_for(request.user, pk)
    _require_editor(request.user)
    member = get_object_or_404(sentra.memberships.select_related("sentra", "enterprise"), pk=item)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_sentra_membership(member, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s left the sentra.") % {"name": member.enterprise})
            return redirect(sentra)
    return render(request, "sentra/part_form.html",
                  {"form": form, "sentra": sentra,
                   "title": _("%(name)s leaves the sentra") % {"name": member.enterprise}})


@login_required
def part_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add an officer, a facility or support received."""
    sentra = _sentra_for(request.user, pk)
    _require_editor(request.user)
    extra = {"user": request.user, "sentra": sentra} if part == "support" else {}
    form = PART_FORMS[part](request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_sentra_part(sentra, actor=request.user, part=part,
                                     data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(sentra)
    return render(request, "sentra/part_form.html",
                  {"form": form, "sentra": sentra,
                   "title": _("Add %(what)s") % {"what": PART_LABELS[part]}})


@login_required
def part_delete(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    sentra = _sentra_for(request.user, pk)
    _require_editor(request.user)
    obj = get_object_or_404(services.PARTS[part].objects.select_related("sentra"),
                            sentra=sentra, pk=item)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.remove_sentra_part(obj, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s was removed.") % {"name": obj})
        return redirect(sentra)
    return render(request, "sentra/part_delete.html", {"form": form, "sentra": sentra,
                                                       "object": obj})
