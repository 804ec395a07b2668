"""Reading the small reference CSV files (regions, KBLI) that officers and admins load by command.

Files come from Excel as often as from scripts: a UTF-8 byte-order mark, CRLF line ends, a `;`
delimiter and trailing empty columns are all accepted. Every problem is reported with the line
number a person sees when opening the file in a text editor.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: a line number (None for the whole file) and a message."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class InvalidFile(Exception):
    """The file cannot be loaded; `problems` lists everything found, in line order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Row:
    """A data row: the line it starts on and its values, stripped, one per header column."""

    line: int
    values: tuple[str, ...]


def describe_problems(problems: Sequence[Problem], path: Path | str) -> str:
    """A message listing the first problems and saying that nothing was saved."""
    lines = [_("Nothing was saved: %(count)d problem(s) in %(path)s:")
             % {"count": len(problems), "path": path}]
    lines += [f"  {p}" for p in problems[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append("  " + _("... and %(count)d more.")
                     % {"count": len(problems) - MAX_LISTED_PROBLEMS})
    return "\n".join(lines)


def read_rows(path: Path | str, columns: Sequence[str],
              optional: Sequence[str] = ()) -> tuple[tuple[str, ...], list[Row]]:
    """Read a CSV whose header is `columns`, optionally followed by some of `optional`.

    Returns the header found (lower-cased) and the non-blank data rows. Raises InvalidFile
    for a missing, non-UTF-8 or empty file, a wrong header, or rows with the wrong number of values.
    """
    text = _read_text(Path(path))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = _header(reader, columns, optional)
    rows, problems, previous_end = [], [], reader.line_num
    for record in reader:
        line, previous_end = previous_end + 1, reader.line_num
        values = _trim(record, len(header))
        if not any(values):
            continue
        if len(values) != len(header):
            problems.append(Problem(line, _("expected %(expected)d values, found %(found)d.")
                                    % {"expected": len(header), "found": len(values)}))
            continue
        rows.append(Row(line, tuple(values)))
    if problems:
        raise InvalidFile(problems)
    if not rows:
        raise InvalidFile([Problem(None, _("The file has a header but no data rows."))])
    return header, rows


def _read_text(path: Path) -> str:
    """The file's text without a byte-order mark; a missing or non-UTF-8 file is a problem."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InvalidFile([Problem(None, _("File %(path)s not found.") % {"path": path})]) from None
    except UnicodeDecodeError as exc:
        message = _("The file is not UTF-8 text (byte %(position)d); save it as 'CSV UTF-8'.")
        raise InvalidFile([Problem(None, message % {"position": exc.start + 1})]) from None
    if not text.strip():
        raise InvalidFile([Problem(None, _("The file is empty."))])
    return text


def _delimiter(text: str) -> str:
    """`;` when the header uses it (Excel in an Indonesian locale), otherwise `,`."""
    first_line = text.splitlines()[0] if text else ""
    return ";" if ";" in first_line and "," not in first_line else ","


def _header(reader, columns: Sequence[str], optional: Sequence[str]) -> tuple[str, ...]:
    """The header row, checked against the expected columns."""
    found = tuple(name.strip().lower() for name in _trim(next(reader), 0))
    allowed = [tuple(columns) + tuple(optional[:n]) for n in range(len(optional) + 1)]
    if found not in allowed:
        expected = " / ".join(",".join(names) for names in allowed)
        message = _("the columns must be %(expected)s, found %(found)s.")
        raise InvalidFile([Problem(reader.line_num, message
                                   % {"expected": expected, "found": ",".join(found)})])
    return found


def _trim(record: list[str], width: int) -> list[str]:
    """Strip every value and drop empty values past `width` (Excel's trailing commas)."""
    values = [value.strip() for value in record]
    while len(values) > width and not values[-1]:
        values.pop()
    return values


def repeated_codes(rows: Sequence[Row]) -> list[tuple[Row, int]]:
    """(row, first line) for every row whose code (first value) appeared on an earlier line."""
    first_line: dict[str, int] = {}
    repeats = []
    for row in rows:
        if row.values[0] in first_line:
            repeats.append((row, first_line[row.values[0]]))
        first_line.setdefault(row.values[0], row.line)
    return repeats


def repeated_code_problems(rows: Sequence[Row]) -> list[Problem]:
    """A code may appear once: each later row with it is a problem naming the first line."""
    return [Problem(row.line, _("code %(kode)s already appeared on line %(first)d.")
                    % {"kode": row.values[0], "first": first})
            for row, first in repeated_codes(rows)]


def parent_missing(line: int, kode: str, parent: str) -> Problem:
    """The problem of a code whose parent is neither in the file nor in the database."""
    return Problem(line, _("the parent %(parent)s of code %(kode)s is neither in the file nor "
                           "in the database.") % {"parent": parent, "kode": kode})


def level_lines(counts_by_level: dict, levels) -> list[str]:
    """'  kecamatan: N new, M updated, K unchanged' for each level, for a loader's summary.

    `levels` is the IntegerChoices class whose labels name the levels (wilayah or KBLI).
    """
    message = _("%(level)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged")
    return ["  " + message % {"level": levels(level).label, "new": new, "updated": updated,
                              "unchanged": unchanged}
            for level, (new, updated, unchanged) in counts_by_level.items()]
