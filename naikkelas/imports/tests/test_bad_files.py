"""Bad files are refused with one clear message, and nothing is written."""

import io
import struct
import zipfile

import pytest
from django.core.management import CommandError, call_command

from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import Enterprise
from naikkelas.imports import readers, services
from naikkelas.imports.models import ImportRun
from naikkelas.imports.readers import UnreadableFile, open_grid
from naikkelas.imports.tests.files import (
    ROWS_2024, office_sheet, write_csv, write_locked_ods, write_locked_xls, write_xls,
    write_xlsx)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refused(path) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), wilayah="16.07", tahun="2024")
    assert Enterprise.objects.count() == ImportRun.objects.count() == AuditLog.objects.count() == 0
    return str(caught.value)


def _xlsx(tmp_path):
    grid, merges = office_sheet(ROWS_2024)
    return write_xlsx(tmp_path / "data.xlsx", grid, merges)


@pytest.mark.django_db
def test_empty_file(tmp_path):
    (tmp_path / "kosong.xlsx").write_bytes(b"")
    assert _refused(tmp_path / "kosong.xlsx").endswith("kosong.xlsx tidak diimpor: Berkas kosong.")


@pytest.mark.django_db
def test_empty_csv(tmp_path):
    (tmp_path / "kosong.csv").write_text("\n \n", encoding="utf-8")
    assert "Berkas kosong." in _refused(tmp_path / "kosong.csv")


@pytest.mark.django_db
def test_no_recognisable_header(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Warna", "Rasa"], ["merah", "manis"]])
    assert "Baris judul kolom tidak ditemukan" in _refused(path)


@pytest.mark.django_db
def test_corrupt_file(tmp_path):
    (tmp_path / "rusak.xls").write_bytes(OLE_MAGIC + b"\x00" * 600)
    assert "Berkas rusak atau tidak dapat dibaca sebagai spreadsheet" in _refused(
        tmp_path / "rusak.xls")


@pytest.mark.django_db
def test_truncated_xlsx(tmp_path):
    data = _xlsx(tmp_path).read_bytes()
    (tmp_path / "potong.xlsx").write_bytes(data[: len(data) // 2])
    assert "Berkas rusak atau tidak lengkap" in _refused(tmp_path / "potong.xlsx")


@pytest.mark.django_db
def test_password_protected_xlsx(tmp_path):
    # An encrypted .xlsx is an OLE2 container holding these two streams instead of a zip.
    streams = "".join(f"{name}\0" for name in ("EncryptionInfo", "EncryptedPackage"))
    (tmp_path / "rahasia.xlsx").write_bytes(OLE_MAGIC + b"\0" * 504 + streams.encode("utf-16-le"))
    assert "Berkas dilindungi kata sandi" in _refused(tmp_path / "rahasia.xlsx")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["xls-rc4", "xls-xor", "ods"])
def test_password_protected_xls_and_ods(tmp_path, kind):
    grid, _merges = office_sheet(ROWS_2024)
    if kind == "ods":
        path = write_locked_ods(tmp_path / "rahasia.ods", grid)
    else:  # before, an XOR-obfuscated .xls was read as if plain: its text scrambled
        path = write_locked_xls(tmp_path / "rahasia.xls", grid, encryption=kind[4:])
    assert _refused(path).endswith(
        "rahasia.%s tidak diimpor: Berkas dilindungi kata sandi. Hapus kata sandinya di program "
        "spreadsheet, simpan, lalu impor ulang." % kind[:3])


@pytest.mark.parametrize("decoy, locked, expected", [
    (300, True, True),     # the same bytes, off a stream boundary, before the workbook's BOF
    (320, True, True),     # a stream of its own (an embedded object, say), without FILEPASS
    (300, False, False),   # off a boundary and followed by a FILEPASS: not a workbook's start
])
def test_only_a_bof_on_a_stream_boundary_opens_the_workbook(tmp_path, decoy, locked, expected):
    grid, _merges = office_sheet(ROWS_2024)
    path = (write_locked_xls(tmp_path / "a.xls", grid, encryption="xor") if locked
            else write_xls(tmp_path / "a.xls", grid))
    data = bytearray(path.read_bytes())
    bof = readers.XLS_GLOBALS_BOF[0]
    assert data.index(bof) >= 512  # the header sector holds no stream
    # Into the header's unused DIFAT entries: the BOF, then a record, FILEPASS unless locked.
    record = struct.pack("<HH", readers.XLS_FILEPASS if not locked else 0x00E1, 2) + b"\0\0"
    decoy_bytes = bof + bytes(4 + bof[2] - len(bof)) + record  # a whole BOF record, then it
    data[decoy:decoy + len(decoy_bytes)] = decoy_bytes
    assert readers._xls_encrypted(bytes(data)) is expected


@pytest.mark.django_db
def test_wrong_extension(tmp_path):
    xlsx = _xlsx(tmp_path)
    (tmp_path / "data.xls").write_bytes(xlsx.read_bytes())
    assert "berakhiran .xls, tetapi isinya berkas .xlsx" in _refused(tmp_path / "data.xls")
    grid, merges = office_sheet(ROWS_2024)
    xls = write_xls(tmp_path / "lama.xls", grid, merges)
    (tmp_path / "lama.csv").write_bytes(xls.read_bytes())
    assert "berakhiran .csv, tetapi isinya berkas .xls" in _refused(tmp_path / "lama.csv")
    (tmp_path / "foto.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    assert "isinya bukan spreadsheet" in _refused(tmp_path / "foto.xlsx")


@pytest.mark.django_db
def test_unsupported_extension(tmp_path):
    (tmp_path / "data.pdf").write_bytes(b"%PDF-1.4")
    assert "'.pdf' tidak dapat diimpor" in _refused(tmp_path / "data.pdf")


@pytest.mark.django_db
def test_too_large(tmp_path, settings):
    settings.NAIKKELAS_IMPORT_MAX_BYTES = 1000
    assert "melebihi batas 0.0 MB" in _refused(_xlsx(tmp_path))


@pytest.mark.django_db
def test_zip_bomb(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(64):
                member.write(chunk)
    (tmp_path / "bom.xlsx").write_bytes(buffer.getvalue())
    assert "akan mengembang menjadi 64.0 MB" in _refused(tmp_path / "bom.xlsx")


@pytest.mark.django_db
def test_unpacked_limit(tmp_path, settings):
    settings.NAIKKELAS_IMPORT_MAX_UNPACKED_BYTES = 2000
    assert "akan mengembang" in _refused(_xlsx(tmp_path))


@pytest.mark.django_db
def test_csv_with_a_quote_never_closed(tmp_path):
    grid, _merges = office_sheet(ROWS_2024)
    path = write_csv(tmp_path / "kutip.csv", grid)
    with path.open("a", encoding="utf-8") as fp:
        fp.write('6;"UD Tahu Sumedang;Banyuasin I\n')  # the quote around the name never closes
    assert "Berkas csv rusak: ada sel bertanda kutip yang tidak ditutup" in _refused(path)


def test_csv_damaged_far_down_is_refused_after_its_first_rows_were_read(tmp_path):
    """polars reads a big csv batch by batch, so damage far down the file surfaces midway."""
    lines = ["NAMA USAHA;KECAMATAN"] + [f"Usaha {n};Betung" for n in range(60_000)]
    path = tmp_path / "panjang.csv"
    path.write_text("\n".join([*lines, '"Usaha rusak;Betung', "Usaha akhir;Betung"]) + "\n",
                    encoding="utf-8")
    grid = open_grid(path)
    assert grid.total > 60_000  # counted without splitting cells: the damage is not seen yet
    read = 0
    with pytest.raises(UnreadableFile, match="Berkas csv rusak"):
        for _row in grid.rows_from(1):
            read += 1
    assert 0 < read <= 60_000


@pytest.mark.django_db
def test_a_file_found_damaged_midway_writes_nothing(tmp_path, monkeypatch):
    """Rows already written when the damage is found are rolled back with the rest."""
    grid, _merges = office_sheet(ROWS_2024)
    path = write_csv(tmp_path / "data.csv", grid)
    monkeypatch.setattr(services, "BATCH", 2)
    real = readers.open_grid
    written = []

    def damaged_after_four(path):
        stream = real(path)
        rows_from = stream.rows_from

        def rows(start):
            for number, row in enumerate(rows_from(start)):
                if number == 4:
                    raise UnreadableFile("Berkas csv rusak: uji.")
                yield row
        stream.rows_from = rows
        return stream

    real_write = services.BulkWriter.write

    def write(writer, rows, decisions):
        written.append(len(rows))
        return real_write(writer, rows, decisions)

    monkeypatch.setattr(services, "open_grid", damaged_after_four)
    monkeypatch.setattr(services.BulkWriter, "write", write)
    assert "Berkas csv rusak: uji." in _refused(path)
    assert sum(written) >= 2  # a batch was written before the damage was found
