"""`naikkelas dedupe FILE --output OUT` where OUT cannot be written: a message naming OUT."""

import csv

import pytest
from django.core.management import CommandError, call_command

from naikkelas.linkage.spreadsheets import DedupeError, dedupe_file
from naikkelas.linkage.tests.test_dedupe_command import HEADER, ROWS


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "ikm.csv"
    with path.open("w", newline="", encoding="utf-8") as fp:
        csv.writer(fp, delimiter=";").writerows([HEADER, *ROWS])
    return path


def unwritable(path) -> str:
    return (f"File hasil {path} tidak dapat ditulis: pastikan foldernya ada, Anda boleh menulis "
            "di sana, dan nama itu bukan nama sebuah folder.")


@pytest.mark.parametrize("name", ["tidak-ada/hasil.csv", "tidak-ada/hasil.xlsx", "folder.csv",
                                  "folder.xlsx"])
def test_an_output_that_cannot_be_written_is_refused_with_its_name(source, tmp_path, name):
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "folder.xlsx").mkdir()
    output = tmp_path / name
    with pytest.raises(DedupeError) as refused:
        dedupe_file(source, output)
    assert str(refused.value) == unwritable(output)


def test_the_command_says_so_without_a_traceback(source, tmp_path):
    output = tmp_path / "tidak-ada" / "hasil.csv"
    with pytest.raises(CommandError) as refused:
        call_command("dedupe", str(source), "--output", str(output))
    assert str(refused.value) == (f"{source} tidak diperiksa duplikatnya: "
                                  f"{unwritable(output)}")


def test_a_cell_longer_than_a_worksheet_holds_is_refused_for_xlsx_and_kept_in_csv(tmp_path):
    # A spreadsheet program cut such a cell when opening the .xlsx ("repaired" the file).
    path = tmp_path / "ikm.csv"
    notes = ("catatan " * 5000).strip()  # 39,999 characters
    with path.open("w", newline="", encoding="utf-8") as fp:
        csv.writer(fp, delimiter=";").writerows([HEADER, [*ROWS[0][:-1], notes], *ROWS[1:]])
    with pytest.raises(DedupeError) as refused:
        dedupe_file(path, tmp_path / "hasil.xlsx")
    assert str(refused.value) == ("Sebuah sel berisi 39999 karakter, lebih dari yang dapat "
                                  "dimuat sel lembar kerja (32767); tulis hasilnya sebagai .csv.")
    assert not (tmp_path / "hasil.xlsx").exists()
    dedupe_file(path, tmp_path / "hasil.csv")
    with (tmp_path / "hasil.csv").open(encoding="utf-8-sig", newline="") as fp:
        assert list(csv.reader(fp))[1][len(HEADER) - 1] == notes


def test_the_cell_limit_counts_as_spreadsheet_programs_do(tmp_path):
    # In UTF-16 units: 16,400 emoji are 32,800 of them, though 16,400 characters in Python.
    path = tmp_path / "ikm.csv"
    with path.open("w", newline="", encoding="utf-8") as fp:
        csv.writer(fp, delimiter=";").writerows([HEADER, [*ROWS[0][:-1], "\U0001F9F5" * 16_400],
                                                 *ROWS[1:]])
    with pytest.raises(DedupeError, match="berisi 32800 karakter"):
        dedupe_file(path, tmp_path / "hasil.xlsx")
