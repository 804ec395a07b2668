"""The web import when a person does more than one thing at a time: two tabs, a double click, a
sweep while a check writes; and the columns a preview lets them map by hand (headed alike, or the
columns every import needs)."""

import io
import os
import time
import uuid

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.enterprises.models import Enterprise
from naikkelas.imports import checks, views
from naikkelas.imports.models import ImportRun, upload_dir
from naikkelas.imports.tests.files import plain_sheet, write_csv
from naikkelas.imports.tests.test_web import _csv_bytes, _shown

pytestmark = pytest.mark.django_db

PREVIEW = reverse("imports:import_preview")
CONFIRM = reverse("imports:import_confirm")
ROW = ["UD Pempek Cek Molek", "Siti Aminah", "Banyuasin I", "1234567890123"]


def _upload(client, name: str, content: bytes, tahun: int = 2024):
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("imports:import_upload"),
                           {"file": upload, "wilayah": "16.07", "tahun": tahun})
    assert response["Location"] == PREVIEW
    return response


def _sheet(tmp_path, header: list[str], rows: list[list]) -> bytes:
    return write_csv(tmp_path / "sheet.csv", plain_sheet(header, rows)).read_bytes()


def _page(response) -> str:
    return response.content.decode()


# 1. A form says which upload and which check it was for.

def test_confirm_in_a_tab_whose_upload_another_tab_replaced_imports_nothing(
        client, tmp_path, desa, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _csv_bytes(tmp_path), tahun=2024)
    first_tab = _shown(client)
    _upload(client, "B-2023.csv", _csv_bytes(tmp_path), tahun=2023)  # in the second tab
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONFIRM, first_tab, follow=True)
    assert ImportRun.objects.count() == 0 and Enterprise.objects.count() == 0
    assert response.redirect_chain == [(PREVIEW, 302)]
    page = _page(response)
    assert ("B-2023.csv diunggah di tab lain setelah halaman tadi dibuka dan menggantikan "
            "berkasnya; tidak ada yang diimpor atau diubah.") in page
    assert "B-2023.csv untuk 16.07, tahun 2023" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, _shown(client))  # the button of the preview now shown
    assert (ImportRun.objects.get().file_name, ImportRun.objects.get().tahun) == (
        "B-2023.csv", 2023)


def test_a_mapping_sent_from_a_replaced_preview_is_not_applied(client, tmp_path, desa,
                                                               personas):
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _csv_bytes(tmp_path))
    first_tab = _shown(client)
    _upload(client, "B-2023.csv", _csv_bytes(tmp_path), tahun=2023)
    response = client.post(PREVIEW, {"column_0": "products", **first_tab}, follow=True)
    assert client.session[views.SESSION_KEY]["mapping"] == {}
    assert "B-2023.csv diunggah di tab lain" in _page(response)


def test_confirm_after_another_tab_changed_the_mapping_imports_nothing(client, tmp_path, desa,
                                                                       personas):
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _csv_bytes(tmp_path))
    first_tab = _shown(client)
    client.post(PREVIEW, {"column_0": "products", **_shown(client)})  # the second tab
    response = client.post(CONFIRM, first_tab, follow=True)
    assert ImportRun.objects.count() == 0
    assert ("Pemetaan kolom diubah di tab lain setelah halaman tadi dibuka; tidak ada yang "
            "diimpor atau diubah.") in _page(response)
    assert 'selected>products' in _page(response).replace('"products" ', "")


# 2. A confirm sent twice imports once.

def test_a_confirm_sent_twice_imports_once_and_leads_to_that_import(
        client, tmp_path, desa, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _csv_bytes(tmp_path))
    shown = _shown(client)
    pending = client.session[views.SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(CONFIRM, shown)
    run = ImportRun.objects.get()
    detail = reverse("imports:import_detail", args=[run.pk])
    assert first["Location"] == detail
    # The second request read the session before the first saved it: the upload still waits.
    session = client.session
    session[views.SESSION_KEY] = pending
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(CONFIRM, shown)  # before: IntegrityError on the token, a 500
    assert second.status_code == 302 and second["Location"] == detail
    # A second click that came once the first was saved: nothing waits in the session any more.
    session = client.session
    del session[views.SESSION_KEY]
    session.save()
    third = client.post(CONFIRM, shown, follow=True)  # before: 404, "upload it again"
    assert third.redirect_chain == [(detail, 302)]
    assert "Berkas ini sudah dikonfirmasi dan hanya diimpor sekali" in _page(third)
    run.refresh_from_db()
    assert ImportRun.objects.count() == 1 and (run.status, run.created) == ("done", 5)
    assert Enterprise.objects.count() == 5


# 3. Sweeping while a check writes its files.

def test_an_upload_while_a_check_replaces_its_progress_file_is_not_a_server_error(
        client, tmp_path, desa, personas, monkeypatch):
    folder = upload_dir()
    written = folder / f"{uuid.uuid4().hex}.check-progress.json.partial"

    class Replaced(type(folder)):
        """Listed with the folder, then moved onto the progress file (os.replace)."""

        def is_file(self) -> bool:
            return True

    class Listed(type(folder)):
        def iterdir(self):
            yield from super().iterdir()
            yield Replaced(written)

    monkeypatch.setattr(checks, "upload_dir", lambda: Listed(folder))
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _csv_bytes(tmp_path))  # before: FileNotFoundError, a 500


def test_sweep_leaves_a_partial_file_being_written_and_removes_one_a_crash_left():
    writing = upload_dir() / f"{uuid.uuid4().hex}.check.json.partial"
    crashed = upload_dir() / f"{uuid.uuid4().hex}.check.json.partial"
    for path in (writing, crashed):
        path.write_text("{}")
    old = time.time() - checks.KEEP_SECONDS - 60
    os.utime(crashed, (old, old))
    checks.sweep()
    assert writing.exists() and not crashed.exists()
    writing.unlink()


# 4. Columns headed alike are mapped each on its own.

@pytest.mark.parametrize("second", ["URAIAN", "Uraian"])
def test_a_column_headed_like_another_is_mapped_on_its_own(
        client, tmp_path, desa, personas, second, django_capture_on_commit_callbacks):
    header = ["NAMA PERUSAHAAN", "NAMA PEMILIK", "KECAMATAN", "URAIAN", second]
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _sheet(tmp_path, header, [[*ROW[:3], "catatan", "Pempek"]]))
    page = _page(client.get(PREVIEW))
    assert ">URAIAN (kolom D)<" in page and f">{second} (kolom E)<" in page
    client.post(PREVIEW, {"column_0": "", "column_1": "products", **_shown(client)})
    page = _page(client.get(PREVIEW))
    assert "muncul dua kali" not in page
    assert 'selected>products' in page.replace('"products" ', "")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, _shown(client))
    assert Enterprise.objects.get().products == "Pempek"  # before: "catatan", column D


def test_two_columns_cannot_be_mapped_to_one_field(client, tmp_path, desa, personas):
    header = ["NAMA PERUSAHAAN", "NAMA PEMILIK", "KECAMATAN", "URAIAN", "URAIAN"]
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _sheet(tmp_path, header, [[*ROW[:3], "catatan", "Pempek"]]))
    response = client.post(PREVIEW, {"column_0": "products", "column_1": "products",
                                     **_shown(client)})
    assert response.status_code == 200
    assert ("URAIAN (kolom D) dan URAIAN (kolom E) sama-sama dipetakan ke products; satu isian "
            "hanya dibaca dari satu kolom.") in _page(response)
    assert client.session[views.SESSION_KEY]["mapping"] == {}


def test_the_command_line_mapping_by_header_is_unchanged(tmp_path, desa, personas):
    from naikkelas.imports.headers import parse_mapping
    from naikkelas.imports.services import import_file
    path = tmp_path / "ikm.csv"
    path.write_bytes(_sheet(tmp_path, ["NAMA PERUSAHAAN", "NAMA PEMILIK", "LOKASI (KECAMATAN)", "NIB"],
                            [ROW]))
    result = import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024,
                         mapping=parse_mapping(["Lokasi (Kecamatan)=kecamatan"]))
    assert result.created == 1 and result.unknown_columns == []


# 5. A column every import needs, under a heading not recognised.

@pytest.mark.parametrize("header, missing, label", [
    (["NAMA PERUSAHAAN", "NAMA PEMILIK", "LOKASI (KECAMATAN)", "NIB"], "kecamatan (KECAMATAN)",
     "LOKASI (KECAMATAN) (kolom C)"),
    (["NAMA IKM/UMKM", "NAMA PEMILIK", "KECAMATAN", "NIB"], "nama usaha (NAMA PERUSAHAAN)",
     "NAMA IKM/UMKM (kolom A)"),
])
def test_a_required_column_under_an_unknown_heading_can_be_mapped_by_hand(
        client, tmp_path, desa, personas, header, missing, label,
        django_capture_on_commit_callbacks):
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _sheet(tmp_path, header, [ROW]))
    response = client.get(PREVIEW)
    assert response.status_code == 200  # before: the upload was discarded, back to the form
    page = _page(response)
    assert (f"Tidak ada kolom yang dikenali sebagai {missing}. Pilih di bawah ini kolom yang "
            "memuatnya, lalu periksa lagi; atau ganti judul kolom itu di berkas menjadi yang "
            "tertulis dalam kurung, atau gunakan templat standar, lalu unggah lagi berkasnya."
            in page)
    assert "--" not in page.split('id="refusal"')[1].split("</p>")[0]
    assert f">{label}<" in page and 'id="confirm"' not in page
    field = "kecamatan" if "KECAMATAN)" in missing else "name"
    client.post(PREVIEW, {"column_0": field, **_shown(client)})
    page = _page(client.get(PREVIEW))
    assert 'data-count="rows_read">1<' in page and 'data-count="created">1<' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, _shown(client))
    assert Enterprise.objects.get().kecamatan_id == "16.07.01"
    # The error report finds the header with the run's mapping, as the import did.
    report = client.get(reverse("imports:import_errors", args=[ImportRun.objects.get().pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    assert next(sheet.iter_rows(values_only=True))[-1] == "KESALAHAN"


def test_a_required_column_that_cannot_be_mapped_is_explained_without_command_line_flags(
        client, tmp_path, desa, personas):
    client.force_login(personas.kab)
    _upload(client, "A-2024.csv", _sheet(tmp_path, ["NAMA PERUSAHAAN", "NAMA PEMILIK", "NIB"],
                                         [[*ROW[:2], ROW[3]]]))
    response = client.get(PREVIEW, follow=True)
    assert response.redirect_chain == [(reverse("imports:import_upload"), 302)]
    page = _page(response)
    assert ("A-2024.csv tidak diimpor: Tidak ada kolom yang dikenali sebagai kecamatan "
            "(KECAMATAN). Ganti judul kolom itu di berkas menjadi yang tertulis dalam kurung, "
            "atau gunakan templat standar, lalu unggah lagi berkasnya.") in page
    assert "--wilayah" not in page
    assert views.SESSION_KEY not in client.session
