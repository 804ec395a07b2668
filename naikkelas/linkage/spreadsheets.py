"""Deduplicating a spreadsheet: every row and column back as it came, plus cluster_id and
match_score.

Reading reuses the importer (readers, header recognition, data rows), which sits above linkage
in the dependency order, so it is imported inside the functions that need it: linkage itself
never depends on the import app at load time.
"""

import csv
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from naikkelas.linkage.engine import FIELDS, link

OUTPUT_EXTENSIONS = {".csv", ".xlsx"}
EXTRA_COLUMNS = ["cluster_id", "match_score"]
XLSX_CELL_LIMIT = 32_767  # characters of one cell in Excel and LibreOffice


class DedupeError(Exception):
    """The file cannot be deduplicated; the message says why, in the user's language."""


@dataclass
class DedupeResult:
    file: str
    output: str
    rows: int
    clusters: int
    duplicate_rows: int

    def as_dict(self) -> dict:
        return {"file": self.file, "output": self.output, "rows": self.rows,
                "clusters": self.clusters, "duplicate_rows": self.duplicate_rows}


def dedupe_file(path: str | Path, output: str | Path) -> DedupeResult:
    """Read `path` (any spreadsheet the importer reads), link its data rows, write `output`."""
    from naikkelas.imports.headers import cell_text, find_header
    from naikkelas.imports.readers import UnreadableFile, read_grid
    from naikkelas.imports.rows import data_rows

    output = Path(output)
    if output.suffix.lower() not in OUTPUT_EXTENSIONS:
        raise DedupeError(_("The output must end in .csv or .xlsx, not '%(name)s'.")
                          % {"name": output.name})
    if output.is_dir() or not output.parent.is_dir():  # said before the linking, which takes long
        raise _unwritable(output)
    try:
        grid = read_grid(Path(path))
    except UnreadableFile as exc:
        raise DedupeError(str(exc)) from None
    header = find_header(grid.rows)
    if header is None:
        raise DedupeError(_("No header row with a business-name column was found in the first "
                            "rows of the file."))
    rows = data_rows(grid.rows, header)
    by_field = {c.field: c.index for c in header.columns if c.field in FIELDS}
    records = [{f: cell_text(cells[i]) if i < len(cells) else "" for f, i in by_field.items()}
               for _number, cells in rows]
    extra = _extra_cells(records)
    width = max((len(r) for r in grid.rows), default=0)
    header_row = header.row + header.height - 1
    numbered = {number - 1: extra[k] for k, (number, _cells) in enumerate(rows)}
    out_rows = [_padded(cells, width) + (EXTRA_COLUMNS if index == header_row
                                         else numbered.get(index, ["", ""]))
                for index, cells in enumerate(grid.rows)]
    try:
        _write(output, out_rows, cell_text)
    except OSError:  # no right to write there, a full disk, ...
        raise _unwritable(output) from None
    sizes = Counter(cells[0] for cells in extra)
    return DedupeResult(file=str(path), output=str(output), rows=len(records),
                        clusters=len(sizes), duplicate_rows=sum(n for n in sizes.values() if n > 1))


def _unwritable(output: Path) -> DedupeError:
    return DedupeError(_("The output %(path)s cannot be written: check that its folder exists, "
                         "that you may write there, and that the name is not that of a "
                         "folder.") % {"path": output})


def _extra_cells(records: list[dict]) -> list[list]:
    """[cluster_id, match_score] per record: ids numbered 1.. in order of first appearance."""
    if not records:
        return []
    linkage = link(records)
    numbers: dict[int, int] = {}
    cells = []
    for label, score in zip(linkage.cluster_id.tolist(), linkage.match_score.tolist()):
        number = numbers.setdefault(label, len(numbers) + 1)
        cells.append([number, "" if math.isnan(score) else round(score, 4)])
    return cells


def _padded(cells: list, width: int) -> list:
    return list(cells) + [""] * (width - len(cells))


def _write(output: Path, rows: list[list], cell_text) -> None:
    if output.suffix.lower() == ".csv":
        with output.open("w", newline="", encoding="utf-8-sig") as fp:
            writer = csv.writer(fp)
            for row in rows:
                writer.writerow([cell_text(c) for c in row])
        return
    # A spreadsheet program would cut a longer cell when opening the file. It counts in UTF-16
    # units: an emoji takes two. Checked first: the workbook is not left half written.
    longest = max((len(c.encode("utf-16-le")) // 2 for row in rows for c in row
                   if isinstance(c, str)), default=0)
    if longest > XLSX_CELL_LIMIT:
        raise DedupeError(_("A cell holds %(count)d characters, more than a worksheet cell can "
                            "hold (%(limit)d); write the output as .csv.")
                          % {"count": longest, "limit": XLSX_CELL_LIMIT})
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([_xlsx_cell(sheet, c) for c in row])
    workbook.save(output)


def _xlsx_cell(sheet, value):
    """The value as it came, with two exceptions a worksheet forces: text stays text (openpyxl
    would make "=..." a live formula) and loses the control characters a worksheet cannot hold
    (openpyxl refuses them)."""
    if value == "":
        return None
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell
