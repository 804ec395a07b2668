"""The `load-kbli` command: the real KBLI 2020 file, hierarchy checks and bad inputs.

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
from naikkelas.kbli.models import Kbli, Level

REFERENCE = Path(naikkelas.__file__).resolve().parents[2] / "shared" / "reference"
KBLI_2020 = REFERENCE / "kbli2020.csv"

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, text: str) -> Path:
    """A CSV file in the test's directory, written byte for byte (no newline translation)."""
    path = tmp_path / "kbli.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def load(path: Path, *args: str) -> tuple[str, str]:
    """Run the command; return what it printed on stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("load_kbli", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def totals(output: str) -> list[int]:
    """(new, updated, unchanged) from the summary's first line, whatever the language."""
    return [int(n) for n in re.findall(r"\d+", output.splitlines()[0])]


def snapshot() -> dict[str, tuple]:
    """Every stored code: {kode: (judul, uraian, level, division)}."""
    rows = Kbli.objects.values_list("kode", "judul", "uraian", "level", "division")
    return {kode: tuple(rest) for kode, *rest in rows}


def reference_rows() -> list[list[str]]:
    if not KBLI_2020.exists():
        pytest.skip(f"reference file {KBLI_2020} is not on this machine")
    with KBLI_2020.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))[1:]


def test_reference_file_is_refused_as_it_has_gaps_in_the_hierarchy():
    reference_rows()
    before = snapshot()
    with pytest.raises(CommandError) as exc:
        load(KBLI_2020)
    message = str(exc.value)
    assert re.search(r"\b567\b.*\b151\b", message)  # 1511 without golongan 151
    assert re.search(r"\b2377\b.*\b8421\b.*\b2376\b", message)  # 8421 written twice
    assert snapshot() == before


def test_reference_file_loads_leniently_and_a_second_run_changes_nothing():
    rows = reference_rows()
    expected = {kode: (judul, uraian) for kode, judul, uraian in rows}  # the last row wins

    output, warnings = load(KBLI_2020, "--lenient")
    assert "2377" in warnings and "151" in warnings
    stored = snapshot()
    assert {kode: stored[kode][:2] for kode in expected} == expected
    assert len(stored) == len(expected) == 2704
    assert sum(totals(output)) == 2704
    assert stored["10750"][1]  # uraian arrives with the full file
    assert stored["47"][2:] == (Level.GOLONGAN_POKOK, "47")
    assert stored["G"][2:] == (Level.KATEGORI, "")

    output, _warnings = load(KBLI_2020, "--lenient")
    assert totals(output) == [0, 0, 2704]
    assert snapshot() == stored


def test_bom_crlf_and_a_new_kategori_with_its_golongan_pokok(tmp_path):
    output, _ = load(write(tmp_path, "\ufeffkode,judul,uraian\r\nG,PERDAGANGAN,\r\n"
                                     "45,PERDAGANGAN MOBIL,Uraian\r\n"))
    assert totals(output) == [2, 0, 0]
    assert Kbli.objects.get(kode="45").uraian == "Uraian"
    assert Kbli.objects.get(kode="G").level == Level.KATEGORI


def test_a_file_without_uraian_keeps_stored_descriptions(tmp_path):
    load(write(tmp_path, "kode,judul,uraian\n10750,INDUSTRI MAKANAN DAN MASAKAN OLAHAN,Pempek\n"))
    path = write(tmp_path, "kode,judul\n10750,MAKANAN OLAHAN\n10710,INDUSTRI PRODUK ROTI DAN KUE\n")
    output, _ = load(path)
    assert totals(output) == [0, 1, 1]
    assert Kbli.objects.filter(kode="10750", judul="MAKANAN OLAHAN", uraian="Pempek").exists()


def test_dry_run_writes_nothing(tmp_path):
    before = snapshot()
    output, _ = load(write(tmp_path, "kode,judul\n10759,KELOMPOK UJI\n"), "--dry-run")
    assert totals(output) == [1, 0, 0]
    assert snapshot() == before


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("kode,judul\n10759,UJI\n1075A,SALAH\n", 3, "1075A"),
    ("kode,judul\n10759,UJI\nV,SALAH\n", 3, "'V'"),
    ("kode,judul\n10759,UJI\n04,BUKAN GOLONGAN POKOK\n", 3, "04"),
    ("kode,judul\n10759,UJI\n45,TANPA KATEGORI G\n", 3, "G"),
    ("kode,judul\n10759,UJI\n10891,TANPA SUBGOLONGAN\n", 3, "1089"),
    ("kode,judul\n10759,UJI\n10759,LAGI\n", 3, "10759"),
    ("kode,judul\n10759,\n", 2, ""),
    ("kode,judul\n10759,UJI,URAIAN\n", 2, "3"),
    ("kode,nama\n10759,UJI\n", 1, "kode,judul"),
    ("kode,judul,uraian,catatan\n10759,UJI,,\n", 1, "catatan"),
])
def test_bad_row_names_the_line_and_writes_nothing(tmp_path, text, line, fragment):
    before = snapshot()
    with pytest.raises(CommandError) as exc:
        load(write(tmp_path, text))
    message = str(exc.value)
    assert re.search(rf"\b{line}\b", message), message
    assert fragment in message
    assert snapshot() == before


def test_lenient_load_still_needs_the_golongan_pokok(tmp_path):
    with pytest.raises(CommandError, match="452"):
        load(write(tmp_path, "kode,judul\n45201,TANPA GOLONGAN POKOK\n"), "--lenient")
    output, warnings = load(write(tmp_path, "kode,judul\n10891,TANPA SUBGOLONGAN\n"), "--lenient")
    assert totals(output) == [1, 0, 0] and "1089" in warnings


@pytest.mark.parametrize("text", ["", "kode,judul,uraian\n", "\r\n\r\n"])
def test_empty_or_header_only_file_is_refused(tmp_path, text):
    before = snapshot()
    with pytest.raises(CommandError):
        load(write(tmp_path, text))
    assert snapshot() == before
