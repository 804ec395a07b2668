"""The web import's background check (imports.checks): outcomes, discarding, failures, sweep."""

import os
import time
from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import reverse

from naikkelas.imports import checks, services, views
from naikkelas.imports.models import upload_dir
from naikkelas.imports.tests.test_web import _csv_bytes, _upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(client, tmp_path, desa, personas, monkeypatch):
    """An upload whose check is queued but not run yet: (the task's arguments, the client)."""
    tasks = []
    monkeypatch.setattr(views, "check_import",
                        SimpleNamespace(enqueue=lambda *args: tasks.append(args)))
    client.force_login(personas.kab)
    assert _upload(client, tmp_path).status_code == 302
    return tasks, client


def _run(args) -> None:
    upload, user_id, wilayah, tahun, mapping, check, language = args
    checks.run_check(upload, user_id=user_id, wilayah=wilayah, tahun=tahun, mapping=mapping,
                     check=check, language=language)


def _files(check: str) -> list[str]:
    return sorted(p.name for p in upload_dir().glob(f"{check}.*"))


def test_a_check_discarded_before_it_runs_writes_nothing(queued, tmp_path):
    tasks, client = queued
    _upload(client, tmp_path)  # the user uploads again before the worker came round
    first, second = tasks
    _run(first)
    assert _files(first[5]) == []  # the discarded check left no file with the rows in it
    _run(second)
    assert checks.outcome(second[5])["status"] == checks.DONE


def test_a_check_discarded_while_it_runs_stops_and_writes_nothing(queued, monkeypatch):
    tasks, client = queued
    real = services.import_file

    def discarded_midway(*args, progress, **kwargs):
        checks.discard(tasks[0][5])  # the user uploads another file meanwhile
        progress(1, 6)
        return real(*args, progress=progress, **kwargs)

    monkeypatch.setattr(checks, "import_file", discarded_midway)
    _run(tasks[0])
    assert _files(tasks[0][5]) == []


def test_a_check_that_crashes_says_so_instead_of_spinning(queued, monkeypatch):
    tasks, client = queued
    monkeypatch.setattr(checks, "import_file", mock.Mock(side_effect=ZeroDivisionError))
    with pytest.raises(ZeroDivisionError):  # the worker records the task as failed
        _run(tasks[0])
    assert checks.outcome(tasks[0][5])["reason"] == (
        "Pemeriksaan berhenti karena kesalahan tak terduga; unggah ulang berkasnya atau beri "
        "tahu administrator.")
    assert client.get(reverse("imports:import_check_progress"))["HX-Redirect"]
    page = client.get(reverse("imports:import_preview"), follow=True).content.decode()
    assert "Pemeriksaan berhenti karena kesalahan tak terduga" in page
    assert _files(tasks[0][5]) == []  # discarded with the upload


def test_a_session_from_before_background_checks_gets_one(queued):
    tasks, client = queued
    session = client.session
    pending = session[views.SESSION_KEY]
    checks.discard(pending.pop("check"))
    session[views.SESSION_KEY] = pending
    session.save()
    tasks.clear()
    assert client.get(reverse("imports:import_preview")).status_code == 200
    assert len(tasks) == 1 and client.session[views.SESSION_KEY]["check"] == tasks[0][5]


@pytest.mark.parametrize("chunk", [checks.SWEEP_CHUNK, 1])  # imports' tokens asked in parts
def test_sweep_removes_what_is_a_day_old_and_keeps_imports_files(tmp_path, desa, personas,
                                                                 monkeypatch, settings, chunk):
    monkeypatch.setattr(checks, "SWEEP_CHUNK", chunk)
    settings.MEDIA_ROOT = tmp_path / "media"  # only this test's files
    old = time.time() - checks.KEEP_SECONDS - 60
    lost_check = checks.start()
    abandoned = services.keep_upload(SimpleNamespace(name="lama.csv",
                                                     chunks=lambda: [_csv_bytes(tmp_path)]))
    confirmed = services.keep_upload(SimpleNamespace(name="ikm.csv",
                                                     chunks=lambda: [_csv_bytes(tmp_path)]))
    run = services.queue_import(confirmed, "ikm.csv", actor=personas.kab, wilayah="16.07",
                                tahun=2024, mapping={})
    recent = checks.start()
    for path in [*upload_dir().glob(f"{lost_check}.*"), abandoned, run.upload_path,
                 run.progress_path]:
        os.utime(path, (old, old))
    assert checks.sweep() == 2
    assert _files(lost_check) == [] and not abandoned.exists()
    assert run.upload_path.exists() and run.progress_path.exists()  # the import's own
    assert _files(recent) == [f"{recent}.wanted.json"]  # less than a day old
