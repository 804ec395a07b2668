"""The check before a web import: a dry run of the kept upload, in the background.

A big file takes minutes to read, check and match, longer than a web request may last, so the
preview's dry run is a task (`tasks.check_import`) like the import itself. It writes its
progress and then its outcome next to the upload, as JSON named by the check's id (a random id
kept in the user's session): the counts, every error, the warnings, the columns not recognised
and the first rows as they would be saved; or the reason the file was refused.
"""

import json
import os
import uuid
from pathlib import Path
from typing import Any

from django.utils import translation

from naikkelas.imports.models import upload_dir
from naikkelas.imports.services import ImportRefused, ImportResult, import_file

DONE, REFUSED = "done", "refused"


def new_check() -> str:
    return uuid.uuid4().hex


def _path(check: str, kind: str) -> Path:
    return upload_dir() / f"{uuid.UUID(check).hex}.{kind}.json"


def run_check(upload: str, *, actor, wilayah: str, tahun: int, mapping: dict[str, str],
              check: str, language: str) -> None:
    """Dry-run the kept upload `upload` (a file name in upload_dir) and write the outcome."""
    with translation.override(language):
        try:
            result = import_file(upload_dir() / Path(upload).name, actor=actor, wilayah=wilayah,
                                 tahun=tahun, dry_run=True, mapping=mapping,
                                 progress=lambda done, total: _write(check, "progress", {
                                     "done": done, "total": total}))
        except ImportRefused as exc:
            outcome = {"status": REFUSED, "reason": str(exc)}
        else:
            outcome = {"status": DONE, "result": summary(result)}
    _write(check, "check", outcome)
    _path(check, "progress").unlink(missing_ok=True)


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


def outcome(check: str) -> dict[str, Any] | None:
    """The check's outcome ({"status": DONE, "result": …} or {"status": REFUSED, "reason": …});
    None while it runs."""
    try:
        return json.loads(_path(check, "check").read_text())
    except FileNotFoundError:
        return None


def progress(check: str) -> tuple[int, int]:
    try:
        data = json.loads(_path(check, "progress").read_text())
        return data["done"], data["total"]
    except (OSError, ValueError, KeyError):
        return 0, 0


def discard(check: str | None) -> None:
    if check:
        for kind in ("check", "progress"):
            _path(check, kind).unlink(missing_ok=True)


def _write(check: str, kind: str, data: dict[str, Any]) -> None:
    """Written whole or not at all: a reader never sees half a file."""
    path = _path(check, kind)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, default=str))
    os.replace(partial, path)
