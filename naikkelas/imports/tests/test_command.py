"""`naikkelas import`: options, the JSON object, exit status and scope."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from naikkelas.cli import main
from naikkelas.enterprises.models import Enterprise
from naikkelas.imports import services
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, write_xlsx

JSON_KEYS = {"file", "rows_read", "rows_imported", "rows_invalid", "created", "updated",
             "uncertain", "errors"}


@pytest.fixture
def sheet(tmp_path):
    grid, merges = office_sheet(ROWS_2024)
    grid[7][4] = "12345"  # row 8: a short NIB
    return write_xlsx(tmp_path / "ikm.xlsx", grid, merges)


def _run(*args, **options) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err, **options)
    return json.loads(out.getvalue()), err.getvalue()


def test_json_object(sheet, desa, personas):
    data, err = _run(str(sheet), "--wilayah", "16.07", "--tahun", "2024", "--json",
                     "--user", "op_banyuasin")
    assert JSON_KEYS <= set(data)
    assert {k: data[k] for k in JSON_KEYS} == {
        "file": "ikm.xlsx", "rows_read": 5, "rows_imported": 4, "rows_invalid": 1, "created": 4,
        "updated": 0, "uncertain": 0,
        "errors": [{"row": 8, "column": "NIB",
                    "message": "Baris 8, kolom NIB: NIB harus 13 digit angka, tertulis 5 digit."}]}
    assert data["unknown_columns"] == ["KETERANGAN"]
    assert err == ""  # no progress bar when stderr is not a terminal


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_moves_batch_by_batch(sheet, desa, personas, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 2)  # five rows: three batches
    out, err = StringIO(), _Terminal()
    call_command("import", str(sheet), "--wilayah", "16.07", "--tahun", "2024", "--json",
                 "--user", "op_banyuasin", stdout=out, stderr=err)
    draws = [line.split("] ")[1].strip().split("/") for line in err.getvalue().split("\r")[1:]]
    done = [int(d) for d, _total in draws]
    total = int(draws[-1][1])
    assert len(draws) >= 4 and done == sorted(done) and 0 < done[0] < total == done[-1]
    assert err.getvalue().endswith("\n") and json.loads(out.getvalue())["rows_read"] == 5


def test_dry_run_and_map(sheet, desa, personas):
    data, _err = _run(str(sheet), "--wilayah", "16.07", "--tahun", "2024", "--json",
                      "--dry-run", "--map", "KETERANGAN=-")
    assert (data["created"], data["dry_run"], data["unknown_columns"]) == (4, True, [])
    assert Enterprise.objects.count() == 0


def test_text_summary(sheet, desa, personas):
    out = StringIO()
    call_command("import", str(sheet), wilayah="16.07", tahun="2024", stdout=out)
    assert "Baris 8, kolom NIB: NIB harus 13 digit angka, tertulis 5 digit." in out.getvalue()


def test_user_of_another_province_is_refused(sheet, personas):
    with pytest.raises(CommandError, match="op_kalsel"):
        call_command("import", str(sheet), wilayah="16.07", tahun="2024", user="op_kalsel")
    assert Enterprise.objects.count() == 0


def test_pimpinan_may_not_import(sheet, personas):
    with pytest.raises(CommandError):
        call_command("import", str(sheet), wilayah="16.07", tahun="2024",
                     user="pimpinan_banyuasin")


@pytest.mark.parametrize(("options", "needle"), [
    ({"wilayah": "99.99", "tahun": "2024"}, "99.99"),
    ({"wilayah": "16.07", "tahun": "dua ribu"}, "--tahun"),
    ({"wilayah": "16.07", "tahun": "2024", "mappings": ["Kolom=warna"]}, "--map"),
])
def test_bad_options(sheet, db, options, needle):
    with pytest.raises(CommandError, match=needle):
        call_command("import", str(sheet), **options)


@pytest.mark.django_db
def test_exit_status_of_the_console_script(tmp_path, capsys):
    """Through `naikkelas import`: exit 1 with the message on stderr for an unreadable file."""
    (tmp_path / "kosong.csv").write_bytes(b"")
    with pytest.raises(SystemExit) as exit_:
        main(["naikkelas", "import", str(tmp_path / "kosong.csv"), "--wilayah", "16.07",
              "--tahun", "2024"])
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "Berkas kosong." in captured.err and captured.out == ""


def test_a_file_without_kecamatan_column_is_refused_in_words_every_caller_knows(tmp_path, db):
    grid = [["NAMA USAHA", "NAMA PEMILIK", "TK (L)"], ["Usaha A", "Ani", 2]]
    path = write_xlsx(tmp_path / "tanpa-kecamatan.xlsx", grid)
    with pytest.raises(CommandError) as refused:
        _run(str(path), "--wilayah", "16.07", "--tahun", "2024")
    assert str(refused.value).endswith(
        "Berkas tidak memiliki kolom KECAMATAN; kolom ini wajib kecuali impor untuk satu "
        "kecamatan (wilayah impor berupa kode kecamatan).")  # the web and the API say it too
