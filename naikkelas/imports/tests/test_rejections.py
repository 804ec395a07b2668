"""Every rejection rule, with the exact message, the row as the user sees it and the column header."""

import pytest

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises.models import Enterprise
from naikkelas.imports.models import ImportRun
from naikkelas.imports.services import import_file
from naikkelas.imports.tests.files import write_csv, write_xls, write_xlsx

HEADER = ["NO", "NAMA USAHA", "PEMILIK", "NIK", "NIB", "KECAMATAN", "DESA", "TK (L)", "TK (P)",
          "OMZET", "INVESTASI", "TAHUN BERDIRI", "KBLI", "BENTUK USAHA", "JENIS KELAMIN",
          "KAPASITAS", "LINTANG"]
GOOD = {"NAMA USAHA": "Usaha Baik", "PEMILIK": "Ani", "NIK": "", "NIB": "1111111111111",
        "KECAMATAN": "Banyuasin I", "DESA": "Sungai Rebo", "TK (L)": 1, "TK (P)": 2,
        "OMZET": "Rp 1.000.000,-", "INVESTASI": 500000, "TAHUN BERDIRI": 2010, "KBLI": "10750",
        "BENTUK USAHA": "UD", "JENIS KELAMIN": "P", "KAPASITAS": 1200, "LINTANG": -2.98}
# (what differs from GOOD, expected errors as (column, message)); the sheet starts at row 4.
CASES = [
    ({}, []),
    ({"NAMA USAHA": ""}, [("NAMA USAHA", "Nama usaha kosong.")]),
    ({"NIB": "123456789012"}, [("NIB", "NIB harus 13 digit angka, tertulis 12 digit.")]),
    ({"NIB": "12345ABC90123"}, [("NIB", "NIB hanya boleh berisi angka.")]),
    ({"NIK": "160701450785000"}, [("NIK", "NIK harus 16 digit angka, tertulis 15 digit.")]),
    ({"KECAMATAN": "Banjarmasin Barat"},
     [("KECAMATAN", "Kecamatan 'Banjarmasin Barat' (63.71.03) berada di luar Kabupaten Banyuasin.")]),
    ({"KECAMATAN": "63.71.03"},
     [("KECAMATAN", "Kecamatan '63.71.03' (63.71.03) berada di luar Kabupaten Banyuasin.")]),
    ({"KECAMATAN": "Atlantis"},
     [("KECAMATAN", "Tidak ada kecamatan bernama 'Atlantis' di Kabupaten Banyuasin.")]),
    ({"TK (L)": -2}, [("TK (L)", "Jumlah tenaga kerja tidak boleh negatif.")]),
    ({"TK (P)": "dua"}, [("TK (P)", "'dua' bukan jumlah tenaga kerja yang valid.")]),
    ({"OMZET": "-5.000.000"}, [("OMZET", "Nilai tidak boleh negatif.")]),
    ({"INVESTASI": "sejuta"},
     [("INVESTASI", "'sejuta' bukan nilai rupiah yang valid; contoh penulisan: "
                   "1.500.000.")]),
    ({"TAHUN BERDIRI": "20x5"}, [("TAHUN BERDIRI", "'20x5' bukan tahun yang valid.")]),
    ({"KBLI": "99999"}, [("KBLI", "Kode KBLI '99999' tidak ada.")]),
    ({"DESA": "Antah Berantah"},
     [("DESA", "Tidak ada desa/kelurahan bernama 'Antah Berantah' di kecamatan "
                "Banyuasin I.")]),
    ({"NAMA USAHA": "Usaha Kembar", "NIB": "1111111111111"}, [("NIB", "NIB yang sama sudah ada di baris 4.")]),
    ({"NIB": "5555555555555"}, [("NIB", "NIB ini sudah terdaftar untuk usaha lain.")]),
    ({"BENTUK USAHA": "Firma"},
     [("BENTUK USAHA", "Bentuk usaha 'Firma' tidak dikenal; tuliskan salah satu dari: "
                       "Perorangan, UD, CV, PT, Koperasi, KUB.")]),
    ({"PEMILIK": ""}, [("PEMILIK", "Nama pemilik kosong.")]),
    ({"JENIS KELAMIN": "X"},
     [("JENIS KELAMIN", "Tuliskan jenis kelamin sebagai L atau P, bukan 'X'.")]),
    ({"KAPASITAS": -5}, [("KAPASITAS", "Kapasitas produksi tidak boleh negatif.")]),
    ({"KAPASITAS": "banyak"}, [("KAPASITAS", "'banyak' bukan angka.")]),
    ({"LINTANG": "utara"}, [("LINTANG", "'utara' bukan angka.")]),
    ({"LINTANG": 120},  # Indonesia lies between 11° S and 6° N
     [("LINTANG", "Pastikan nilai ini lebih kecil dari atau sama dengan 6.")]),
    ({"NAMA USAHA": "Keripik " * 40},  # too long, and not "empty" as well
     [("NAMA USAHA", "Teks lebih dari 200 karakter.")]),
    ({"KECAMATAN": ""}, [("KECAMATAN", "Kecamatan kosong.")]),
    ({"KECAMATAN": "Banyuasin"},  # as near Banyuasin I as II and III: not guessed
     [("KECAMATAN", "Ada lebih dari satu kecamatan bernama 'Banyuasin' di Kabupaten Banyuasin; "
                    "tuliskan kodenya.")]),
    ({"NIK": "1607019913850001"},
     [("NIK", "Digit ke-7 sampai ke-12 NIK harus berupa tanggal lahir (DDMMYY, tanggal + 40 "
              "untuk perempuan).")]),
    ({"NIK": "9907014507850001"},
     [("NIK", "Enam digit pertama NIK (990701) bukan kode kecamatan yang terdaftar.")]),
    ({"NAMA USAHA": "", "NIB": "12", "TK (L)": "x"},
     [("NAMA USAHA", "Nama usaha kosong."), ("NIB", "NIB harus 13 digit angka, tertulis 2 digit."),
      ("TK (L)", "'x' bukan jumlah tenaga kerja yang valid.")]),
]
FIRST_ROW = 4


def _sheet() -> list[list]:
    grid = [["DATA IKM KABUPATEN BANYUASIN 2024"], [], HEADER]
    for number, (changes, _errors) in enumerate(CASES, start=1):
        # Only the good row and the cases about NIB carry one (the duplicate repeats row 4's).
        values = {**GOOD, "NIB": "" if changes else GOOD["NIB"], **changes}
        grid.append([number] + [values[h] for h in HEADER[1:]])
    grid.append(["JUMLAH", "", "", "", "", "", "", 10, 20])
    return grid


@pytest.fixture
def result(tmp_path, desa, personas):
    make_enterprise("63.71.01", nib="5555555555555")  # registered outside Banyuasin
    return import_file(write_xlsx(tmp_path / "salah.xlsx", _sheet()), actor=personas.kab,
                       wilayah="16.07", tahun=2024)


def test_exact_counts(result):
    assert (result.rows_read, result.rows_imported, result.rows_invalid) == (len(CASES), 1,
                                                                             len(CASES) - 1)
    assert (result.created, result.updated, result.uncertain) == (1, 0, 0)
    assert list(Enterprise.objects.in_wilayah("16.07")
                .values_list("name", flat=True)) == ["Usaha Baik"]


def test_every_rule_names_row_and_column(result):
    expected = [{"row": FIRST_ROW + i, "column": column,
                 "message": f"Baris {FIRST_ROW + i}, kolom {column}: {message}"}
                for i, (_changes, errors) in enumerate(CASES) for column, message in errors]
    assert [e.as_dict() for e in result.errors] == expected


def test_rejected_rows_leave_no_audit_rows(result):
    assert AuditLog.objects.filter(kode_wilayah__startswith="16.07").count() == 2  # 1 usaha + 1 laporan


NUL_MESSAGE = ("Sel berisi karakter NUL (kode 0), yang tidak dapat disimpan. Hapus karakter itu "
               "di berkas, lalu impor lagi.")


@pytest.mark.parametrize("kind", ["xls", "csv"])
def test_a_nul_character_rejects_its_row_and_the_others_import(tmp_path, desa, personas, kind):
    # PostgreSQL refuses text with NUL: before, one such cell made the whole import fail there.
    rows = [[i, f"Usaha Pengisi Nomor {i}", f"Pemilik {i}", "", "", "Banyuasin I", "Sungai Rebo",
             1, 1, "Rp 1.000.000,-", 500000, 2010, "10750", "UD", "P", 10, -2.98]
            for i in range(1, 701)]  # in the csv, the bad row lies past the 64 KB it sniffs
    rows[-1][1] = "Usaha\x00 Rusak"
    grid = [["DATA IKM KABUPATEN BANYUASIN 2024"], [], HEADER, *rows]
    path = (write_xls(tmp_path / "nul.xls", grid) if kind == "xls"
            else write_csv(tmp_path / "nul.csv", grid))
    assert kind == "xls" or b"\x00" not in path.read_bytes()[:64 * 1024]
    result = import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024)
    assert (result.rows_read, result.rows_imported, result.rows_invalid) == (700, 699, 1)
    assert [e.as_dict() for e in result.errors] == [
        {"row": 703, "column": "NAMA USAHA", "message": f"Baris 703, kolom NAMA USAHA: {NUL_MESSAGE}"}]
    assert Enterprise.objects.in_wilayah("16.07").count() == 699
    assert not Enterprise.objects.filter(name__startswith="Usaha Rusak").exists()


def test_a_nul_in_a_place_or_a_header_is_not_quoted_into_the_import_history(tmp_path, desa,
                                                                            personas):
    # A place name that matches nothing is quoted in its message, and a header in every message
    # and warning; the import history keeps them as jsonb, which refuses a NUL on PostgreSQL.
    header = ["NO", "NAMA\x00 USAHA", "PEMILIK", "KECAMATAN", "DESA", "CATATAN\x00", "PEMILIK\x00"]
    grid = [header,
            [1, "Usaha Baik", "Ani", "Banyuasin I", "Sungai Rebo", "", ""],
            [2, "Usaha Kecamatan", "Budi", "Banyuasin\x00 I", "Sungai Rebo", "", ""],
            [3, "Usaha Desa", "Citra", "Banyuasin I", "Sungai\x00 Rebo", "", ""],
            [4, "", "Dewi", "Banyuasin I", "Sungai Rebo", "", ""]]
    result = import_file(write_xls(tmp_path / "nul.xls", grid), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    assert [e.as_dict() for e in result.errors] == [
        {"row": 3, "column": "KECAMATAN", "message": f"Baris 3, kolom KECAMATAN: {NUL_MESSAGE}"},
        {"row": 4, "column": "DESA", "message": f"Baris 4, kolom DESA: {NUL_MESSAGE}"},
        {"row": 5, "column": "NAMA USAHA",
         "message": "Baris 5, kolom NAMA USAHA: Nama usaha kosong."}]
    assert result.unknown_columns == ["CATATAN"]
    assert result.warnings == ["Kolom 'PEMILIK' muncul dua kali; hanya yang pertama yang dibaca."]
    run = ImportRun.objects.get()
    assert (run.rows_imported, len(run.errors), run.warnings) == (1, 3, result.warnings)
    assert list(Enterprise.objects.in_wilayah("16.07").values_list("name", flat=True)) == [
        "Usaha Baik"]
