"""Opening the files officials send: .xlsx, .xls, .ods (python-calamine) and .csv.

A file is checked before any parser touches it (size, content type against the extension,
password protection, zip bombs), so a bad file is refused with one clear message and nothing else
happens. Every reader returns the same thing: a grid of cell values whose index + 1 is the row
number the user sees in their spreadsheet program.
"""

import codecs
import csv
import io
import itertools
import struct
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods"}
EXTENSIONS = SPREADSHEET_EXTENSIONS | {".csv"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entries of an encrypted Office Open XML file inside its OLE2 container (UTF-16LE).
ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
# The workbook globals' BOF record of a BIFF8 (Excel 97-2003) and a BIFF5 (Excel 5/95) .xls, and
# the FILEPASS record type that follows it in an encrypted one (RC4 or the old XOR obfuscation).
XLS_GLOBALS_BOF = (bytes.fromhex("0908100000060500"), bytes.fromhex("0908080000050500"))
XLS_FILEPASS = 0x002F
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A single zip member that unpacks more than this many times its packed size is a bomb, not a sheet
# (real worksheets pack 5-30 times); small members are let through whatever their ratio.
BOMB_RATIO = 100
BOMB_MIN_MEMBER = 10 * 1024 * 1024
CSV_DELIMITERS = (";", ",", "\t", "|")


class UnreadableFile(Exception):
    """The file cannot be imported at all; the message says why, in the user's language."""


@dataclass
class Grid:
    """The cells of one sheet, row by row from the sheet's first row."""

    rows: list[list]
    sheet: str = ""


@dataclass
class GridStream:
    """A sheet read lazily: `head` (its first rows, for finding the header) and `rows_from(i)`.

    A million-row file never becomes a million Python lists at once; `total` is its row count.
    """

    head: list[list]
    rows_from: Callable[[int], Iterator[list]]
    total: int
    sheet: str = ""
    kept: Any = None  # what the rows are read from, kept open as long as the stream (a copy)
    other_heads: dict[str, list[list]] = field(default_factory=dict)  # other sheets' first rows
    unexamined: int = 0  # visible sheets after those, not looked at


HEAD_ROWS = 40
OTHER_SHEETS = 10  # other visible sheets with content looked at (see _spreadsheet_stream)
CSV_CHUNK = 20_000


def open_grid(path: Path) -> GridStream:
    """Check the file like `read_grid`, then open it for reading row by row."""
    path = Path(path)
    if check_file(path) == "csv":
        return _csv_stream(path)
    return _spreadsheet_stream(path)


def read_grid(path: Path) -> Grid:
    """Check the file, then read its first non-empty sheet (or the csv) into a Grid."""
    path = Path(path)
    kind = check_file(path)
    if kind == "csv":
        return Grid(rows=read_csv(path.read_bytes()))
    return read_spreadsheet(path)


def check_file(path: Path) -> str:
    """Refuse files that cannot or must not be opened; return 'csv', 'xlsx', 'xls' or 'ods'."""
    extension = path.suffix.lower()
    if extension not in EXTENSIONS:
        raise UnreadableFile(_("Files of type '%(ext)s' cannot be imported; use .xlsx, .xls, .ods "
                               "or .csv.") % {"ext": extension or path.name})
    try:
        size = path.stat().st_size
        with path.open("rb") as fp:
            head = fp.read(8)
    except OSError:
        raise UnreadableFile(_("The file cannot be opened.")) from None
    if size == 0:
        raise UnreadableFile(_("The file is empty."))
    limit = settings.NAIKKELAS_IMPORT_MAX_BYTES
    if size > limit:
        raise UnreadableFile(_("The file is %(size)s, larger than the limit of %(limit)s.")
                             % {"size": _megabytes(size), "limit": _megabytes(limit)})
    content = _content_kind(path, head)
    expected = "xlsx" if extension in {".xlsx", ".xlsm"} else extension.lstrip(".")
    if content != expected:
        raise UnreadableFile(_wrong_extension(extension, content))
    return content


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _content_kind(path: Path, head: bytes) -> str:
    """What the bytes really are: 'xlsx', 'ods', 'xls', 'csv' or 'unknown'."""
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if all(name in data for name in ENCRYPTED_STREAMS) or _xls_encrypted(data):
            raise UnreadableFile(_("The file is protected with a password. Remove the password "
                                   "in the spreadsheet program, save, and import again."))
        return "xls"
    with path.open("rb") as fp:
        sample = fp.read(64 * 1024)
    return "unknown" if b"\x00" in sample else "csv"


def _xls_encrypted(data: bytes) -> bool:
    """Whether the .xls workbook has a FILEPASS record among the first records after its
    globals BOF. Calamine refuses an RC4-encrypted one, but reads an XOR-obfuscated one as if it
    were plain: its text would come out scrambled.

    A stream starts on a 64-byte boundary of the file (a sector, or a mini sector of a small
    stream), so only a BOF there can open the workbook; each one is looked at, since another
    stream (an embedded object, say) may come first. The records looked at lie in the stream's
    first 512-byte sector, so they are contiguous in the file."""
    for bof in XLS_GLOBALS_BOF:
        start = data.find(bof)
        while start >= 0:
            if start % 64 == 0 and _filepass_follows(data, start + 4 + bof[2],
                                                     min(len(data), start + 512)):
                return True
            start = data.find(bof, start + 1)
    return False


def _filepass_follows(data: bytes, position: int, end: int) -> bool:
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", data, position)
        if kind == XLS_FILEPASS:
            return True
        position += 4 + length
    return False


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _refuse_bomb(members)
            names = {m.filename for m in members}
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
    except zipfile.BadZipFile:
        raise UnreadableFile(_("The file is damaged or incomplete (not a valid .xlsx/.ods "
                               "archive). Save it again and re-import.")) from None
    return "unknown"


def _refuse_bomb(members: list[zipfile.ZipInfo]) -> None:
    total = sum(m.file_size for m in members)
    too_packed = any(m.file_size > BOMB_MIN_MEMBER
                     and m.file_size > BOMB_RATIO * max(m.compress_size, 1) for m in members)
    if too_packed or total > settings.NAIKKELAS_IMPORT_MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("The file would unpack to %(size)s, far more than a spreadsheet of "
                               "its size holds; it was not opened.") % {"size": _megabytes(total)})


def _wrong_extension(extension: str, content: str) -> str:
    if content == "unknown":
        return _("The file ends in %(ext)s but its content is not a spreadsheet.") % {
            "ext": extension}
    return _("The file ends in %(ext)s but its content is a .%(kind)s file. Rename it to "
             ".%(kind)s or save it again as %(ext)s.") % {"ext": extension, "kind": content}


def read_spreadsheet(path: Path) -> Grid:
    """The first sheet with any content, as a full grid from cell A1."""
    stream = _spreadsheet_stream(path)
    return Grid(rows=list(stream.rows_from(0)), sheet=stream.sheet)


def _spreadsheet_stream(path: Path) -> GridStream:
    """The first visible worksheet with any content. A hidden sheet (last year's data kept out
    of sight, say) is not what the user sees, so it is never read; the first rows of the other
    visible sheets with content come along (`other_heads`) so that the import can say that
    they were left out."""
    with _calamine_errors():
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        visible = [m.name for m in workbook.sheets_metadata
                   if m.visible == python_calamine.SheetVisibleEnum.Visible
                   and m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        stream = None
        for position, name in enumerate(visible):
            sheet = workbook.get_sheet_by_name(name)
            if sheet.start is None:
                continue
            if stream is None:
                stream = _sheet_stream(sheet, name)
            else:
                stream.other_heads[name] = _sheet_stream(sheet, name).head
                if len(stream.other_heads) == OTHER_SHEETS:  # each is read whole
                    stream.unexamined = len(visible) - position - 1
                    break
        if stream is not None:
            return stream
        hidden = [name for name in workbook.sheet_names if name not in visible
                  and workbook.get_sheet_by_name(name).start is not None]
    if hidden:
        raise UnreadableFile(_("The visible sheets are empty; data lies only in hidden sheets "
                               "(%(sheets)s). Unhide the sheet to import in the spreadsheet "
                               "program, save, and import again.")
                             % {"sheets": ", ".join(hidden)})
    raise UnreadableFile(_("The file is empty."))


def _sheet_stream(sheet, name: str) -> GridStream:
    # iter_rows starts at row 1 but at the first used column: pad so that index = column - 1.
    pad = [""] * sheet.start[1]

    def rows_from(start: int) -> Iterator[list]:
        with _calamine_errors():
            for row in itertools.islice(sheet.iter_rows(), start, None):
                yield pad + row
    return GridStream(head=list(itertools.islice(rows_from(0), HEAD_ROWS)),
                      rows_from=rows_from, total=sheet.total_height, sheet=name)


@contextmanager
def _calamine_errors() -> Iterator[None]:
    """Calamine's errors as UnreadableFile with a message for the user."""
    try:
        yield
    except python_calamine.PasswordError:
        raise UnreadableFile(_("The file is protected with a password. Remove the password "
                               "in the spreadsheet program, save, and import again.")) from None
    except (python_calamine.CalamineError, python_calamine.ZipError,
            python_calamine.XmlError, ValueError) as exc:
        raise UnreadableFile(_("The file is damaged or cannot be read as a spreadsheet (%(detail)s).")
                             % {"detail": exc}) from None


def read_csv(data: bytes) -> list[list[str]]:
    """Decode (UTF-8 with or without BOM, else Windows-1252), guess the delimiter, split.

    Strictly: a quote never closed would otherwise take the rest of the file into one cell, and
    its rows would be lost without a word. A long cell is read (the row checks refuse it), as the
    polars reader does: no cell is longer than its file."""
    text = _decode(data)
    delimiter = guess_delimiter(text[:64 * 1024])
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    with _csv_errors():
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise UnreadableFile(_("The file is empty."))
    return text


def _csv_stream(path: Path) -> GridStream:
    """Big csv files columnar (polars), read batch by batch: every cell a string, one record per
    spreadsheet row. A million-row file is never in memory at once (its frame took 400 MB).

    Blank lines stay (as empty rows) and quoted line breaks stay inside their cell, so a row's
    index + 1 is still the row number a spreadsheet program shows.
    """
    source, kept = _utf8_source(path)
    with source.open("rb") as fp:
        sample = fp.read(64 * 1024).removeprefix(codecs.BOM_UTF8)
    sample = sample.decode("utf-8", errors="ignore")
    if not sample.strip():
        raise UnreadableFile(_("The file is empty."))
    delimiter = guess_delimiter(sample)
    width = max((len(r) for r in csv.reader(io.StringIO(sample, newline=""),
                                            delimiter=delimiter)), default=1)
    lazy = pl.scan_csv(source, has_header=False, separator=delimiter,
                       schema={f"c{i}": pl.String for i in range(width)},
                       truncate_ragged_lines=True, missing_columns="insert", quote_char='"')

    def rows_from(start: int) -> Iterator[list]:
        with _csv_errors():
            for chunk in lazy.slice(start).collect_batches(chunk_size=CSV_CHUNK):
                yield from (list(row) for row in chunk.rows())
    with _csv_errors():
        total = lazy.select(pl.len()).collect().item()
        head = [list(r) for r in lazy.head(HEAD_ROWS).collect().rows()]
    return GridStream(head=head, rows_from=rows_from, total=total, kept=kept)


@contextmanager
def _csv_errors() -> Iterator[None]:
    """A csv polars or the csv module cannot split (a quote never closed, say) is refused, also
    midway: the import around it then writes nothing."""
    try:
        yield
    except (pl.exceptions.PolarsError, csv.Error):
        raise UnreadableFile(_("The csv file is damaged: a quoted cell is not closed or a row "
                               "cannot be split into columns. Save it again from the "
                               "spreadsheet program and re-import.")) from None


def _utf8_source(path: Path) -> tuple[Path, Any]:
    """The file itself when it is UTF-8 (with or without BOM), else a temporary UTF-8 copy of
    it read as Windows-1252; with the copy's handle, which deletes it once dropped."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fp:
            while chunk := fp.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return path, None
    except UnicodeDecodeError:
        pass
    copy = tempfile.NamedTemporaryFile(suffix=".csv")  # noqa: SIM115 - lives as long as the stream
    with path.open(encoding="cp1252", errors="replace", newline="") as text:
        writer = codecs.getwriter("utf-8")(copy)
        while chunk := text.read(1024 * 1024):
            writer.write(chunk)
    copy.flush()
    return Path(copy.name), copy


def guess_delimiter(sample: str) -> str:
    """The delimiter that splits most lines into the same number of fields.

    `;` files often hold amounts like "Rp 1.500.000,-", so counting characters is not enough:
    the right delimiter gives a steady column count, a wrong one a ragged count.
    """
    lines = sample.splitlines()[:50]
    best, best_score = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1]
        if not widths:
            continue
        width, steady = Counter(widths).most_common(1)[0]
        if (steady, width) > best_score:
            best, best_score = delimiter, (steady, width)
    return best
