"""Every format officials send, with the layout they use, imports the same five enterprises."""

import openpyxl
import pytest

from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.imports import readers
from naikkelas.imports.headers import field_for, find_header, normalise
from naikkelas.imports.readers import guess_delimiter
from naikkelas.imports.services import ImportRefused, import_file
from naikkelas.imports.tests.files import (
    ROWS_2024, office_sheet, write_csv, write_ods, write_xls, write_xlsx,
)

WRITERS = {
    "xlsx": lambda p, g, m: write_xlsx(p, g, m),
    "xls": lambda p, g, m: write_xls(p, g, m),
    "ods": lambda p, g, m: write_ods(p, g, m),
    "csv": lambda p, g, m: write_csv(p, g, ";", "utf-8-sig"),
    "csv-comma-utf8": lambda p, g, m: write_csv(p, g, ",", "utf-8"),
    "csv-cp1252": lambda p, g, m: write_csv(p, g, ";", "cp1252"),
}


@pytest.mark.parametrize("kind", WRITERS)
def test_office_layout_imports_in_every_format(kind, tmp_path, desa, personas):
    grid, merges = office_sheet(ROWS_2024)
    grid[7][1] = "Keripik Sanjai Barokah Café"  # a Windows-1252 character
    path = WRITERS[kind](tmp_path / f"data.{kind.split('-')[0]}", grid, merges)
    result = import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024)
    assert (result.rows_read, result.rows_imported, result.rows_invalid) == (5, 5, 0)
    assert (result.created, result.updated, result.uncertain) == (5, 0, 0)
    assert result.errors == []
    assert result.unknown_columns == ["KETERANGAN"]
    assert result.header_row == 4
    pempek = Enterprise.objects.get(nib="1234567890123")
    assert (pempek.name, pempek.kecamatan_id, pempek.desa_id) == (
        "UD Pempek Cek Molek", "16.07.01", "16.07.01.2001")
    assert (pempek.owner_nik, pempek.owner_phone, pempek.kbli_id, pempek.legal_form) == (
        "1607014507850001", "081234567890", "10750", "ud")
    report = AnnualReport.objects.get(enterprise=pempek, year=2024)
    assert (report.workers_male, report.workers_female, report.investment, report.sales) == (
        2, 3, 150_000_000, 600_000_000)
    sanjai = Enterprise.objects.get(name__startswith="Keripik Sanjai")
    assert sanjai.name == "Keripik Sanjai Barokah Café"
    assert (sanjai.desa_id, sanjai.owner_phone) == ("16.07.01.2002", "081234500001")
    assert AnnualReport.objects.get(enterprise=sanjai).sales == 120_000_000
    places = dict(Enterprise.objects.values_list("name", "kecamatan_id"))
    assert places["Toko Roti Mawar"] == "16.07.10"          # by code
    assert places["Kerupuk Ikan Sungsang"] == "16.07.02"    # lower case, double space
    assert places["CV Songket Indah"] == "16.07.05"


@pytest.mark.parametrize(("written", "field"), [
    ("NAMA PERUSAHAAN", "name"), ("Nama Usaha", "name"), ("Nama IKM", "name"),
    ("NAMA PEMILIK", "owner_name"), ("Pemilik", "owner_name"), ("NIK", "owner_nik"),
    ("NIB", "nib"), ("BENTUK USAHA", "legal_form"), ("ALAMAT", "address"),
    ("DESA/KEL", "desa"), ("Kelurahan", "desa"), ("DESA/KELURAHAN", "desa"),
    ("KECAMATAN", "kecamatan"), ("KBLI", "kbli"), ("KOMODITI", "products"),
    ("Produk", "products"), ("Jenis Produk", "products"), ("TK (L)", "workers_male"),
    ("Tenaga Kerja Laki-laki", "workers_male"), ("TK (P)", "workers_female"),
    ("Tenaga Kerja Perempuan", "workers_female"), ("NILAI INVESTASI (Rp)", "investment"),
    ("Investasi", "investment"), ("NILAI INVESTASI (Rp ribu)", "investment"),
    ("Modal Usaha", "working_capital"), ("OMZET", "sales"), ("Hasil Penjualan", "sales"),
    ("KAPASITAS PRODUKSI", "capacity"), ("SATUAN", "capacity_unit"),
    ("NILAI PRODUKSI", "production_value"), ("NILAI BAHAN BAKU", "raw_material_value"),
    ("TAHUN BERDIRI", "founded_year"), ("NO. HP", "owner_phone"), ("Telepon", "owner_phone"),
    ("Latitude", "latitude"), ("Longitude", "longitude"), ("NO", ""), ("No.", ""),
])
def test_header_synonyms(written, field):
    assert field_for(written) == field


def test_unknown_header_and_normalisation():
    assert field_for("Warna Favorit") is None
    assert normalise("  NILAI INVESTASI (Rp.) ") == "nilai investasi rp"


def test_header_in_thousands_multiplies_amounts(tmp_path, personas):
    grid = [["Nama Usaha", "Pemilik", "Kecamatan", "Investasi (Rp ribu)"],
            ["Usaha A", "Ani", "Betung", "1.500"]]
    result = import_file(write_xlsx(tmp_path / "a.xlsx", grid), actor=None, wilayah="16.07",
                         tahun=2024)
    assert result.created == 1
    assert AnnualReport.objects.get().investment == 1_500_000


def test_two_row_header_is_found_below_titles():
    grid, _merges = office_sheet(ROWS_2024)
    header = find_header(grid)
    assert (header.row, header.height) == (3, 2)
    by_field = {c.field: c.header for c in header.columns}
    assert by_field["workers_male"] == "TENAGA KERJA L"
    assert by_field["workers_female"] == "TENAGA KERJA P"
    assert by_field["investment"] == "NILAI INVESTASI (Rp)"


def test_semicolon_wins_over_commas_inside_amounts():
    sample = "DATA IKM\nNama;Omzet;Investasi\nA;Rp 1.500.000,-;Rp 2.000,-\nB;1.000,-;5\n"
    assert guess_delimiter(sample) == ";"
    assert guess_delimiter('Nama,Omzet\n"A","Rp 1.500.000,-"\nB,5\n') == ","


def test_map_option_reads_an_unknown_column(tmp_path, personas):
    grid = [["Nama Usaha", "Pemilik", "Kecamatan", "Pendapatan Setahun"],
            ["Usaha A", "Ani", "Betung", "Rp 5.000.000"]]
    path = write_xlsx(tmp_path / "a.xlsx", grid)
    result = import_file(path, actor=None, wilayah="16.07", tahun=2024, dry_run=True)
    assert result.unknown_columns == ["Pendapatan Setahun"]
    result = import_file(path, actor=None, wilayah="16.07", tahun=2024,
                         mapping={"pendapatan setahun": "sales"})
    assert result.unknown_columns == []
    assert AnnualReport.objects.get().sales == 5_000_000


def test_kecamatan_import_needs_no_kecamatan_column(tmp_path, personas):
    grid = [["Nama Usaha", "Pemilik", "TK (L)"], ["Usaha A", "Ani", "2"]]
    result = import_file(write_csv(tmp_path / "a.csv", grid), actor=personas.kab,
                         wilayah="16.07.05", tahun=2024)
    assert result.created == 1
    assert Enterprise.objects.get().kecamatan_id == "16.07.05"


def test_a_business_named_like_a_footer_is_data_and_a_total_below_still_ends_it(tmp_path,
                                                                               personas):
    # No NO column: before, "Total Print Digital" ended the data and the rows below it were
    # left out without a word.
    grid = [["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN", "TK (L)"],
            ["UD Maju Jaya", "Pak Budi", "Betung", 2],
            ["Total Print Digital", "Bu Ani", "Betung", 1],
            ["Catatan Kecil Craft", "Bu Rina", "Banyuasin I", 1],
            ["Keripik Sanjai", "Pak Udin", "Betung", 3],
            ["TOTAL", "", "", 7],
            ["Catatan: data sementara", "", "", ""],
            ["Usaha Di Bawah Catatan", "Pak Ali", "Betung", 1]]
    result = import_file(write_csv(tmp_path / "a.csv", grid), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    assert (result.rows_read, result.created, result.rows_invalid) == (4, 4, 0)
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == [
        "Catatan Kecil Craft", "Keripik Sanjai", "Total Print Digital", "UD Maju Jaya"]


def _workbook(path, sheets: dict[str, tuple[list[list], str]]):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, (grid, state) in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.sheet_state = state
        for row in grid:
            sheet.append(row)
    workbook.save(path)
    return path


IKM_HEADER = ["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN"]


def test_a_hidden_sheet_is_not_read_and_other_sheets_with_data_are_named(tmp_path, personas):
    # Before, the hidden sheet (last year's list kept out of sight) was imported, and the
    # other sheets were left out without a word.
    path = _workbook(tmp_path / "ikm.xlsx", {
        "Data 2023": ([IKM_HEADER, ["Usaha Lama", "Pak Lama", "Betung"]], "hidden"),
        "Data 2024": ([IKM_HEADER, ["Usaha Baru", "Bu Baru", "Betung"]], "visible"),
        "Petunjuk": ([["Isi satu baris untuk setiap IKM."]], "visible"),
        "Kec. Talang Kelapa": ([IKM_HEADER, ["Usaha Talang", "Pak Talang", "Talang Kelapa"]],
                               "visible"),
        "Arsip": ([IKM_HEADER, ["Usaha Arsip", "Pak Arsip", "Betung"]], "veryHidden")})
    result = import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024)
    assert (result.sheet, result.created) == ("Data 2024", 1)
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Usaha Baru"]
    assert result.warnings == [
        "Lembar lain dalam berkas ini juga berisi data IKM (Kec. Talang Kelapa); hanya lembar "
        "'Data 2024' yang dibaca. Impor setiap lembar sebagai berkas tersendiri."]


def test_data_only_in_hidden_sheets_is_refused_with_their_names(tmp_path, personas):
    path = _workbook(tmp_path / "ikm.xlsx", {
        "Kosong": ([], "visible"),
        "Data 2024": ([IKM_HEADER, ["Usaha Baru", "Bu Baru", "Betung"]], "hidden")})
    with pytest.raises(ImportRefused, match="hanya ada di lembar tersembunyi \\(Data 2024\\)"):
        import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024)
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("above", [[["DATA IKM BANYUASIN 2024"]], [[], []]])
def test_a_one_row_header_below_a_title_or_blank_rows_is_read_as_one_row(tmp_path, personas,
                                                                        above):
    # Before, the row above joined the header: the title was written into every unknown
    # column's name, and the header (and the error report's KESALAHAN label) a row too high.
    grid = [*above, ["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN", "KETERANGAN"],
            ["Usaha Baru", "Bu Baru", "Betung", "binaan"]]
    result = import_file(write_csv(tmp_path / "ikm.csv", grid), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    assert (result.header_row, result.unknown_columns, result.created) == (
        len(above) + 1, ["KETERANGAN"], 1)


@pytest.mark.parametrize("unit, factor", [("(Rp 000)", 1000), ("Rp juta", 1_000_000)])
def test_a_unit_row_above_a_one_row_header_still_multiplies_the_amounts(tmp_path, personas,
                                                                       unit, factor):
    # The row above adds the unit: it is a parent of the header, not a title.
    grid = [["", "", "", unit, ""],
            ["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN", "INVESTASI", "OMZET"],
            ["Usaha Baru", "Bu Baru", "Betung", 15, 90]]
    result = import_file(write_csv(tmp_path / "ikm.csv", grid), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    assert (result.header_row, result.created) == (1, 1)
    report = AnnualReport.objects.get()
    assert (report.investment, report.sales) == (15 * factor, 90 * factor)


def test_the_other_sheets_looked_at_are_bounded(tmp_path, personas, monkeypatch):
    monkeypatch.setattr(readers, "OTHER_SHEETS", 2)  # each one is read whole
    sheets = {f"Kec {n}": ([IKM_HEADER, [f"Usaha {n}", "Pemilik", "Betung"]], "visible")
              for n in range(5)}
    result = import_file(_workbook(tmp_path / "ikm.xlsx", sheets), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    assert result.created == 1
    assert result.warnings == [
        "Lembar lain dalam berkas ini juga berisi data IKM (Kec 1, Kec 2); hanya lembar 'Kec 0' "
        "yang dibaca. Impor setiap lembar sebagai berkas tersendiri. 2 lembar lain lagi tidak "
        "diperiksa."]


@pytest.mark.parametrize("layout, factors", [
    # the unit row below the header: before, the header was read without it (×1)
    ([["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN", "NILAI INVESTASI", "OMZET"],
      ["", "", "", "(Rp 000)", "(Rp 000)"]], (1000, 1000)),
    # a unit above, and a column naming its own: its own counts (it was ×1000 from above)
    ([["", "", "", "(Rp 000)", ""], ["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN", "INVESTASI",
                                     "OMZET (Rp)"]], (1000, 1)),
    # a merged parent naming the unit over its sub-columns: every one of them (OMZET was ×1)
    ([["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN", "NILAI (Rp 000)", ""],
      ["", "", "", "INVESTASI", "OMZET"]], (1000, 1000)),
    # a title giving the unit for the whole table
    ([["DATA IKM 2024 (dalam Rp 000)"], ["NAMA USAHA", "NAMA PEMILIK", "KECAMATAN", "INVESTASI",
                                         "OMZET"]], (1000, 1000)),
])
def test_units_written_around_the_header(tmp_path, personas, layout, factors):
    grid = [*layout, ["Usaha Baru", "Bu Baru", "Betung", 15, 90]]
    result = import_file(write_csv(tmp_path / "ikm.csv", grid), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    assert (result.rows_invalid, result.created, result.header_row) == (0, 1, 1)
    report = AnnualReport.objects.get()
    assert (report.investment, report.sales) == (15 * factors[0], 90 * factors[1])
