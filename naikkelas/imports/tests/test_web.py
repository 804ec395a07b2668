"""The import in the browser (upload → preview → confirm → result), its history, undo, template,
exports and the API, for the personas of every role and scope."""

import csv
import io
import re
import uuid
from unittest import mock
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import Enterprise
from naikkelas.enterprises.services import update_enterprise
from naikkelas.imports.models import ImportRun, upload_dir
from naikkelas.imports import checks, services, views
from naikkelas.imports.checks import run_check
from naikkelas.imports.services import import_file
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, write_csv

BAD_ROW = ["Usaha Tanpa Kecamatan", "Tono", "", "123", "", "", "", "Atlantis", "", "", 1, 1, "",
           "", "", ""]


def _csv_bytes(tmp_path, rows=ROWS_2024) -> bytes:
    grid, _merges = office_sheet(rows + [BAD_ROW])
    return write_csv(tmp_path / "ikm.csv", grid).read_bytes()


def _upload(client, tmp_path, wilayah="16.07", rows=ROWS_2024):
    upload = SimpleUploadedFile("ikm-2024.csv", _csv_bytes(tmp_path, rows))
    return client.post(reverse("imports:import_upload"),
                       {"file": upload, "wilayah": wilayah, "tahun": 2024})


def _shown(client) -> dict[str, str]:
    """The hidden fields of the preview's forms: the upload and the check the page shows."""
    page = client.get(reverse("imports:import_preview")).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(upload|check)" value="([^"]*)"', page))


def _imported(client, tmp_path, django_capture_on_commit_callbacks) -> ImportRun:
    assert _upload(client, tmp_path).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_confirm"), _shown(client))
    assert response.status_code == 302
    return ImportRun.objects.get()


def test_upload_preview_confirm_result(client, tmp_path, desa, personas,
                                       django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    assert client.get(reverse("imports:import_upload")).status_code == 200
    response = _upload(client, tmp_path)
    assert response["Location"] == reverse("imports:import_preview")
    page = client.get(response["Location"]).content.decode()
    assert 'data-count="rows_read">6<' in page and 'data-count="rejected">1<' in page
    assert 'data-count="created">5<' in page and "UD Pempek Cek Molek" in page
    assert "Baris 12, kolom NIB: NIB harus 13 digit angka, tertulis 3 digit." in page
    assert "KETERANGAN" in page  # the unknown column, with its mapping dropdown
    assert Enterprise.objects.count() == 0 and ImportRun.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_confirm"), _shown(client))
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("imports:import_detail", args=[run.pk])
    assert (run.status, run.created, run.rows_invalid) == ("done", 5, 1)
    assert "via" and AuditLog.objects.filter(via=run.audit_via).count() == 10
    progress = client.get(reverse("imports:import_progress", args=[run.pk]))
    assert progress["HX-Redirect"] == response["Location"]
    detail = client.get(response["Location"]).content.decode()
    assert 'data-count="created">5<' in detail and "Atlantis" in detail
    assert 'id="error-report"' in detail
    report = client.get(reverse("imports:import_errors", args=[run.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][-1] == "KESALAHAN" and rows[6][1] == "UD Pempek Cek Molek"
    assert rows[6][-1] is None and "Atlantis" in rows[11][-1] and rows[11][1] == BAD_ROW[0]


def test_the_error_report_leaves_out_control_characters_a_worksheet_cannot_hold(
        client, tmp_path, desa, personas, django_capture_on_commit_callbacks):
    rows = [list(row) for row in ROWS_2024]
    rows[0][0] = "UD Pempek\x01 Cek\x1b Molek"  # stored as written, like the web form does
    client.force_login(personas.kab)
    assert _upload(client, tmp_path, rows=rows).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import_confirm"), _shown(client))
    run = ImportRun.objects.get()
    assert Enterprise.objects.filter(name="UD Pempek\x01 Cek\x1b Molek").exists()
    report = client.get(reverse("imports:import_errors", args=[run.pk]))
    assert report.status_code == 200  # before: openpyxl refused the cell, a server error
    rows = list(openpyxl.load_workbook(io.BytesIO(report.content)).active.iter_rows(
        values_only=True))
    assert rows[6][1] == "UD Pempek Cek Molek"
    assert "Atlantis" in next(row for row in rows if row[1] == BAD_ROW[0])[-1]


def test_an_unknown_column_mapped_by_hand_is_read(client, tmp_path, desa, personas):
    client.force_login(personas.kab)
    _upload(client, tmp_path)
    client.post(reverse("imports:import_preview"), {"column_0": "products", **_shown(client)})
    page = client.get(reverse("imports:import_preview")).content.decode()
    assert "KETERANGAN" in page and 'selected>products' in page.replace('"products" ', "")


def test_preview_shows_rows_without_worker_counts(client, tmp_path, desa, personas):
    rows = [list(row) for row in ROWS_2024]
    rows[0][11] = ""  # women not given: the men are the total
    rows[1][10] = rows[1][11] = ""  # no workers at all: an empty cell, not 0
    client.force_login(personas.kab)
    _upload(client, tmp_path, rows=rows)
    response = client.get(reverse("imports:import_preview"))
    assert response.status_code == 200
    preview = response.content.decode().split('id="preview-rows"')[1].split("</table>")[0]
    cells = [row.split('<td class="num">')[1].split("<")[0]
             for row in preview.split("<tr>")[2:4]]
    assert cells == [str(rows[0][10]), ""]


def test_a_command_line_import_offers_no_error_report_it_cannot_build(client, tmp_path, desa,
                                                                      personas):
    grid, _merges = office_sheet(ROWS_2024 + [BAD_ROW])
    result = import_file(write_csv(tmp_path / "ikm.csv", grid), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    assert result.rows_invalid == 1
    client.force_login(personas.kab)
    page = client.get(reverse("imports:import_detail", args=[result.import_run])).content
    assert b'id="error-report"' not in page and "Atlantis" in page.decode()  # errors listed
    assert client.get(reverse("imports:import_errors",
                              args=[result.import_run])).status_code == 404


def test_the_check_runs_in_the_background_with_a_progress_bar(client, tmp_path, desa, personas,
                                                              monkeypatch):
    queued = []
    monkeypatch.setattr(views, "check_import",  # a worker that has not come round yet
                        SimpleNamespace(enqueue=lambda *args: queued.append(args)))
    client.force_login(personas.kab)
    assert _upload(client, tmp_path).status_code == 302
    page = client.get(reverse("imports:import_preview")).content.decode()
    assert 'hx-get="%s"' % reverse("imports:import_check_progress") in page
    assert "preview-rows" not in page  # nothing to show before the check is done
    progress = client.get(reverse("imports:import_check_progress"))
    assert "HX-Redirect" not in progress
    upload, user_id, wilayah, tahun, mapping, check, language = queued.pop()
    run_check(upload, user_id=user_id, wilayah=wilayah, tahun=tahun, mapping=mapping,
              check=check, language=language)  # what the worker does
    assert client.get(reverse("imports:import_check_progress"))["HX-Redirect"] == reverse(
        "imports:import_preview")
    page = client.get(reverse("imports:import_preview")).content.decode()
    assert 'data-count="rows_read">6<' in page and "UD Pempek Cek Molek" in page
    assert "Baris 12, kolom NIB: NIB harus 13 digit angka, tertulis 3 digit." in page
    # Mapping a column starts a new check; the old outcome is gone.
    client.post(reverse("imports:import_preview"), {"column_0": "products", **_shown(client)})
    assert queued and queued[-1][5] != check and checks.outcome(check) is None
    assert "preview-rows" not in client.get(reverse("imports:import_preview")).content.decode()
    assert Enterprise.objects.count() == 0 and ImportRun.objects.count() == 0


def test_progress_of_a_running_import_polls(client, personas):
    client.force_login(personas.kab)
    run = ImportRun.objects.create(file_name="a.csv", kode_wilayah="16.07", tahun=2024,
                                   started_at="2024-01-01T00:00Z", status="running",
                                   token="6f1c7f0e-0000-4000-8000-000000000001")
    run.write_progress(40, 100)
    response = client.get(reverse("imports:import_progress", args=[run.pk]))
    text = response.content.decode()
    assert 'value="40"' in text and 'max="100"' in text and "hx-trigger" in text
    assert "HX-Redirect" not in response
    run.progress_path.unlink()


def test_a_bad_file_is_refused_and_nothing_written(client, personas):
    client.force_login(personas.kab)
    upload = SimpleUploadedFile("kosong.xlsx", b"not a spreadsheet at all")
    response = client.post(reverse("imports:import_upload"),
                           {"file": upload, "wilayah": "16.07", "tahun": 2024}, follow=True)
    assert ("kosong.xlsx tidak diimpor: Nama berkas berakhiran .xlsx, tetapi isinya berkas .csv."
            in response.content.decode())
    assert Enterprise.objects.count() == 0 and ImportRun.objects.count() == 0


def test_pimpinan_reads_the_history_only(client, personas):
    client.force_login(personas.pimpinan)
    assert client.get(reverse("imports:import_list")).status_code == 200
    assert client.get(reverse("imports:import_upload")).status_code == 403


def test_another_province_gets_404_on_a_batch(client, tmp_path, desa, personas,
                                              django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    run = _imported(client, tmp_path, django_capture_on_commit_callbacks)
    client.force_login(personas.other)
    for name in ("import_detail", "import_progress", "import_errors"):
        assert client.get(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    assert run.file_name not in client.get(reverse("imports:import_list")).content.decode()


def test_undo_reverts_a_batch(client, tmp_path, desa, personas,
                              django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    run = _imported(client, tmp_path, django_capture_on_commit_callbacks)
    assert client.post(reverse("imports:import_undo", args=[run.pk])).status_code == 403
    client.force_login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):  # the undo is a background task
        page = client.post(reverse("imports:import_undo", args=[run.pk]), follow=True)
    assert ("Pembatalan dimulai; halaman ini menampilkannya setelah selesai."
            in page.content.decode())
    run.refresh_from_db()
    assert run.status == "undone" and Enterprise.objects.count() == 0
    assert AuditLog.objects.filter(action="delete").count() == 10


def test_undo_of_a_run_whose_name_fills_the_audit_column(tmp_path, desa, personas,
                                                        django_capture_on_commit_callbacks):
    actor = personas.kab
    actor.api_token = object()  # started through the API with a token of a long name
    actor.audit_via = "token API: " + "portal data industri " * 4
    name = "data-ikm-kabupaten-banyuasin-2024-final-revisi-kedua.csv"
    path = services.keep_upload(SimpleUploadedFile(name, _csv_bytes(tmp_path)))
    run = services.queue_import(path, name, actor=actor, wilayah="16.07", tahun=2024, mapping={})
    services.run_queued_import(ImportRun.objects.select_related("actor").get(pk=run.pk))
    run.refresh_from_db()
    assert run.status == "done" and len(run.audit_via) == 120
    assert services.undo_import(run, actor=personas.admin) == 10
    run.refresh_from_db()
    assert run.status == "undone" and Enterprise.objects.count() == 0


def test_undo_is_refused_when_later_changes_would_be_lost(client, tmp_path, desa, personas,
                                                          django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    run = _imported(client, tmp_path, django_capture_on_commit_callbacks)
    enterprise = Enterprise.objects.get(name="CV Songket Indah")
    update_enterprise(enterprise, actor=personas.kab, changes={"products": "Songket emas"})
    client.force_login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import_undo", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "done" and Enterprise.objects.count() == 5
    page = client.get(reverse("imports:import_detail", args=[run.pk])).content.decode()
    assert "Pembatalan terakhir ditolak: Ada 1 perubahan sesudahnya" in page  # kept by the task
    assert "Batalkan impor ini" in page  # and it may be tried again


def test_template_download(client, personas):
    client.force_login(personas.kab)
    response = client.get(reverse("imports:import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook["Data IKM"][1]]
    assert header[:3] == ["NAMA PERUSAHAAN", "BENTUK USAHA", "NIB"]
    guide = [row for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert any(row[0] == "BENTUK USAHA" and "Perorangan" in row[2] for row in guide)
    # Every column of the data sheet is explained, in Indonesian, with the headers understood.
    assert [row[0] for row in guide[1:]] == [h for h in header if h]
    assert all(row[1] for row in guide[1:]), "a column without its meaning"
    assert guide[0][:2] == ("Kolom", "Arti")


def test_a_queued_import_that_fails_is_marked_failed_and_writes_nothing(tmp_path, desa,
                                                                        personas):
    grid, _merges = office_sheet(ROWS_2024)
    upload = upload_dir() / f"{uuid.uuid4()}.csv"
    write_csv(upload, [["ini bukan tabel IKM"]] + [[""] * 3] * 3)  # no header row anywhere
    run = services.queue_import(upload, "kosong.csv", actor=personas.kab, wilayah="16.07",
                                tahun=2024, mapping={})
    services.run_queued_import(run)
    run.refresh_from_db()
    assert run.status == "failed" and run.failure.startswith("Baris judul kolom tidak ditemukan")
    assert Enterprise.objects.count() == 0 and not run.progress_path.exists()
    crashed = upload_dir() / f"{uuid.uuid4()}.csv"
    write_csv(crashed, grid)
    run = services.queue_import(crashed, "ikm.csv", actor=personas.kab, wilayah="16.07",
                                tahun=2024, mapping={})
    # A crash after every row was written, before the run is finished: all of it goes.
    with pytest.raises(ZeroDivisionError), mock.patch.object(
            services, "_finish_run", side_effect=ZeroDivisionError):
        services.run_queued_import(run)
    run.refresh_from_db()
    assert run.failure == "Impor berhenti karena kesalahan tak terduga; tidak ada yang disimpan."
    assert Enterprise.objects.count() == 0


def test_history_exports_as_xlsx_and_csv(client, tmp_path, desa, personas,
                                         django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    run = _imported(client, tmp_path, django_capture_on_commit_callbacks)
    xlsx = client.get(reverse("imports:import_list_export", args=["xlsx"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
        values_only=True))
    assert rows[1][0] == run.pk and rows[1][8] == 6 and hasattr(rows[1][6], "year")
    text = b"".join(client.get(reverse("imports:import_list_export", args=["csv"]))
                    .streaming_content).decode()
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1][1] == "ikm-2024.csv"
    assert AuditLog.objects.filter(action="export").count() == 2
    assert client.get("/impor/riwayat.pdf").status_code == 404


@pytest.mark.parametrize("dry_run", [True, False])
def test_api_starts_an_import_and_follows_it(client, tmp_path, desa, personas, dry_run,
                                             django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    upload = SimpleUploadedFile("ikm.csv", _csv_bytes(tmp_path))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/", {"file": upload, "wilayah": "16.07",
                                                    "tahun": 2024, "dry_run": dry_run})
    if dry_run:
        assert response.status_code == 200 and response.json()["created"] == 5
        assert Enterprise.objects.count() == 0
        return
    assert response.status_code == 202
    followed = client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert followed["status"] == "done" and followed["created"] == 5
    assert followed["rows_invalid"] == 1 and followed["errors"][0]["row"] == 12
    client.force_login(personas.other)
    assert client.get(f"/api/v1/imports/{response.json()['id']}/").status_code == 404


def test_api_refuses_a_wilayah_outside_the_users(client, tmp_path, personas):
    client.force_login(personas.kab)
    upload = SimpleUploadedFile("ikm.csv", _csv_bytes(tmp_path))
    response = client.post("/api/v1/imports/", {"file": upload, "wilayah": "63.71",
                                                "tahun": 2024})
    assert response.status_code == 400 and "wilayah" in response.json()


def test_enterprise_list_exports_typed_masked_and_safe_xlsx(client, personas):
    from naikkelas.core.testing import make_enterprise, make_report
    enterprise = make_enterprise("16.07.01", name="=HYPERLINK(\"x\")", owner_nik="1607014507850001",
                                 owner_phone="081234567890")
    make_report(enterprise, 2024, investment=150_000_000)
    for persona, nik in ((personas.kab, "1607014507850001"), (personas.pimpinan, None)):
        client.force_login(persona)
        response = client.get(reverse("enterprises:enterprise_export_xlsx"), {"tahun": 2024})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header, row = [list(r) for r in sheet.iter_rows(values_only=True)][:2]
        values = dict(zip(header, row))
        assert values["nama_usaha"] == "'=HYPERLINK(\"x\")"
        assert values["investasi"] == 150_000_000 and values["tahun"] == 2024
        assert values["id"] == enterprise.pk
        if nik:
            assert values["nik_pemilik"] == nik
        else:
            assert "•" in values["nik_pemilik"] and "4567890" not in values["telepon"]
    assert AuditLog.objects.filter(action="export").count() == 2


def test_an_undo_runs_once_in_the_background_and_its_page_follows_it(
        client, tmp_path, desa, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    run = _imported(client, tmp_path, django_capture_on_commit_callbacks)
    client.force_login(personas.admin)
    undo = reverse("imports:import_undo", args=[run.pk])
    with django_capture_on_commit_callbacks() as queued:  # queued, not run yet
        client.post(undo)
        again = client.post(undo, follow=True)  # a second click while it waits
    assert len(queued) == 1
    assert "Impor ini sedang dibatalkan." in again.content.decode()
    run.refresh_from_db()
    assert run.status == "undoing"
    detail = client.get(reverse("imports:import_detail", args=[run.pk])).content.decode()
    assert "Impor sedang dibatalkan…" in detail and "Batalkan impor ini" not in detail
    assert client.get(reverse("imports:import_errors", args=[run.pk])).status_code == 200
    progress = client.get(reverse("imports:import_progress", args=[run.pk]))
    assert "HX-Redirect" not in progress  # polled on
    queued[0]()
    run.refresh_from_db()
    assert run.status == "undone" and Enterprise.objects.count() == 0
    progress = client.get(reverse("imports:import_progress", args=[run.pk]))
    assert progress["HX-Redirect"] == reverse("imports:import_detail", args=[run.pk])
