"""The duplicate queue. Every pair is fetched through `visible_to(request.user)`: out of scope 404;
pimpinan read, editors decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.core.exports import Column, list_export, ordered_rows
from naikkelas.core.views import render_table_page
from naikkelas.enterprises.models import Enterprise
from naikkelas.linkage import services
from naikkelas.linkage.filters import DuplicateCandidateFilter
from naikkelas.linkage.forms import MergeForm
from naikkelas.linkage.models import DuplicateCandidate, MergeRecord
from naikkelas.linkage.tables import FIELD_LABELS, DuplicateCandidateTable, agreed_labels

COMPARED = ("name", "owner_name", "owner_nik", "nib", "owner_phone", "address", "desa",
            "kecamatan", "kbli", "products")


def _candidate_for(user, pk: int) -> DuplicateCandidate:
    queryset = DuplicateCandidate.objects.visible_to(user).select_related(
        "enterprise_a__kecamatan", "enterprise_a__desa", "enterprise_a__kbli",
        "enterprise_b__kecamatan", "enterprise_b__desa", "enterprise_b__kbli", "decided_by")
    return get_object_or_404(queryset, pk=pk)


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    filterset = DuplicateCandidateFilter(request.GET, user=request.user)
    return render_table_page(request, "linkage/candidate_list.html",
                             DuplicateCandidateTable(filterset.qs), {"filter": filterset})


@login_required
def candidate_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered duplicate queue as .xlsx or .csv: names and agreeing fields, no NIK."""
    table = DuplicateCandidateTable(DuplicateCandidateFilter(request.GET, user=request.user).qs)
    return list_export(request, ordered_rows(request, table), EXPORT_COLUMNS, fmt,
                       name="kandidat-duplikat")


EXPORT_COLUMNS = [
    Column(gettext_lazy("Pair ID"), lambda c: c.pk),
    Column(gettext_lazy("Enterprise A ID"), lambda c: c.enterprise_a_id),
    Column(gettext_lazy("Enterprise A"), lambda c: c.enterprise_a.name),
    Column(gettext_lazy("Enterprise B ID"), lambda c: c.enterprise_b_id),
    Column(gettext_lazy("Enterprise B"), lambda c: c.enterprise_b.name),
    Column(gettext_lazy("Kecamatan"), lambda c: c.enterprise_a.kecamatan.nama),
    Column(gettext_lazy("Score"), lambda c: round(c.score, 4)),
    Column(gettext_lazy("What agreed"), lambda c: agreed_labels(c.agreed)),
    Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
]


def _shown(enterprise: Enterprise, name: str, user) -> str:
    """One field as the comparison shows it; NIK and phone masked by role."""
    if name == "owner_nik":
        return enterprise.nik_for(user)
    if name == "owner_phone":
        return enterprise.phone_for(user)
    value = getattr(enterprise, name)
    if name in ("desa", "kecamatan") and value is not None:
        return f"{value.nama} ({value.kode})"
    return "" if value is None else str(value)


def _comparison(candidate: DuplicateCandidate, user) -> list[dict]:
    a, b = candidate.enterprise_a, candidate.enterprise_b
    return [{"label": FIELD_LABELS[name], "a": _shown(a, name, user), "b": _shown(b, name, user),
             "agreed": name in candidate.agreed} for name in COMPARED]


def _page(request: HttpRequest, candidate: DuplicateCandidate, form=None,
          status: int = 200) -> HttpResponse:
    merge = (MergeRecord.objects.filter(candidate=candidate).in_force()
             .select_related("survivor").first())
    context = {"candidate": candidate, "rows": _comparison(candidate, request.user),
               "years": {e.pk: sorted(e.reports.values_list("year", flat=True))
                         for e in (candidate.enterprise_a, candidate.enterprise_b)},
               "form": form or MergeForm(candidate=candidate), "merge": merge}
    context["years_a"] = context["years"][candidate.enterprise_a_id]
    context["years_b"] = context["years"][candidate.enterprise_b_id]
    return render(request, "linkage/candidate_detail.html", context, status=status)


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _candidate_for(request.user, pk))


@login_required
def candidate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the comparison with the merge form; POST: merge, keeping the chosen enterprise."""
    candidate = _candidate_for(request.user, pk)
    _require_editor(request.user)
    form = MergeForm(request.POST if request.method == "POST" else None, candidate=candidate)
    if request.method != "POST" or not form.is_valid():
        return _page(request, candidate, form, status=400 if form.is_bound else 200)
    survivor = (candidate.enterprise_a if form.cleaned_data["survivor"] == candidate.enterprise_a_id
                else candidate.enterprise_b)
    try:
        services.merge_candidate(candidate, actor=request.user, survivor=survivor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("linkage:candidate_detail", pk=candidate.pk)
    messages.success(request, _("Merged into %(name)s. The merge can be undone from the "
                                "duplicate page.") % {"name": survivor.name})
    return redirect(survivor)


@login_required
def candidate_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """"Bukan duplikat": GET asks, POST records it; the pair never returns to the queue."""
    candidate = _candidate_for(request.user, pk)
    _require_editor(request.user)
    if request.method != "POST":
        return render(request, "linkage/confirm_dismiss.html", {"candidate": candidate})
    try:
        services.mark_not_duplicate(candidate, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("linkage:candidate_detail", pk=candidate.pk)
    messages.success(request, _("Recorded: %(a)s and %(b)s are two enterprises.")
                     % {"a": candidate.enterprise_a.name, "b": candidate.enterprise_b.name})
    return redirect("linkage:candidate_list")


@login_required
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks, POST undoes a merge."""
    record = get_object_or_404(MergeRecord.objects.visible_to(request.user)
                               .select_related("survivor", "other"), pk=pk)
    _require_editor(request.user)
    if request.method != "POST":
        return render(request, "linkage/confirm_undo.html", {"record": record})
    try:
        services.unmerge_enterprises(record, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(record.survivor)
    messages.success(request, _("The merge was undone: %(name)s is a separate enterprise again.")
                     % {"name": record.other.name})
    return redirect(record.other)
