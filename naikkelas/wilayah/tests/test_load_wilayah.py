"""Regions at migrate time and the `load-wilayah` command (real Kepmendagri file and bad inputs).

Messages are checked on their stable parts (line number, code) until the Indonesian catalogue
exists; whatever goes wrong, nothing may be written.
"""

import csv
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import naikkelas
from naikkelas.wilayah.loaders import upsert_regions
from naikkelas.wilayah.models import Level, Wilayah

REFERENCE = Path(naikkelas.__file__).resolve().parents[2] / "shared" / "reference"
KEPMENDAGRI_2025 = REFERENCE / "wilayah_kepmendagri_2025.csv"

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    """A CSV file in the test's directory, written byte for byte (no newline translation)."""
    path = tmp_path / "wilayah.csv"
    path.write_bytes(text.encode(encoding))
    return path


def load(path: Path, *args: str) -> str:
    """Run the command and return what it printed."""
    out = StringIO()
    call_command("load_wilayah", str(path), *args, stdout=out)
    return out.getvalue()


def totals(output: str) -> list[int]:
    """(new, updated, unchanged) from the summary's first line, whatever the language."""
    return [int(n) for n in re.findall(r"\d+", output.splitlines()[0])]


def snapshot() -> dict[str, tuple]:
    """Every stored region: {kode: (nama, level, parent)}."""
    rows = Wilayah.objects.values_list("kode", "nama", "level", "parent_id")
    return {kode: tuple(rest) for kode, *rest in rows}


@pytest.mark.parametrize(("kode", "nama"), [
    ("16", "Sumatera Selatan"),
    ("16.07", "Kabupaten Banyuasin"),
    ("16.71", "Kota Palembang"),
    ("63.71", "Kota Banjarmasin"),
    ("18", "Lampung"),
])
def test_seed_regions_exist_after_migrate_with_kecamatan(kode, nama):
    wilayah = Wilayah.objects.get(kode=kode)
    assert wilayah.nama == nama
    assert wilayah.level == Wilayah.level_of(kode)
    assert Wilayah.objects.under(kode).at_level(Level.KECAMATAN).exists()


def test_reference_file_loads_every_level_and_a_second_run_changes_nothing():
    if not KEPMENDAGRI_2025.exists():
        pytest.skip(f"reference file {KEPMENDAGRI_2025} is not on this machine")
    with KEPMENDAGRI_2025.open(encoding="utf-8-sig", newline="") as f:
        rows = {kode: nama.strip() for kode, nama in list(csv.reader(f))[1:]}
    before = snapshot()

    dry = load(KEPMENDAGRI_2025, "--dry-run")
    assert snapshot() == before
    assert totals(dry)[0] == len(rows.keys() - before.keys())

    first = load(KEPMENDAGRI_2025)
    assert totals(first) == totals(dry)
    stored = snapshot()
    assert {kode: stored[kode][0] for kode in rows} == rows
    assert Wilayah.objects.at_level(Level.DESA).count() == 83_762
    assert stored["11.01.01.2001"] == ("Keude Bakongan", Level.DESA, "11.01.01")
    assert stored["16.07"][0] == "Kabupaten Banyuasin"

    second = load(KEPMENDAGRI_2025)
    assert totals(second) == [0, 0, len(rows)]
    assert snapshot() == stored


def test_changed_name_is_updated_and_reported(tmp_path):
    path = write(tmp_path, "kode,nama\n16.07,Kabupaten Banyuasin Baru\n16.71,Kota Palembang\n")
    output = load(path)
    assert totals(output) == [0, 1, 1]
    assert Wilayah.objects.get(kode="16.07").nama == "Kabupaten Banyuasin Baru"


def test_desa_under_a_stored_kecamatan_and_parents_later_in_the_file(tmp_path):
    load(write(tmp_path, "kode,nama\n16.07.99.2001,Desa Baru\n16.07.99,Kecamatan Baru\n"
                         "16.07.01.2001,Desa Lama\n"))
    assert Wilayah.objects.get(kode="16.07.99.2001").parent_id == "16.07.99"
    assert Wilayah.objects.get(kode="16.07.01.2001").level == Level.DESA


def test_bom_crlf_semicolons_and_blank_lines_are_accepted(tmp_path):
    load(write(tmp_path, "\ufeffkode;nama\r\n16.07.01.2001; Desa Uji \r\n\r\n"))
    assert Wilayah.objects.get(kode="16.07.01.2001").nama == "Desa Uji"


def test_dry_run_writes_nothing(tmp_path):
    before = snapshot()
    path = write(tmp_path, "kode,nama\n16.07.01.2001,Desa Uji\n16.07,Banyuasin\n")
    output = load(path, "--dry-run")
    assert totals(output) == [1, 1, 0]
    assert snapshot() == before


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("kode,nama\n16.07.01.2001,Desa A\n16.7,Salah\n", 3, "16.7"),
    ("kode,nama\n16.07.01.2001,Desa A\n16.07.01.201,Salah\n", 3, "16.07.01.201"),
    ("kode,nama\n16.07.01.2001,Desa A\n16.99.01,Kecamatan Yatim\n", 3, "16.99"),
    ("kode,nama\n16.07.01.2001,Desa A\n16.07.01.2001,Desa B\n", 3, "16.07.01.2001"),
    ("kode,nama\n16.07.01.2001,\n", 2, ""),
    ("kode,nama\n16.07.01.2001,Desa A,lebih\n", 2, "3"),
    ("code,name\n16.07.01.2001,Desa A\n", 1, "kode,nama"),
])
def test_bad_row_names_the_line_and_writes_nothing(tmp_path, text, line, fragment):
    before = snapshot()
    with pytest.raises(CommandError) as exc:
        load(write(tmp_path, text))
    message = str(exc.value)
    assert re.search(rf"\b{line}\b", message), message
    assert fragment in message
    assert snapshot() == before


def test_every_bad_line_is_listed(tmp_path):
    with pytest.raises(CommandError) as exc:
        load(write(tmp_path, "kode,nama\n16.7,A\n16.07.01.2001,B\n1607,C\n"))
    assert "16.7" in str(exc.value) and "1607" in str(exc.value)
    assert not Wilayah.objects.filter(kode="16.07.01.2001").exists()


@pytest.mark.parametrize(("content", "encoding"), [
    ("", "utf-8"),
    ("\ufeff\r\n", "utf-8"),
    ("kode,nama\n", "utf-8"),
    ("kode,nama\n16.07.01.2001,Pangkalan Balai Ü\n", "latin-1"),
])
def test_empty_header_only_or_non_utf8_file_is_refused(tmp_path, content, encoding):
    before = snapshot()
    with pytest.raises(CommandError):
        load(write(tmp_path, content, encoding))
    assert snapshot() == before


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="tidak-ada.csv"):
        load(tmp_path / "tidak-ada.csv")


def test_upsert_regions_keeps_its_migration_signature():
    rows = [("16.07.01.2001", "Desa Uji"), ("16.07", "Banyuasin")]
    assert upsert_regions(Wilayah, rows) == (1, 1)
    assert upsert_regions(Wilayah, [("16.07.01.2001", "Desa Uji")]) == (0, 0)


def test_renames_without_update_from_fall_back_to_bulk_update(monkeypatch):
    monkeypatch.setattr("naikkelas.wilayah.loaders._has_update_from", lambda: False)
    assert upsert_regions(Wilayah, [("16.07", "Banyuasin"), ("16.71", "Palembang")]) == (0, 2)
    assert Wilayah.objects.get(kode="16.71").nama == "Palembang"
