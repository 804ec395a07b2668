"""Pages of programs, participants, prospects, KUB groups and aid. Every record is fetched through
`visible_to(request.user)`; out of scope is 404."""

import datetime
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.core.exports import Column, list_export, ordered_rows
from naikkelas.core.views import render_table_page
from naikkelas.enterprises.filters import DEFAULT_RULE
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.imports.participants import import_participants
from naikkelas.imports.recipients import import_recipients
from naikkelas.imports.services import ImportRefused
from naikkelas.programs import services
from naikkelas.programs.filters import KubGroupFilter, ProgramFilter, ProspectFilter
from naikkelas.programs.forms import (
    AidDeliveryForm, AidItemFormSet, AttendanceForm, KubGroupForm, KubMemberForm,
    ParticipantForm, ParticipantImportForm, ProgramForm, PromoteForm, ProspectForm,
    RecipientImportForm,
)
from naikkelas.programs.models import (
    AidDelivery, AidItem, KubGroup, KubMember, Participation, Program, Prospect,
)
from naikkelas.programs.querysets import (
    FIGURES, earlier_aid, participant_counts, program_effect,
)
from naikkelas.programs.tables import KubGroupTable, ProgramTable, ProspectTable


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


def _program_for(user, pk: int) -> Program:
    return get_object_or_404(Program.objects.visible_to(user), pk=pk)


LISTS = {
    "program": (gettext_lazy("Programs and aid"), "programs:program_create",
                gettext_lazy("Record a program")),
    "prospect": (gettext_lazy("Prospective entrepreneurs (WUB)"), "programs:prospect_create",
                 gettext_lazy("Record a prospective entrepreneur")),
    "kub": (gettext_lazy("KUB groups"), "programs:kub_create", gettext_lazy("Record a KUB group")),
}


def _list(request: HttpRequest, filterset, table, kind: str) -> HttpResponse:
    heading, create_url, create_label = LISTS[kind]
    return render_table_page(request, "programs/list.html", table,
                             {"filter": filterset, "heading": heading,
                              "create_url": create_url, "create_label": create_label,
                              "export_url": f"programs:{kind}_list_export"})


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    filterset = ProgramFilter(request.GET, user=request.user)
    return _list(request, filterset, ProgramTable(filterset.qs), "program")


@login_required
def prospect_list(request: HttpRequest) -> HttpResponse:
    filterset = ProspectFilter(request.GET, user=request.user)
    return _list(request, filterset, ProspectTable(filterset.qs), "prospect")


@login_required
def kub_list(request: HttpRequest) -> HttpResponse:
    filterset = KubGroupFilter(request.GET, user=request.user)
    return _list(request, filterset, KubGroupTable(filterset.qs), "kub")


@login_required
def program_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered program list as .xlsx or .csv."""
    table = ProgramTable(ProgramFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), PROGRAM_COLUMNS, fmt,
                       name="program")


@login_required
def prospect_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered prospects as .xlsx or .csv; NIK and phone masked as on their pages."""
    table = ProspectTable(ProspectFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), _prospect_columns(request.user),
                       fmt, name="calon-wirausaha")


@login_required
def kub_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered KUB groups as .xlsx or .csv."""
    table = KubGroupTable(KubGroupFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), KUB_COLUMNS, fmt, name="kub")


PROGRAM_COLUMNS = [
    Column(gettext_lazy("Program ID"), lambda p: p.pk),
    Column(gettext_lazy("Program"), lambda p: p.name),
    Column(gettext_lazy("Type"), lambda p: p.get_program_type_display()),
    Column(gettext_lazy("Organiser"), lambda p: p.get_organiser_level_display()),
    Column(gettext_lazy("Wilayah"), lambda p: p.kode_wilayah or _("Pusat")),
    Column(gettext_lazy("Budget source"), lambda p: p.get_budget_source_display()),
    Column(gettext_lazy("Start"), lambda p: p.start_date),
    Column(gettext_lazy("End"), lambda p: p.end_date),
    Column(gettext_lazy("Pagu (Rp)"), lambda p: p.pagu),
    Column(gettext_lazy("Realisasi (Rp)"), lambda p: p.realisasi),
    Column(gettext_lazy("Participants"), lambda p: p.participant_count),
    Column(gettext_lazy("Aid deliveries"), lambda p: p.delivery_count),
]
KUB_COLUMNS = [
    Column(gettext_lazy("KUB group"), lambda k: k.name),
    Column(gettext_lazy("Kecamatan code"), lambda k: k.kecamatan_id),
    Column(gettext_lazy("Kecamatan"), lambda k: k.kecamatan.nama),
    Column(gettext_lazy("Chair"), lambda k: k.chair),
    Column(gettext_lazy("Members"), lambda k: k.member_count),
]


def _prospect_columns(user) -> list[Column]:
    return [
        Column(gettext_lazy("Name"), lambda p: p.name),
        Column(gettext_lazy("NIK"), lambda p: p.nik_for(user)),
        Column(gettext_lazy("Phone"), lambda p: p.phone_for(user)),
        Column(gettext_lazy("Kecamatan code"), lambda p: p.kecamatan_id),
        Column(gettext_lazy("Kecamatan"), lambda p: p.kecamatan.nama),
        Column(gettext_lazy("Planned business / product"), lambda p: p.business_idea),
        Column(gettext_lazy("Registered as"), lambda p: p.enterprise and p.enterprise.name),
    ]


def add_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _save(request, form, save, template: str, context: dict, success: str):
    """Run `save(form)` for a valid POST; a refusal from the service lands on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(saved)
    return render(request, template, {"form": form, **context})


def _create(request: HttpRequest, form_class, create, template: str, success: str):
    """A page that records one new thing through `create(actor=..., data=...)`."""
    _require_editor(request.user)
    form = form_class(request.POST or None, user=request.user)
    return _save(request, form, lambda f: create(actor=request.user, data=f.cleaned_data),
                 template, {}, success)


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    return _create(request, ProgramForm, services.create_program, "programs/program_form.html",
                   _("The program was saved."))


@login_required
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program_for(request.user, pk)
    _require_editor(request.user)
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    return _save(request, form, lambda f: services.update_program(
        program, actor=request.user, changes=f.cleaned_data),
        "programs/program_form.html", {"program": program}, _("Changes were saved."))


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program_for(request.user, pk)
    rule = request.GET.get("aturan") if request.GET.get("aturan") in RULES else DEFAULT_RULE
    participations = program.participations.select_related(
        "enterprise__kecamatan", "prospect__kecamatan", "kub_group__kecamatan")
    deliveries = program.deliveries.select_related("enterprise", "kub_group").prefetch_related(
        Prefetch("items", queryset=AidItem.objects.order_by("id")))
    effect = program_effect(program, rule)
    context = {"program": program, "participations": participations, "deliveries": deliveries,
               "counts": participant_counts(program), "effect": effect,
               "rules": list(RULES.values()), "rule": RULES[rule],
               "figures": _figure_rows(effect),
               "rates": _rate_rows(effect), **_facilitated(program, request.user)}
    return render(request, "programs/program_detail.html", context)


def _facilitated(program: Program, user) -> dict:
    """The certificates and sentra support the program facilitated, in the user's wilayah.
    Through the reverse relations, so that programs does not import the apps that point to it."""
    return {"certificates": program.certificates.visible_to(user)
            .select_related("enterprise").order_by("issued_on", "id"),
            "sentra_support": program.sentra_support.visible_to(user)
            .select_related("sentra").order_by("-year", "id")}


FIGURE_LABELS = {"workers": "Workers", "investment": "Investment (Rp)", "sales": "Sales (Rp)"}


def _rate_rows(effect) -> list[tuple]:
    """(rule, up, compared) for participants, then for the rule's comparison group and its size."""
    rows = []
    for rule in RULES.values():
        mine, other = effect.participants, effect.comparison[rule.id]
        rows.append((rule, mine.up[rule.id], mine.compared[rule.id], other.up[rule.id],
                     other.compared[rule.id], other.size))
    return rows


def _figure_rows(effect) -> list[tuple[str, list]]:
    """(label, [participants before, after, comparison before, after]) per figure."""
    rows = []
    for name in FIGURES:
        cells = [group.medians[(name, year)] for group in (effect.participants, effect.chosen)
                 for year in (effect.before, effect.after)]
        rows.append((_(FIGURE_LABELS[name]), cells))
    return rows


def _participant(request, program: Program, form: ParticipantForm):
    kind = form.cleaned_data["kind"]
    if kind == "new_prospect":
        participant = services.register_prospect(actor=request.user, data=form.prospect_data())
    else:
        participant = form.cleaned_data[kind]
    services.add_participant(program, actor=request.user, participant=participant)
    return program


@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program_for(request.user, pk)
    _require_editor(request.user)
    form = ParticipantForm(request.POST or None, user=request.user, program=program,
                           q=request.GET.get("q", ""))
    return _save(request, form, lambda f: _participant(request, program, f),
                 "programs/participant_form.html", {"program": program},
                 _("The participant was added."))


@login_required
def participation_edit(request: HttpRequest, pk: int, participation: int) -> HttpResponse:
    program = _program_for(request.user, pk)
    _require_editor(request.user)
    record = get_object_or_404(program.participations, pk=participation)
    form = AttendanceForm(request.POST or None, instance=record)

    def save(f):
        services.record_attendance(record, actor=request.user, changes={
            name: f.cleaned_data[name] for name in AttendanceForm.Meta.fields})
        return program

    return _save(request, form, save, "programs/attendance_form.html",
                 {"program": program, "participation": record}, _("Attendance was saved."))


@login_required
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a participant list; show what was registered or the row-numbered errors."""
    return _import_page(request, pk, import_participants, ParticipantImportForm,
                        "programs/participant_import.html", _participants_summary)


@login_required
def recipient_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload an aid recipient list; show the handovers recorded or the row-numbered errors."""
    return _import_page(request, pk, import_recipients, RecipientImportForm,
                        "programs/recipient_import.html", _recipients_summary)


def _import_page(request: HttpRequest, pk: int, importer, form_class, template: str,
                 summary) -> HttpResponse:
    """Upload → import; on success back to the program with `summary(result)`, else the form
    with the refusal or the result's row errors (nothing was written)."""
    program = _program_for(request.user, pk)
    _require_editor(request.user)
    form = form_class(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = _run_import(importer, form.cleaned_data["file"], program, request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            if not result.errors:
                messages.success(request, summary(result))
                return redirect(program)
    return render(request, template, {"program": program, "form": form, "result": result})


def _participants_summary(result) -> str:
    return _("%(read)s rows read: %(e)s registered enterprises, %(new)s new and %(known)s known "
             "prospective entrepreneurs added; %(already)s were already participants.") % {
        "read": result.rows_read, "e": result.enterprises, "new": result.prospects_new,
        "known": result.prospects_known, "already": result.already}


def _recipients_summary(result) -> str:
    return _("%(read)s rows read: %(n)s aid handovers with %(items)s items worth Rp%(value)s "
             "recorded; %(overrides)s given again with a reason.") % {
        "read": result.rows_read, "n": result.deliveries, "items": result.items,
        "value": f"{result.value:,}".replace(",", "."), "overrides": result.overrides}


def _run_import(importer, upload, program: Program, user):
    """Run `importer` (participants or recipients) on the upload, kept in a temporary folder
    under a name cut to what any file system takes (255 bytes); the result names the upload."""
    name = Path(upload.name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (_bytes_at_most(name.stem, 80) + _bytes_at_most(name.suffix, 16))
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        result = importer(path, program=program, actor=user)
    result.file = upload.name
    return result


def _bytes_at_most(text: str, size: int) -> str:
    """`text` cut to `size` bytes of UTF-8, at a character boundary."""
    return text.encode("utf-8", "ignore")[:size].decode("utf-8", "ignore")


def _earlier_aid_context(request, program: Program, recipient, on) -> dict:
    """Earlier aid of the same kind from any office: what the user may see, and how many more."""
    found = list(earlier_aid(recipient, program.program_type, on))
    visible = set(Program.objects.visible_to(request.user).filter(
        pk__in=[d.program_id for d in found]).values_list("pk", flat=True))
    shown = [d for d in found if d.program_id in visible]
    return {"earlier": shown, "hidden_count": len(found) - len(shown), "recipient": recipient}


def _recipient_from(request, program: Program):
    """The enterprise or KUB group named in the query string, within the user's scope."""
    form = AidDeliveryForm(request.GET, user=request.user, program=program)
    for name in ("enterprise", "kub_group"):
        value = request.GET.get(name)
        if value:
            field = form.fields[name]
            try:
                return field.clean(value)
            except ValidationError:
                raise Http404 from None
    return None


@login_required
def aid_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: the eligibility warning for the recipient being chosen."""
    program = _program_for(request.user, pk)
    recipient = _recipient_from(request, program)
    on = _date(request.GET.get("bast_date")) or timezone.localdate()
    context = {"program": program}
    if recipient is not None:
        context.update(_earlier_aid_context(request, program, recipient, on))
    return render(request, "programs/_eligibility.html", context)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def aid_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program_for(request.user, pk)
    _require_editor(request.user)
    form = AidDeliveryForm(request.POST or None, request.FILES or None, user=request.user,
                           program=program, q=request.GET.get("q", ""))
    items = AidItemFormSet(request.POST or None, prefix="items")
    context = {"program": program, "form": form, "items": items}
    if request.method == "POST" and form.is_valid() and items.is_valid():
        context.update(_earlier_aid_context(request, program, form.recipient,
                                            form.cleaned_data["bast_date"]))
        try:
            services.deliver_aid(program, actor=request.user, recipient=form.recipient,
                                 paperwork=form.paperwork(), document=form.cleaned_data["document"],
                                 items=[f.cleaned_data for f in items if f.cleaned_data],
                                 override_reason=form.cleaned_data["override_reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The aid handover was recorded."))
            return redirect(program)
    return render(request, "programs/aid_form.html", context)


@login_required
def aid_document(request: HttpRequest, pk: int) -> FileResponse:
    """The handover document, only for users who may see the program."""
    delivery = get_object_or_404(AidDelivery.objects.visible_to(request.user), pk=pk)
    if not delivery.document:
        raise Http404
    return FileResponse(delivery.document.open("rb"), as_attachment=False,
                        filename=Path(delivery.document.name).name)


@login_required
def prospect_create(request: HttpRequest) -> HttpResponse:
    return _create(request, ProspectForm, services.register_prospect,
                   "programs/prospect_form.html", _("The prospective entrepreneur was saved."))


@login_required
def prospect_detail(request: HttpRequest, pk: int) -> HttpResponse:
    prospect = get_object_or_404(Prospect.objects.visible_to(request.user)
                                 .select_related("kecamatan", "enterprise"), pk=pk)
    participations = Participation.objects.filter(prospect=prospect).select_related("program")
    return render(request, "programs/prospect_detail.html", {
        "prospect": prospect, "nik": prospect.nik_for(request.user),
        "phone": prospect.phone_for(request.user), "participations": participations,
        "programs_visible": set(Program.objects.visible_to(request.user).values_list(
            "pk", flat=True).filter(participations__prospect=prospect))})


@login_required
def prospect_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the prospect's business as an enterprise, keeping their programs."""
    prospect = get_object_or_404(Prospect.objects.visible_to(request.user).not_promoted(), pk=pk)
    _require_editor(request.user)
    form = PromoteForm(request.POST or None, initial={"products": prospect.business_idea})
    return _save(request, form, lambda f: services.promote_prospect(
        prospect, actor=request.user, data=f.enterprise_data()),
        "programs/promote_form.html", {"prospect": prospect},
        _("The enterprise was registered."))


@login_required
def kub_create(request: HttpRequest) -> HttpResponse:
    return _create(request, KubGroupForm, services.create_kub_group, "programs/kub_form.html",
                   _("The KUB group was saved."))


@login_required
def kub_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A KUB group with its members, and (for editors) the form to add one."""
    group = get_object_or_404(KubGroup.objects.visible_to(request.user).select_related(
        "kecamatan"), pk=pk)
    form = KubMemberForm(request.POST or None, user=request.user, group=group,
                         q=request.GET.get("q", ""))
    if request.method == "POST":
        _require_editor(request.user)
        if form.is_valid():
            try:
                services.add_kub_member(group, actor=request.user,
                                        member=form.cleaned_data["enterprise"]
                                        or form.cleaned_data["prospect"],
                                        joined_on=form.cleaned_data["joined_on"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The member was added."))
                return redirect(group)
    members = KubMember.objects.filter(group=group).select_related("enterprise", "prospect")
    return render(request, "programs/kub_detail.html",
                  {"group": group, "members": members, "form": form})
