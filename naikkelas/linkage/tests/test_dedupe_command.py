"""`naikkelas dedupe FILE --output OUT` and `naikkelas dedupe --registry --wilayah KODE`."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from naikkelas.core.testing import make_enterprise
from naikkelas.linkage.models import CandidateStatus, DuplicateCandidate
from naikkelas.linkage.services import mark_not_duplicate

HEADER = ["NO", "NAMA USAHA", "NAMA PEMILIK", "NIK", "NO HP", "ALAMAT", "KECAMATAN",
          "KOMODITI", "KBLI", "KETERANGAN"]
ROWS = [
    ["1", "UD Keripik Barokah", "Hj. Siti Aminah", "1607014508900042", "0812-3456-7890",
     "Jl. Merdeka No. 5", "Banyuasin III", "keripik pisang", "10794", "binaan 2023"],
    ["2", "Songket Aminah", "Siti Aminah", "1607014508900042", "081234567890",
     "Jl. Merdeka No. 5", "Banyuasin III", "songket", "13121", ""],
    ["3", "Pempek Cek Mala", "Bapak Ahmad", "", "", "Jl. Sudirman", "Talang Kelapa", "pempek",
     "10750", ""],
    ["4", "Keripik Barokah", "Ibu Siti Aminah", "", "+62 812 3456 7890", "Jalan Merdeka no 5",
     "Banyuasin III", "keripik", "10794", "dari daftar KUR"],
]
TITLE = ["DATA IKM KABUPATEN BANYUASIN TAHUN 2024"]
FOOTER = ["JUMLAH", "", "", "", "", "", "", "", "", ""]


def dedupe(source, output, *extra) -> dict:
    out = io.StringIO()
    call_command("dedupe", str(source), "--output", str(output), "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def check_rows(rows: list[list[str]]) -> None:
    """Title, header, data and footer back unchanged; the two new columns say who is who."""
    assert rows[0][0] == TITLE[0]
    assert rows[1] == HEADER + ["cluster_id", "match_score"]
    data = rows[2:6]
    assert [r[:len(HEADER)] for r in data] == ROWS
    ids = [r[len(HEADER)] for r in data]
    assert ids[0] == ids[3]                      # one business, two lists
    assert len({ids[0], ids[1], ids[2]}) == 3    # same owner and address, other product: two
    assert 0.9 <= float(data[0][-1]) <= 1 and data[1][-1] == ""
    assert rows[6][0] == "JUMLAH" and rows[6][-2:] == ["", ""]


def test_csv_in_csv_out(tmp_path):
    source = tmp_path / "ikm.csv"
    with source.open("w", newline="", encoding="utf-8") as fp:
        csv.writer(fp, delimiter=";").writerows([TITLE, HEADER, *ROWS, FOOTER])
    summary = dedupe(source, tmp_path / "hasil.csv")
    assert summary == {"file": str(source), "output": str(tmp_path / "hasil.csv"), "rows": 4,
                       "clusters": 3, "duplicate_rows": 2}
    with (tmp_path / "hasil.csv").open(encoding="utf-8-sig", newline="") as fp:
        rows = list(csv.reader(fp))
    check_rows([r + [""] * (len(HEADER) + 2 - len(r)) for r in rows])


def test_xlsx_in_xlsx_out(tmp_path):
    source = tmp_path / "ikm.xlsx"
    book = openpyxl.Workbook()
    for row in [TITLE, HEADER, *ROWS, FOOTER]:
        book.active.append(row)
    book.save(source)
    dedupe(source, tmp_path / "hasil.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "hasil.xlsx").active
    rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    check_rows(rows)


def test_a_bad_file_or_output_is_refused_in_indonesian(tmp_path):
    source = tmp_path / "ikm.csv"
    source.write_text("a;b\n1;2\n")
    with pytest.raises(CommandError, match="Tidak ditemukan baris judul"):
        dedupe(source, tmp_path / "hasil.csv")
    with pytest.raises(CommandError, match=".csv atau .xlsx"):
        dedupe(source, tmp_path / "hasil.pdf")
    with pytest.raises(CommandError, match="kosong"):
        (tmp_path / "kosong.csv").write_text("")
        dedupe(tmp_path / "kosong.csv", tmp_path / "hasil.csv")


# --- the registry --------------------------------------------------------------------------

def registry_pair(kecamatan: str) -> list:
    return [make_enterprise(kecamatan, name="Pempek Cek Mala", owner_name="Hj. Mala",
                            owner_phone="081234567890", address="Jl. Merdeka 5"),
            make_enterprise(kecamatan, name="UD Pempek Cek Mala", owner_name="Mala",
                            owner_phone="6281234567890", address="Jalan Merdeka 5")]


def scan(*args) -> dict:
    out = io.StringIO()
    call_command("dedupe", "--registry", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_registry_scan_queues_pairs_inside_the_wilayah_only(personas):
    banyuasin = registry_pair("16.07.01")
    registry_pair("16.71.01")  # Palembang: another kab/kota
    summary = scan("--wilayah", "16.07", "--user", personas.kab.username)
    assert (summary["enterprises"], summary["pairs"], summary["created"]) == (2, 1, 1)
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.enterprise_a, candidate.enterprise_b} == set(banyuasin)
    assert "owner_phone" in candidate.agreed
    again = scan("--wilayah", "16.07")
    assert (again["created"], again["updated"]) == (0, 1)


@pytest.mark.django_db
def test_a_pair_marked_not_duplicate_never_returns(personas):
    registry_pair("16.07.01")
    scan("--wilayah", "16.07")
    mark_not_duplicate(DuplicateCandidate.objects.get(), actor=personas.kab)
    summary = scan("--wilayah", "16.07")
    assert summary["already_decided"] == 1 and summary["created"] == 0
    assert DuplicateCandidate.objects.get().status == CandidateStatus.NOT_DUPLICATE


@pytest.mark.django_db
def test_registry_scan_outside_the_users_wilayah_is_refused(personas):
    registry_pair("16.07.01")
    with pytest.raises(CommandError, match="di luar wilayah"):
        scan("--wilayah", "16.07", "--user", personas.other.username)
    with pytest.raises(CommandError, match="hanya dapat melihat data"):
        scan("--wilayah", "16.07", "--user", personas.pimpinan.username)
    with pytest.raises(CommandError):
        scan("--wilayah", "99.99")
    assert not DuplicateCandidate.objects.exists()


def test_xlsx_output_keeps_text_as_text_and_drops_what_a_worksheet_cannot_hold(tmp_path):
    # A csv may hold a control character (openpyxl refused it: a crash) or text that looks like
    # a formula (openpyxl made it a live one); the output gives the cells back as text.
    rows = [[*ROWS[0][:9], "=1+1"], [*ROWS[1][:9], "catatan\x01 lama"], *ROWS[2:]]
    source = tmp_path / "ikm.csv"
    with source.open("w", newline="", encoding="utf-8") as fp:
        csv.writer(fp, delimiter=";").writerows([TITLE, HEADER, *rows, FOOTER])
    dedupe(source, tmp_path / "hasil.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "hasil.xlsx").active
    notes = [sheet.cell(row=r, column=10) for r in (3, 4, 5)]
    assert [(c.value, c.data_type) for c in notes] == [("=1+1", "s"), ("catatan lama", "s"),
                                                        (None, "n")]
    assert sheet.cell(row=6, column=5).value == "+62 812 3456 7890"
