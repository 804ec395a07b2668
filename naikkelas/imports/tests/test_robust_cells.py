"""Cells no office means to write (1e30 as a latitude, a count with a million-digit exponent, a
TRUE in a number column, a csv quote never closed): a row error or a refusal with a message,
never a server error or an import that hangs."""

from decimal import InvalidOperation

import pytest

from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.imports import rows as rows_module
from naikkelas.imports.participants import import_participants
from naikkelas.imports.readers import UnreadableFile, read_csv
from naikkelas.imports.recipients import import_recipients
from naikkelas.imports.services import ImportRefused, import_file
from naikkelas.imports.tests.files import plain_sheet, write_csv, write_xls
from naikkelas.imports.tests.test_participants_recipients import HEADER as AID_HEADER, row
from naikkelas.programs.models import AidDelivery, ProgramType
from naikkelas.programs.tests.factories import make_program

pytestmark = pytest.mark.django_db

HEADER = ["NO", "NAMA USAHA", "PEMILIK", "KECAMATAN", "TK (L)", "KAPASITAS", "LINTANG", "BUJUR"]
GOOD = [1, "Usaha Baik", "Ani", "Banyuasin I", 2, 1200, -2.98, 104.75]
TOO_LARGE = "Angka ini terlalu besar untuk kolomnya; periksa isi sel."
NOT_A_NUMBER = "'%s' bukan angka."
DAMAGED = ("Berkas csv rusak: ada sel bertanda kutip yang tidak ditutup, atau ada baris yang "
           "tidak dapat dipecah menjadi kolom. Simpan ulang berkas dari program spreadsheet, lalu "
           "impor kembali.")


def _import(path, personas):
    return import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024)


def _errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def _rows(*changes: dict[int, object]) -> list[list]:
    """GOOD once, then a copy of it per change (column index -> value), numbered and named."""
    grid = [list(GOOD)]
    for number, change in enumerate(changes, start=2):
        cells = [number, f"Usaha Nomor {number}", *GOOD[2:]]
        for index, value in change.items():
            cells[index] = value
        grid.append(cells)
    return plain_sheet(HEADER, grid)


def test_spreadsheet_numbers_out_of_range_are_row_errors(tmp_path, personas):
    grid = _rows({5: 1.5e30}, {6: float("nan")}, {7: float("inf")}, {6: True}, {5: -1.5e30})
    result = _import(write_xls(tmp_path / "angka.xls", grid), personas)
    assert _errors(result) == [(3, "KAPASITAS", TOO_LARGE), (4, "LINTANG", NOT_A_NUMBER % "nan"),
                               (5, "BUJUR", NOT_A_NUMBER % "inf"),
                               (6, "LINTANG", NOT_A_NUMBER % "True"),
                               (7, "KAPASITAS", TOO_LARGE)]
    assert (result.rows_read, result.rows_imported) == (6, 1)
    assert Enterprise.objects.get().name == "Usaha Baik"


def test_csv_numbers_too_long_to_keep_are_row_errors(tmp_path, personas):
    digits27 = "1" * 27
    grid = _rows({6: "1e30"}, {5: digits27}, {7: f"-{digits27},5"}, {5: "1e-30"})
    result = _import(write_csv(tmp_path / "angka.csv", grid), personas)
    assert _errors(result) == [(3, "LINTANG", TOO_LARGE), (4, "KAPASITAS", TOO_LARGE),
                               (5, "BUJUR", TOO_LARGE)]
    assert result.rows_imported == 2  # a tiny capacity is read as 0,00


WORKERS_TOO_LARGE = ("Jumlah tenaga kerja terlalu besar; tuliskan jumlah orang yang bekerja di "
                     "usaha ini.")


def test_a_huge_worker_count_is_refused_at_once(tmp_path, personas):
    # int() of 1e1000000 took 31 s and of 1e10000000 never ended; the check is one comparison.
    grid = _rows({4: "1e30"}, {4: "1e1000000"}, {4: "1e10000000"}, {4: "3000000000"},
                 {4: "2147483647"}, {4: "1,2e3"})
    result = _import(write_csv(tmp_path / "tk.csv", grid), personas)
    assert _errors(result) == [(row, "TK (L)", WORKERS_TOO_LARGE) for row in (3, 4, 5, 6)]
    assert sorted(AnnualReport.objects.values_list("workers_male", flat=True)) == [
        2, 1200, 2_147_483_647]


def test_a_reader_that_fails_on_one_cell_costs_only_its_row(tmp_path, personas, monkeypatch):
    def fragile(value):
        if str(value) == "13":
            raise InvalidOperation([InvalidOperation])
        if str(value) == "14":
            raise OverflowError("int too large to convert to float")
        return rows_module._capacity(value)

    monkeypatch.setitem(rows_module._READERS, "capacity", fragile)
    result = _import(write_xls(tmp_path / "angka.xls", _rows({5: 13}, {5: 14})), personas)
    message = ("Isi sel ini tidak dapat dibaca. Periksa apakah penulisannya sama dengan nilai lain "
               "di kolom ini.")
    assert _errors(result) == [(3, "KAPASITAS", message), (4, "KAPASITAS", message)]
    assert result.rows_imported == 1


# --- read_csv: participant and recipient lists, `naikkelas dedupe` ------------------------------

def test_read_csv_reads_a_cell_longer_than_the_csv_module_limit():
    long = "x" * 200_000
    assert read_csv(f"NAMA;CATATAN\nAni;{long}\n".encode()) == [["NAMA", "CATATAN"], ["Ani", long]]


@pytest.mark.parametrize("text", ['NAMA;NIK\n"Ani;1\nBudi;2\nCitra;3\n',
                                  'NAMA;NIK\n"Ani" x;1\n'])
def test_read_csv_refuses_a_broken_quote_instead_of_losing_rows(text):
    with pytest.raises(UnreadableFile) as refused:
        read_csv(text.encode())
    assert str(refused.value) == DAMAGED


def test_a_participant_list_with_an_open_quote_is_refused(tmp_path, personas):
    program = make_program("16.07", name="Bimtek Pengemasan 2024")
    path = tmp_path / "peserta.csv"
    path.write_text('NO;NAMA PESERTA;NIK;KECAMATAN\n1;"Dewi Lestari;1607014508900077;Banyuasin I\n'
                    '2;Andi Saputra;1607011203950011;Banyuasin I\n', encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_participants(path, program=program, actor=personas.kab)
    assert str(refused.value) == DAMAGED


# --- dates in an aid recipient list ---------------------------------------------------------------

@pytest.mark.parametrize("sk_date, bast_date", [("01-01-0001", "02-01-0001"),
                                                ("15/07/0024", "16/07/0024")])
def test_a_recipient_list_refuses_dates_of_year_1_or_24(tmp_path, personas, sk_date, bast_date):
    make_enterprise("16.07.05", name="Songket Indah")
    program = make_program("16.07", name="Bantuan Peralatan 2024",
                           program_type=ProgramType.EQUIPMENT)
    rows = [row(1, "CV Songket Indah", "", "Betung", sk_date=sk_date, bast_date=bast_date)]
    result = import_recipients(write_csv(tmp_path / "penerima.csv", plain_sheet(AID_HEADER, rows)),
                               program=program, actor=personas.kab)
    year = int(sk_date[-4:])
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, column, f"Tahun {year} berada di luar rentang 1900–2100; tuliskan tanggal dengan "
                    "tahun empat angka, misalnya 15/07/2024.")
        for column in ("TANGGAL SK", "TANGGAL BAST")]
    assert not AidDelivery.objects.exists()
