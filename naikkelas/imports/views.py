"""The web import: upload → preview → confirm → background run with progress → result.

Every run is fetched through `ImportRun.objects.visible_to(user)`; out of scope is 404. Editors
upload; pimpinan read the history only; admin pusat may undo a batch.
"""

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.core.exports import Column, list_export
from naikkelas.imports import checks, services, workbooks
from naikkelas.imports.forms import MappingForm, UploadForm
from naikkelas.imports.headers import normalise
from naikkelas.imports.models import ImportRun, upload_dir
from naikkelas.imports.services import ImportRefused, UndoRefused
from naikkelas.imports.tasks import check_import

SESSION_KEY = "naikkelas_import_pending"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A run whose page follows a background task: the import, or its undo.
BUSY = {ImportRun.Status.QUEUED, ImportRun.Status.RUNNING, ImportRun.Status.UNDOING}


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


def _run_for(user, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.visible_to(user).select_related("actor"), pk=pk)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    runs = ImportRun.objects.visible_to(request.user).select_related("actor")
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "imports/import_list.html", {"page": page})


HISTORY_COLUMNS = [
    Column("id", lambda r: r.pk), Column("file", lambda r: r.file_name),
    Column("kode_wilayah", lambda r: r.kode_wilayah), Column("tahun", lambda r: r.tahun),
    Column("status", lambda r: r.status), Column("user", lambda r: r.actor and r.actor.username),
    Column("started", lambda r: r.started_at), Column("finished", lambda r: r.finished_at),
    Column("rows_read", lambda r: r.rows_read), Column("rows_imported", lambda r: r.rows_imported),
    Column("rows_invalid", lambda r: r.rows_invalid), Column("created", lambda r: r.created),
    Column("updated", lambda r: r.updated), Column("unchanged", lambda r: r.unchanged),
    Column("uncertain", lambda r: r.uncertain),
]


@login_required
def import_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The import history as .xlsx or .csv; logged like every export."""
    runs = ImportRun.objects.visible_to(request.user).select_related("actor")
    return list_export(request, runs.iterator(), HISTORY_COLUMNS, fmt, name="riwayat-impor")


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        _discard_pending(request)
        checks.sweep()  # what abandoned uploads and lost checks left, a day old
        path = services.keep_upload(form.cleaned_data["file"])
        _start_check(request, {
            "path": path.name, "name": Path(form.cleaned_data["file"].name).name,
            "wilayah": form.cleaned_data["wilayah"], "tahun": form.cleaned_data["tahun"],
            "mapping": {}})
        return redirect("imports:import_preview")
    return render(request, "imports/import_upload.html", {"form": form})


def _pending(request: HttpRequest) -> dict:
    pending = request.session.get(SESSION_KEY)
    if not pending or not (upload_dir() / pending["path"]).exists():
        raise Http404(_("No uploaded file is waiting; upload it again."))
    return pending


def _discard_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        (upload_dir() / Path(pending["path"]).name).unlink(missing_ok=True)
        checks.discard(pending.get("check"))


def _start_check(request: HttpRequest, pending: dict) -> None:
    """Queue the dry run of the kept upload with the pending mapping (checks.run_check)."""
    checks.discard(pending.get("check"))
    pending["check"] = checks.start()
    request.session[SESSION_KEY] = pending
    check_import.enqueue(pending["path"], request.user.pk, pending["wilayah"], pending["tahun"],
                         _normalised(pending["mapping"]), pending["check"],
                         translation.get_language())


@login_required
def import_preview(request: HttpRequest) -> HttpResponse:
    """The dry run of the kept upload: a progress bar while it runs, then counts, first rows,
    every error and the columns to map by hand. A file lacking a column every import needs is
    kept while a column not recognised could be mapped to it: the page then offers only that."""
    _require_editor(request.user)
    pending = _pending(request)
    if request.method == "POST" and (stale := _stale(request, pending)):
        return stale
    if not pending.get("check"):  # kept before checks ran in the background
        _start_check(request, pending)
    outcome = checks.outcome(pending["check"])
    if outcome is None:
        done, total = checks.progress(pending["check"])
        return render(request, "imports/import_checking.html",
                      {"pending": pending, "done": done, "total": total})
    if outcome["status"] == checks.REFUSED and not outcome.get("columns"):
        _discard_pending(request)
        messages.error(request, _("%(file)s was not imported: %(reason)s")
                       % {"file": pending["name"], "reason": outcome["reason"]})
        return redirect("imports:import_upload")
    form = MappingForm(request.POST or None, columns=_columns(outcome, pending),
                       mapping=pending["mapping"])
    if request.method == "POST" and form.is_valid():
        pending["mapping"], pending["columns"] = form.mapping(), form.mapped()
        _start_check(request, pending)
        return redirect("imports:import_preview")
    result = outcome.get("result")  # None when refused
    return render(request, "imports/import_preview.html",
                  {"result": result, "pending": pending, "form": form,
                   "refusal": outcome.get("reason"), "errors": result and result["errors"],
                   "matched": result and result["matched"]})


def _columns(outcome: dict, pending: dict) -> list[dict]:
    """The columns to map: those the check did not recognise, then those mapped by hand before
    (recognised now, so that the mapping can be changed back)."""
    unknown = outcome.get("columns", [])
    keys = {column["key"] for column in unknown}
    return unknown + [c for c in pending.get("columns", []) if c["key"] not in keys]


def _stale(request: HttpRequest, pending: dict) -> HttpResponse | None:
    """A form of an earlier preview: another tab has uploaded a file or changed the mapping
    since. Nothing is done; the current preview is shown, saying why."""
    if pending.get("check") and request.POST.get("check") == pending["check"]:
        return None
    if request.POST.get("upload") == pending["path"]:
        messages.warning(request, _(
            "The column mapping was changed in another tab since that page was opened; nothing "
            "was imported or changed. This is the check with the new mapping."))
    else:
        messages.warning(request, _(
            "%(file)s was uploaded in another tab since that page was opened, and replaced its "
            "file; nothing was imported or changed. This is the check of %(file)s.")
            % {"file": pending["name"]})
    return redirect("imports:import_preview")


@login_required
def import_check_progress(request: HttpRequest) -> HttpResponse:
    """The check's progress bar (htmx polls it); once it is over, the page reloads."""
    _require_editor(request.user)
    pending = _pending(request)
    done, total = checks.progress(pending.get("check"))
    response = render(request, "imports/_check_progress.html", {"done": done, "total": total})
    if checks.outcome(pending.get("check")) is not None:
        response["HX-Redirect"] = reverse("imports:import_preview")
    return response


def _normalised(mapping: dict[str, str]) -> dict[str, str]:
    return {normalise(header): field for header, field in mapping.items()}


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Queue the import of the upload the preview showed. A second click imports nothing more (it
    leads to the import already queued); nor does the button of a preview that another tab has
    replaced since (it leads back to the current preview)."""
    _require_editor(request.user)
    upload = request.POST.get("upload", "")
    waiting = request.session.get(SESSION_KEY) or {}
    if waiting.get("path") != upload and (queued := _queued(request, upload)):
        return queued  # clicked twice: the first click has queued it
    pending = _pending(request)
    if stale := _stale(request, pending):
        return stale
    try:
        with transaction.atomic():
            run = services.queue_import(
                upload_dir() / pending["path"], pending["name"], actor=request.user,
                wilayah=pending["wilayah"], tahun=pending["tahun"],
                mapping=_normalised(pending["mapping"]))
    except IntegrityError:  # the same upload, confirmed at once by another request
        if (queued := _queued(request, pending["path"])) is None:
            raise
        return queued
    except ImportRefused as exc:
        raise PermissionDenied(str(exc)) from None
    checks.discard(request.session.pop(SESSION_KEY, {}).get("check"))
    return redirect("imports:import_detail", pk=run.pk)


def _queued(request: HttpRequest, upload: str) -> HttpResponse | None:
    """To the import the user has already queued from `upload` (a kept file's name, which is
    the import's token), saying it runs once; None when there is none."""
    try:
        token = uuid.UUID(Path(upload).stem)
    except ValueError:
        return None
    run = ImportRun.objects.visible_to(request.user).filter(token=token,
                                                            actor=request.user).first()
    if run is None:
        return None
    messages.info(request, _("This file was already confirmed and is imported once only; this "
                             "is its import."))
    return redirect("imports:import_detail", pk=run.pk)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request.user, pk)
    done, total = run.progress()
    return render(request, "imports/import_detail.html",
                  {"run": run, "done": done, "total": total, "error_report": _has_report(run),
                   "running": run.status in BUSY})


def _has_report(run: ImportRun) -> bool:
    """An error report is built from the kept upload: a web import that ran, not one from the
    command line (whose file stays with the user) nor a failed one."""
    return (run.status in {ImportRun.Status.DONE, ImportRun.Status.UNDOING,
                           ImportRun.Status.UNDONE}
            and run.upload_path.exists())


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (htmx polls it); once the run is over, the page reloads to the result."""
    run = _run_for(request.user, pk)
    done, total = run.progress()
    response = render(request, "imports/_progress.html", {"run": run, "done": done,
                                                           "total": total})
    if run.status not in BUSY:
        response["HX-Redirect"] = reverse("imports:import_detail", args=[run.pk])
    return response


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The original rows with an error column, as .xlsx."""
    run = _run_for(request.user, pk)
    if not _has_report(run):
        raise Http404(_("The uploaded file of this import is no longer kept."))
    response = HttpResponse(workbooks.error_report(run), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kesalahan-impor-{run.pk}.xlsx"'
    return response


@login_required
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request.user, pk)
    if not request.user.is_admin_pusat:
        raise PermissionDenied(_("Only admin pusat may undo an import."))
    try:
        services.queue_undo(run, actor=request.user)
    except UndoRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("The undo has started; this page shows when it is done."))
    return redirect("imports:import_detail", pk=run.pk)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(workbooks.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-ikm.xlsx"'
    return response
