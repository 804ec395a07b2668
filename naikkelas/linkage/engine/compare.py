"""Field comparisons of candidate pairs, as comparison levels (small integers) per field.

Level 0 means "one side is missing" (no evidence either way), level 1 "disagree", and higher
levels stronger agreement. String similarity comes from rapidfuzz, computed pair by pair in C++
(`process.cpdist`) on whole arrays; equal strings are recognised by their codes and not compared.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl
from rapidfuzz import distance, fuzz, process

NULL, DISAGREE = 0, 1
CHUNK = 1_000_000
REORDER_BELOW = 0.94


def jaro_winkler(a, b) -> np.ndarray:
    return process.cpdist(a, b, scorer=distance.JaroWinkler.normalized_similarity, workers=-1)


def token_set(a, b) -> np.ndarray:
    """1.0 when the words of one side are all among the other's ('tapis' / 'sulaman tapis')."""
    return process.cpdist(a, b, scorer=fuzz.token_set_ratio, workers=-1) / 100


def one_edit(a, b) -> np.ndarray:
    """1.0 when one digit is mistyped, dropped, added or two are swapped (an identifier copied
    by hand), else 0."""
    return (process.cpdist(a, b, scorer=distance.OSA.distance, workers=-1) <= 1).astype(float)


@dataclass(frozen=True)
class Comparison:
    """One field's comparison: the similarity function and the thresholds between its levels.

    Without thresholds the field is compared exactly (levels null, disagree, agree). With them,
    by `scorer` (Jaro-Winkler unless given), also of the words in alphabetical order when
    `reorder` (so that "Barokah Keripik" meets "Keripik Barokah"). `prefixes` compares codes by
    their leading digits instead (KBLI: same group, same code). `fixed_u`: the scorer keeps u as
    measured on random pairs (see score.py).
    """

    field: str
    label: str
    thresholds: tuple[float, ...] = ()
    reorder: bool = False
    prefixes: tuple[int, ...] = ()
    scorer: Callable = jaro_winkler
    fixed_u: bool = False

    @property
    def levels(self) -> int:
        return 3 + max(len(self.thresholds), len(self.prefixes) - 1, 0)


COMPARISONS = (
    Comparison("nib", "NIB"),
    Comparison("owner_nik", "NIK", (0.5,), scorer=one_edit, fixed_u=True),
    Comparison("owner_phone", "phone"),
    Comparison("name", "business name", (0.72, 0.86, 0.94), reorder=True),
    Comparison("owner_name", "owner", (0.72, 0.86, 0.94), reorder=True),
    Comparison("address", "address", (0.7, 0.85, 0.94)),
    Comparison("desa", "desa"),
    Comparison("kecamatan", "kecamatan"),
    Comparison("kbli", "KBLI", prefixes=(4, 5)),
    Comparison("products", "products", (0.6, 0.85), scorer=token_set),
)


@dataclass
class Coded:
    """One field: an integer code per record (equal strings, equal codes; '' is -1), the distinct
    strings the codes index, and those strings with their words sorted (where asked for)."""

    codes: np.ndarray
    values: np.ndarray
    reordered: np.ndarray | None = None

    @property
    def moved(self) -> np.ndarray:
        """Per distinct string: does sorting its words change it?"""
        return self.reordered != self.values


def encoded(frame: pl.DataFrame) -> dict[str, Coded]:
    """Every compared field of the (normalised) frame, encoded."""
    out = {}
    for comparison in COMPARISONS:
        column = frame[comparison.field]
        uniques = column.unique(maintain_order=True)
        codes = column.to_frame("v").join(
            uniques.to_frame("v").with_row_index("code"), on="v", how="left",
            maintain_order="left")["code"].to_numpy().astype(np.int64)
        codes[np.asarray(column.to_numpy() == "")] = -1
        # (polars' list.sort on strings is slower than Python's sorted here)
        reordered = (np.array([" ".join(sorted(v.split())) for v in uniques.to_list()],
                              dtype=object) if comparison.reorder else None)
        out[comparison.field] = Coded(codes, uniques.to_numpy().astype(object), reordered)
    return out


def compare(comparison: Comparison, coded: Coded, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The comparison level (int8) of each pair (a[k], b[k])."""
    ca, cb = coded.codes[a], coded.codes[b]
    level = np.full(len(a), DISAGREE, np.int8)
    level[(ca < 0) | (cb < 0)] = NULL
    present = level != NULL
    top = comparison.levels - 1
    equal = present & (ca == cb)
    level[equal] = top
    todo = np.flatnonzero(present & ~equal)
    if comparison.prefixes:
        _compare_prefixes(comparison, coded.values, ca, cb, todo, level)
    elif comparison.thresholds and len(todo):
        for start in range(0, len(todo), CHUNK):
            part = todo[start:start + CHUNK]
            score = similarity(comparison, coded, ca[part], cb[part])
            level[part] = DISAGREE + np.searchsorted(comparison.thresholds, score, side="right")
    return level


def similarity(comparison: Comparison, coded: Coded, ca: np.ndarray,
               cb: np.ndarray) -> np.ndarray:
    """The scorer on the strings, each distinct pair of strings scored once; with reordering,
    the better of as written and with the words sorted."""
    size = len(coded.values)
    distinct, inverse = np.unique(np.minimum(ca, cb) * size + np.maximum(ca, cb),
                                  return_inverse=True)
    ca, cb = distinct // size, distinct % size
    score = comparison.scorer(coded.values[ca], coded.values[cb])
    if coded.reordered is not None:
        # Only pairs not already close, with words out of order on a side, can gain.
        moved = coded.moved
        low = np.flatnonzero((score < REORDER_BELOW) & (moved[ca] | moved[cb]))
        again = jaro_winkler(coded.reordered[ca[low]], coded.reordered[cb[low]])
        score[low] = np.maximum(score[low], again)
    return score[inverse.ravel()]


def _compare_prefixes(comparison: Comparison, values: np.ndarray, ca: np.ndarray,
                      cb: np.ndarray, todo: np.ndarray, level: np.ndarray) -> None:
    for rank, length in enumerate(comparison.prefixes[:-1]):
        heads = np.array([v[:length] for v in values], dtype=object)
        same = heads[ca[todo]] == heads[cb[todo]]
        level[todo[same]] = DISAGREE + 1 + rank


def compare_all(coded: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Levels of every comparison: an int8 matrix, one row per pair, one column per field."""
    matrix = np.empty((len(a), len(COMPARISONS)), np.int8)

    def fill(column: int) -> None:
        comparison = COMPARISONS[column]
        matrix[:, column] = compare(comparison, coded[comparison.field], a, b)

    # numpy and rapidfuzz let go of the GIL: two fields at a time keep both cores busy.
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(fill, range(len(COMPARISONS))))
    return matrix
