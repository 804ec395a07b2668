"""The check before a web import: a dry run of the kept upload, in the background.

A big file takes minutes to read, check and match, longer than a web request may last, so the
preview's dry run is a task (`tasks.check_import`) like the import itself. It writes its
progress and then its outcome next to the upload, as JSON named by the check's id (a random id
kept in the user's session): the counts, every error, the warnings, the columns not recognised
(each by its place, to map by hand) and the first rows as they would be saved; or the reason the
file was refused, with the columns to map when it lacks one every import needs.

A check is wanted while its marker file exists (`start`); `discard` removes it with the rest,
and a check no longer wanted stops at its next batch and writes nothing. What a crash or a lost
worker leaves behind is swept after a day (`sweep`): these files name enterprises and owners.
"""

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from naikkelas.core.db import chunks
from naikkelas.imports.headers import Heading, column_key, likeliest_header
from naikkelas.imports.models import ImportRun, upload_dir
from naikkelas.imports.readers import UnreadableFile, open_grid
from naikkelas.imports.services import ImportRefused, ImportResult, Progress, import_file
from naikkelas.imports.workbooks import template_header
from naikkelas.wilayah.models import Level, Wilayah

DONE, REFUSED = "done", "refused"
KINDS = ("wanted", "check-progress", "check")
KEEP_SECONDS = 24 * 3600


class _Unwanted(Exception):
    """The check was discarded while it ran."""


def start() -> str:
    """A new check's id, marked wanted."""
    check = uuid.uuid4().hex
    _write(check, "wanted", {})
    return check


def _path(check: str, kind: str) -> Path:
    return upload_dir() / f"{uuid.UUID(check).hex}.{kind}.json"


def _wanted(check: str) -> bool:
    return _path(check, "wanted").exists()


def run_check(upload: str, *, user_id: int, wilayah: str, tahun: int,
              mapping: dict[str, str], check: str, language: str) -> None:
    """Dry-run the kept upload `upload` (a file name in upload_dir) for the user and write
    the outcome, unless the check was discarded meanwhile. Any failure is an outcome too: the
    page waiting for it must not wait for ever."""
    if not _wanted(check):
        return

    def progress(done: int, total: int) -> None:
        if not _wanted(check):
            raise _Unwanted
        _write(check, "check-progress", {"done": done, "total": total})

    with translation.override(language):
        try:
            outcome = _dry_run(upload_dir() / Path(upload).name, user_id=user_id,
                               wilayah=wilayah, tahun=tahun, mapping=mapping, progress=progress)
        except _Unwanted:
            return
        except Exception:
            _write_outcome(check, {"status": REFUSED, "reason": _(
                "The check stopped on an unexpected error; upload the file again or tell the "
                "administrator.")})
            raise
        finally:
            _path(check, "check-progress").unlink(missing_ok=True)
    _write_outcome(check, outcome)


def _dry_run(path: Path, *, user_id: int, wilayah: str, tahun: int, mapping: dict[str, str],
             progress: Progress) -> dict[str, Any]:
    """The dry run's outcome: its summary and the columns to map, or why the file was refused."""
    actor = get_user_model().objects.get(pk=user_id)
    try:
        result = import_file(path, actor=actor, wilayah=wilayah, tahun=tahun, dry_run=True,
                             mapping=mapping, progress=progress)
    except ImportRefused as exc:
        return _missing_columns(path, wilayah, mapping) or {"status": REFUSED,
                                                            "reason": str(exc)}
    return {"status": DONE, "result": summary(result),
            "columns": columns(result.unknown_columns, result.header_row - 1)}


def _write_outcome(check: str, outcome: dict[str, Any]) -> None:
    if _wanted(check):
        _write(check, "check", outcome)


def columns(unknown: list[Heading], row: int) -> list[dict[str, Any]]:
    """The columns not recognised in the header at 0-based `row`, for the preview to offer to
    map: each with its mapping key (`headers.column_key`), its header as written and its 0-based
    column."""
    return [{"key": column_key(row, heading.column), "header": str(heading),
             "column": heading.column} for heading in unknown]


def _missing_columns(path: Path, wilayah: str, mapping: dict[str, str]) -> dict[str, Any] | None:
    """The outcome of a file refused for lacking a column every import needs: which one, how to
    put it right, and the columns not recognised so that the preview offers to map one by hand.
    None when its likeliest header has those columns (the file was refused for something else)
    or names no known column at all (no row looks like a header)."""
    try:
        header = likeliest_header(open_grid(path).head, mapping)
    except UnreadableFile:
        return None
    if header is None or not header.score():
        return None
    needed = {"name": _("the business name")}
    if Wilayah.level_of(wilayah) != Level.KECAMATAN:  # otherwise every row is in that one
        needed["kecamatan"] = _("the kecamatan")
    missing = [f"{label} ({template_header(name)})" for name, label in needed.items()
               if name not in header.fields]
    if not missing:
        return None
    mappable = columns(header.unknown, header.row)
    reason = (_("No column was recognised as %(missing)s. Choose below the column that holds "
                "it and check again; or rename its heading in the file to the one in brackets, "
                "or use the standard template, and upload the file again.") if mappable else
              _("No column was recognised as %(missing)s. Rename its heading in the file to "
                "the one in brackets, or use the standard template, and upload the file again."))
    return {"status": REFUSED, "columns": mappable,
            "reason": reason % {"missing": get_text_list(missing, _("and"))}}


def summary(result: ImportResult) -> dict[str, Any]:
    """What the preview shows of a dry run (ImportResult.as_dict and the first rows)."""
    data = result.as_dict()
    data["matched"] = result.updated + result.unchanged
    data["preview"] = [{
        "number": row.number, "name": row.enterprise.get("name"),
        "owner_name": row.enterprise.get("owner_name"), "nib": row.enterprise.get("nib"),
        "kecamatan": row.enterprise.get("kecamatan_id"), "workers": row.workers,
        "investment": row.figures.get("investment"), "sales": row.figures.get("sales"),
    } for row in result.preview]
    return data


def outcome(check: str | None) -> dict[str, Any] | None:
    """The check's outcome ({"status": DONE, "result": …} or {"status": REFUSED, "reason": …});
    None while it runs."""
    try:
        return json.loads(_path(check, "check").read_text()) if check else None
    except FileNotFoundError:
        return None


def progress(check: str | None) -> tuple[int, int]:
    if not check:
        return 0, 0
    try:
        data = json.loads(_path(check, "check-progress").read_text())
        return data["done"], data["total"]
    except (OSError, ValueError, KeyError):
        return 0, 0


def discard(check: str | None) -> None:
    if check:
        for kind in KINDS:
            _path(check, kind).unlink(missing_ok=True)


SWEEP_CHUNK = 1000


def sweep() -> int:
    """Remove check files and never-confirmed uploads older than a day; how many. A confirmed
    upload is an import's file (kept for its error report) and stays."""
    cutoff = time.time() - KEEP_SECONDS
    old = [path for path in upload_dir().iterdir() if _older(path, cutoff)]
    checks = [p for p in old if any(f".{kind}.json" in p.name for kind in KINDS)]
    uploads = {}  # by the uuid an upload is named by (an import's token once confirmed)
    for path in old:
        token = _uuid(path.name.split(".", 1)[0])
        if token and path not in checks and ".json" not in path.name:
            uploads[token] = path
    # A confirmed upload stays for good: in parts, past SQLite's limit of parameters.
    kept = {token for part in chunks(list(uploads), SWEEP_CHUNK)
            for token in ImportRun.objects.filter(token__in=part).values_list("token", flat=True)}
    stale = checks + [path for token, path in uploads.items() if token not in kept]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def _older(path: Path, cutoff: float) -> bool:
    """Whether `path` is a file last written before `cutoff`. A check writing its files replaces
    them meanwhile (`_write`): one gone since the folder was listed is not old. A `.partial` file
    being written is never a day old; one that is was left by a crash, and goes like the rest."""
    try:
        return path.is_file() and path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _write(check: str, kind: str, data: dict[str, Any]) -> None:
    """Written whole or not at all: a reader never sees half a file."""
    path = _path(check, kind)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, default=str))
    os.replace(partial, path)
