"""/api/v1/imports/ as an external system uses it: with a token, a multipart upload, then
following the run. The upload is checked by the web import's own form, and the audit rows of an
import started with a token name the token, as every other API write does."""

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from naikkelas.api_tests.conftest import token_client
from naikkelas.core.api import form_errors
from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import Enterprise
from naikkelas.imports.api import ImportResultSerializer
from naikkelas.imports.forms import UploadForm
from naikkelas.imports.models import ImportRun
from naikkelas.imports.services import keep_upload, queue_import, undo_import
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, write_csv
from naikkelas.wilayah.models import Level, Wilayah

pytestmark = pytest.mark.django_db

LIST = "/api/v1/imports/"
TOKEN_VIA = "token API: portal Banyuasin"


@pytest.fixture
def sheet(tmp_path) -> bytes:
    """Five enterprises of Banyuasin in 2024 and one row the importer rejects."""
    for kode, nama in (("16.07.01.2001", "Sungai Rebo"), ("16.07.01.2002", "Sungai Gerong")):
        Wilayah.objects.get_or_create(kode=kode, defaults={
            "nama": nama, "level": Level.DESA, "parent_id": "16.07.01"})
    bad = ["Usaha Tanpa Kecamatan", "Tono", "", "123", "", "", "", "Atlantis", "", "", 1, 1, "",
           "", "", ""]
    grid, _merges = office_sheet(ROWS_2024 + [bad])
    return write_csv(tmp_path / "ikm.csv", grid).read_bytes()


@pytest.fixture
def kab(personas):
    return token_client(personas.kab, name="portal Banyuasin")


def _post(client, name: str, content: bytes, **fields):
    upload = SimpleUploadedFile(name, content)
    return client.post(LIST, {"file": upload, "wilayah": "16.07", "tahun": 2024, **fields},
                       format="multipart")


@pytest.mark.parametrize("name, fields", [
    ("ikm.txt", {}),                                 # a file type the importer cannot read
    ("ikm.csv", {"wilayah": "16.07.99"}),            # a kecamatan that does not exist
    ("ikm.csv", {"wilayah": "16.07.01.2001"}),       # a desa: imports go to a wider wilayah
    ("ikm.csv", {"wilayah": "63.71"}),               # outside the user's wilayah
    ("ikm.csv", {"tahun": 1800}),
])
def test_upload_is_refused_with_the_web_forms_messages(personas, kab, sheet, name, fields):
    response = _post(kab, name, sheet, **fields)
    assert response.status_code == 400, response.content
    data = {"wilayah": "16.07", "tahun": 2024, **fields}
    form = UploadForm(data, {"file": SimpleUploadedFile(name, sheet)}, user=personas.kab)
    assert not form.is_valid()
    assert response.json() == form_errors(form)
    assert ImportRun.objects.count() == 0


def test_dry_run_answers_the_result_the_schema_declares(kab, sheet):
    response = _post(kab, "ikm.csv", sheet, dry_run="true")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == set(ImportResultSerializer().fields)
    assert (body["dry_run"], body["created"], body["rows_invalid"], body["import_run"]) == \
        (True, 5, 1, None)
    assert set(body["errors"][0]) == {"row", "column", "message"}
    assert body["errors"][0]["row"] == 12 and "KETERANGAN" in body["unknown_columns"]
    assert Enterprise.objects.count() == 0 and ImportRun.objects.count() == 0

    schema = yaml.safe_load((settings.PROJECT_DIR / "openapi.yaml").read_text(encoding="utf-8"))
    declared = schema["paths"][LIST]["post"]["responses"]["200"]["content"]["application/json"]
    component = declared["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][component]["properties"]) == set(body)


def test_dry_run_must_be_a_boolean(kab, sheet):
    response = _post(kab, "ikm.csv", sheet, dry_run="perhaps")
    assert response.status_code == 400 and list(response.json()) == ["dry_run"]


def test_token_import_is_followed_to_the_end_and_names_the_token(
        personas, kab, sheet, monkeypatch, django_capture_on_commit_callbacks):
    while_running = []
    write_progress = ImportRun.write_progress

    def follow(run: ImportRun, done: int, total: int) -> None:
        write_progress(run, done, total)
        if run.status == ImportRun.Status.RUNNING:  # what a client polling now would read
            while_running.append(kab.get(f"{LIST}{run.pk}/").json())

    monkeypatch.setattr(ImportRun, "write_progress", follow)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(kab, "ikm.csv", sheet)
    assert response.status_code == 202, response.content
    started = response.json()
    assert (started["status"], started["progress"]) == ("queued", {"done": 0, "total": 0})

    assert while_running, "the import reported no progress while it ran"
    assert {body["status"] for body in while_running} == {"running"}
    first = while_running[0]["progress"]
    assert 0 < first["done"] <= first["total"]
    assert [b["progress"]["done"] for b in while_running] == \
        sorted(b["progress"]["done"] for b in while_running)

    final = kab.get(f"{LIST}{started['id']}/").json()
    assert (final["status"], final["created"], final["rows_invalid"]) == ("done", 5, 1)
    assert final["progress"] == {"done": final["rows_read"], "total": final["rows_read"]}

    run = ImportRun.objects.get(pk=started["id"])
    entries = AuditLog.objects.filter(via=run.audit_via)
    assert entries.count() == 10  # five enterprises and their 2024 figures
    assert TOKEN_VIA in run.audit_via and run.audit_via.startswith(f"impor #{run.pk} ")
    assert set(entries.values_list("actor", flat=True)) == {personas.kab.pk}

    assert undo_import(run, actor=personas.admin) == 10
    assert Enterprise.objects.count() == 0


def test_an_import_started_without_a_token_names_none(personas, sheet):
    path = keep_upload(SimpleUploadedFile("ikm.csv", sheet))
    run = queue_import(path, "ikm.csv", actor=personas.kab, wilayah="16.07", tahun=2024,
                       mapping={})
    assert run.started_via == "" and run.audit_via == f"impor #{run.pk} ikm.csv"
