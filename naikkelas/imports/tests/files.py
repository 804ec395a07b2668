"""Writing the spreadsheets officials send, in every format, for the tests.

`office_sheet` lays out a "Data IKM" sheet the way a Dinas does: two title rows, a blank row, a
two-row header with "TENAGA KERJA" merged over "L" and "P", a row of column numbers, the data, a
JUMLAH row and a signature block. The writers put any grid into .xlsx, .xls, .ods or .csv.
"""

import base64
import csv
import datetime
import random
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from naikkelas.imports import readers

HEADER_TOP = ["NO", "NAMA PERUSAHAAN", "NAMA PEMILIK", "NIK", "NIB", "BENTUK USAHA", "ALAMAT",
              "DESA/KEL", "KECAMATAN", "KBLI", "KOMODITI", "TENAGA KERJA", "",
              "NILAI INVESTASI (Rp)", "OMZET (Rp)", "NO. HP", "KETERANGAN"]
HEADER_SUB = ["", "", "", "", "", "", "", "", "", "", "", "L", "P", "", "", "", ""]
TK_COLUMN = 11  # 0-based column of TENAGA KERJA
XLS_DATE = xlwt.easyxf(num_format_str="DD/MM/YYYY")

# Five IKM of Banyuasin in 2024, as an office writes them (amounts as text and as numbers).
ROWS_2024 = [
    ["UD Pempek Cek Molek", "Siti Aminah", "1607014507850001", "1234567890123", "UD",
     "Jl. Merdeka No. 5", "Sungai Rebo", "Banyuasin I", "10750", "Pempek", 2, 3,
     "Rp 150.000.000,-", 600_000_000, "0812-3456-7890", ""],
    ["Keripik Sanjai Barokah", "Ahmad Fauzi", "", "", "Perorangan", "Jalan Kenanga 12",
     "Sungai Gerong", "Kec. Banyuasin I", "10794", "Keripik", "1", "4", "25.000.000",
     "Rp. 120.000.000,00", 81234500001, "binaan 2023"],
    ["CV Songket Indah", "Rahmawati", "", "9876543210123", "CV", "Jl. Pasar 3", "",
     "Betung", "13121", "Songket", 1, 6, 1_200_000_000, "2.500.000.000", "", ""],
    ["Toko Roti Mawar", "Budi Santoso", "", "", "", "Jl. Sudirman 8", "", "16.07.10",
     "10710", "Roti", 2, 2, "", "300000000", "", ""],
    ["Kerupuk Ikan Sungsang", "Hasanah", "", "", "Perorangan", "Dusun II", "", "banyuasin  ii",
     "10794", "Kerupuk", 0, 5, "10.000.000", "90.000.000", "", ""],
]


def office_sheet(rows: list[list], title: str = "DATA IKM KABUPATEN BANYUASIN TAHUN 2024",
                 numbers_row: bool = True) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    """The grid and its merged ranges (row1, row2, col1, col2; 0-based, inclusive)."""
    width = len(HEADER_TOP)
    grid: list[list] = [[title], ["Dinas Perindustrian dan Perdagangan"], []]
    grid += [list(HEADER_TOP), list(HEADER_SUB)]
    if numbers_row:
        grid.append([f"({n})" for n in range(1, width + 1)])
    for number, row in enumerate(rows, start=1):
        grid.append([number, *row])
    grid.append(["JUMLAH", "", "", "", "", "", "", "", "", "", "", 6, 20])
    grid += [[], ["", "", "", "", "", "", "", "", "", "", "", "", "", "Pangkalan Balai, 30 Desember 2024"],
             ["", "", "", "", "", "", "", "", "", "", "", "", "", "Kepala Dinas"],
             [], ["", "", "", "", "", "", "", "", "", "", "", "", "", "NIP. 19700101 199003 1 001"]]
    merges = [(0, 0, 0, width - 1), (3, 3, TK_COLUMN, TK_COLUMN + 1)]
    merges += [(3, 4, c, c) for c in range(width) if c not in (TK_COLUMN, TK_COLUMN + 1)]
    return grid, merges


def plain_sheet(header: list[str], rows: list[list]) -> list[list]:
    """A header on the first row and the data below it: no titles, no footer."""
    return [header, *rows]


def write_xlsx(path: Path, grid: list[list], merges=()) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(row=r, column=c, value=value)
    for r1, r2, c1, c2 in merges:
        sheet.merge_cells(start_row=r1 + 1, end_row=r2 + 1, start_column=c1 + 1,
                          end_column=c2 + 1)
    workbook.save(path)
    return path


def write_xls(path: Path, grid: list[list], merges=()) -> Path:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Data IKM")
    merged = {(r1, c1): (r2, c2) for r1, r2, c1, c2 in merges}
    covered = {(r, c) for r1, r2, c1, c2 in merges for r in range(r1, r2 + 1)
               for c in range(c1, c2 + 1)} - set(merged)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if (r, c) in merged:
                r2, c2 = merged[(r, c)]
                sheet.write_merge(r, r2, c, c2, value)
            elif (r, c) not in covered and value != "":
                # A date is a number with a date format in .xls, as Excel saves it.
                sheet.write(r, c, value, *([XLS_DATE] if isinstance(value, datetime.date) else []))
    workbook.save(str(path))
    return path


def write_ods(path: Path, grid: list[list], merges=()) -> Path:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Data IKM")
    spans = {(r1, c1): c2 - c1 + 1 for r1, r2, c1, c2 in merges if r1 == r2 and c2 > c1}
    for r, row in enumerate(grid):
        table_row = TableRow()
        c = 0
        while c < len(row):
            span = spans.get((r, c), 1)
            table_row.addElement(_ods_cell(row[c], span))
            for _ in range(span - 1):
                table_row.addElement(CoveredTableCell())
            c += span
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _ods_cell(value, span: int) -> TableCell:
    extra = {"numbercolumnsspanned": span} if span > 1 else {}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = TableCell(valuetype="float", value=value, **extra)
    else:
        cell = TableCell(valuetype="string", **extra)
    if value != "":
        cell.addElement(P(text=str(value)))
    return cell


def write_csv(path: Path, grid: list[list], delimiter: str = ";",
              encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fp:
        csv.writer(fp, delimiter=delimiter).writerows(grid)
    return path


# --- password-protected files, as the spreadsheet programs save them --------------------------
# Without the password a reader sees only this: what marks the file as encrypted, and bytes it
# cannot decrypt. So the encrypted parts here are random bytes (seeded), which is all a reader
# that is not given the password can know of them.


def write_locked_xls(path: Path, grid: list[list], encryption: str = "rc4") -> Path:
    """An .xls as Excel saves it with a password to open: a FILEPASS record right after the
    workbook's BOF (RC4, as Excel 97-2003 does; or the XOR obfuscation of older versions). It
    takes the place of the records xlwt writes there, so every offset in the file stays true."""
    data = bytearray(write_xls(path, grid).read_bytes())
    bof = readers.XLS_GLOBALS_BOF[0]  # BIFF8
    start = data.index(bof) + 4 + bof[2]  # past the BOF record's header and body
    position = start
    for _record in range(4):  # INTERFACEHDR, MMS, INTERFACEEND, WRITEACCESS: 132 bytes
        position += 4 + struct.unpack_from("<H", data, position + 2)[0]
    replaced = position - start
    rng = random.Random(2024)
    if encryption == "rc4":  # type 1, version 1.1, then salt, verifier and its hash (16 each)
        payload = struct.pack("<HHH", 1, 1, 1) + rng.randbytes(48)
    else:  # type 0: key and verifier
        payload = struct.pack("<H", 0) + rng.randbytes(4)
    records = struct.pack("<HH", readers.XLS_FILEPASS, len(payload)) + payload
    filler = replaced - len(records) - 4  # an INTERFACEEND record pads to the same length
    records += struct.pack("<HH", 0x00E2, filler) + bytes(filler)
    data[start:start + replaced] = records
    path.write_bytes(data)
    return path


def write_locked_ods(path: Path, grid: list[list]) -> Path:
    """An .ods as LibreOffice saves it with a password: content.xml and styles.xml encrypted
    (AES-256 with a PBKDF2 key), each described by encryption-data in the manifest."""
    with zipfile.ZipFile(write_ods(path, grid)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    rng = random.Random(2024)
    manifest = members["META-INF/manifest.xml"].decode()

    def b64(size: int) -> str:
        return base64.b64encode(rng.randbytes(size)).decode()

    for name in ("content.xml", "styles.xml"):
        entry = (
            f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml" '
            f'manifest:size="{len(members[name])}"><manifest:encryption-data '
            'manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
            f'manifest:checksum="{b64(32)}"><manifest:algorithm '
            'manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
            f'manifest:initialisation-vector="{b64(16)}"/><manifest:start-key-generation '
            'manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256" '
            'manifest:key-size="32"/><manifest:key-derivation '
            'manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
            f'manifest:iteration-count="100000" manifest:salt="{b64(16)}"/>'
            '</manifest:encryption-data></manifest:file-entry>')
        manifest, found = re.subn(rf'<manifest:file-entry manifest:full-path="{name}"[^>]*/>',
                                  entry, manifest)
        assert found == 1, name
        members[name] = rng.randbytes(len(members[name]) // 16 * 16 + 16)
    members["META-INF/manifest.xml"] = manifest.encode()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", members.pop("mimetype"))  # first and stored, as ODF asks
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return path
