"""Blocking: which pairs of records are compared at all.

Every record gets a few keys (identifiers, and name or owner tokens inside its kecamatan); records
that share a key are compared. A block up to CAP records yields all its pairs; a bigger block (a
very common word) only pairs each record with its WINDOW neighbours in name order (sorted
neighbourhood), so the work grows close to linearly with the number of records.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl

CAP = 8
WINDOW = 4
MIN_TOKEN = 3


@dataclass(frozen=True)
class BlockingKey:
    """A named key: a polars expression giving a list of key strings per record.

    `rarest` keeps only that many of a record's least frequent values (0: all); `regional` makes
    the key count only inside one kecamatan.
    """

    name: str
    expr: pl.Expr
    rarest: int = 0
    regional: bool = False


def _tokens(field: str) -> pl.Expr:
    return pl.col(field).str.split(" ").list.eval(
        pl.element().filter(pl.element().str.len_chars() >= MIN_TOKEN))


def _one(field: str) -> pl.Expr:
    return pl.when(pl.col(field) != "").then(pl.concat_list(pl.col(field))).otherwise(
        pl.lit([], dtype=pl.List(pl.String)))


def _sorted_tokens(field: str) -> pl.Expr:
    """All tokens of a field in alphabetical order: the same key whatever the word order."""
    joined = pl.col(field).str.split(" ").list.sort().list.join(" ")
    return pl.when(pl.col(field).str.len_chars() >= 2 * MIN_TOKEN).then(
        pl.concat_list(joined)).otherwise(pl.lit([], dtype=pl.List(pl.String)))


def _prefixes(field: str, length: int = 3) -> pl.Expr:
    """The words' first letters, sorted: survives a typing error late in every word."""
    heads = pl.col(field).str.split(" ").list.eval(pl.element().str.slice(0, length))
    joined = heads.list.sort().list.join(" ")
    return pl.when(pl.col(field) != "").then(pl.concat_list(joined)).otherwise(
        pl.lit([], dtype=pl.List(pl.String)))


KEYS = (
    BlockingKey("nib", _one("nib")),
    BlockingKey("nik", _one("owner_nik")),
    BlockingKey("phone", _one("owner_phone")),
    BlockingKey("name_tokens", _tokens("name"), rarest=2, regional=True),
    BlockingKey("owner_tokens", _tokens("owner_name"), rarest=1, regional=True),
    BlockingKey("address_tokens", _tokens("address"), rarest=1, regional=True),
    BlockingKey("name_sorted", _sorted_tokens("name")),
    BlockingKey("name_prefixes", _prefixes("name"), regional=True),
    BlockingKey("owner_prefixes", _prefixes("owner_name"), regional=True),
)


def key_frame(frame: pl.DataFrame, key: BlockingKey) -> pl.DataFrame:
    """(row, key code) for every key value of every record, exploded; the code is a hash."""
    return key_query(frame, key).collect()


def key_query(frame: pl.DataFrame, key: BlockingKey) -> pl.LazyFrame:
    """key_frame as a lazy query, so that polars computes the keys side by side."""
    keys = frame.lazy().with_row_index("row").select("row", key.expr.alias("key"), "kecamatan")
    keys = keys.explode("key").drop_nulls("key").filter(pl.col("key") != "")
    if key.rarest:
        keys = _rarest(keys, key.rarest)
    if key.regional:
        keys = keys.with_columns(pl.concat_str("kecamatan", pl.lit("|"), "key").alias("key"))
    return keys.select("row", pl.col("key").hash().alias("code")).unique()


def _rarest(keys: pl.LazyFrame, count: int) -> pl.LazyFrame:
    """Each record's `count` least frequent tokens: 'keripik' says little, 'flamboyan' much."""
    frequency = keys.group_by("key").len("frequency")
    keys = keys.join(frequency, on="key").sort("row", "frequency", "key")
    return keys.group_by("row", maintain_order=True).head(count).drop("frequency")


def pairs_in_blocks(rows: np.ndarray, codes: np.ndarray, order: np.ndarray, n: int,
                    cap: int = CAP, window: int = WINDOW) -> np.ndarray:
    """Packed pair codes (low * n + high) of the records sharing a block code.

    `order` sorts the records inside a block (for the sorted neighbourhood of big blocks).
    """
    sort = np.lexsort((order, codes))
    rows, codes = rows[sort], codes[sort]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    parts = [_all_pairs(rows, starts[sizes == size], size) for size in range(2, cap + 1)
             if np.any(sizes == size)]
    big = np.repeat(sizes > cap, sizes)
    parts += [_neighbour_pairs(rows, codes, big, step) for step in range(1, window + 1)]
    return pack(*_split(np.concatenate(parts) if parts else np.empty(0, np.int64)), n)


def _all_pairs(rows: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    left, right = np.triu_indices(size, 1)
    a = rows[starts[:, None] + left].ravel()
    b = rows[starts[:, None] + right].ravel()
    return _stack(a, b)


def _neighbour_pairs(rows: np.ndarray, codes: np.ndarray, big: np.ndarray, step: int) -> np.ndarray:
    if len(rows) <= step:
        return np.empty(0, np.int64)
    same = (codes[step:] == codes[:-step]) & big[step:]
    return _stack(rows[:-step][same], rows[step:][same])


def _stack(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two row arrays as one int64 array [a0, b0, a1, b1, ...] (split again by _split)."""
    out = np.empty(2 * len(a), np.int64)
    out[0::2], out[1::2] = a, b
    return out


def _split(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return flat[0::2], flat[1::2]


def pack(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Pairs as one int64 each, the lower row first; a pair of a row with itself is dropped."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    return low[keep].astype(np.int64) * n + high[keep]


def unpack(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    return codes // n, codes % n


def candidate_pairs(frame: pl.DataFrame, keys: tuple[BlockingKey, ...] = KEYS,
                    cap: int = CAP, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs (a < b, as two int64 arrays) that share at least one blocking key."""
    n = frame.height
    # Inside an oversized block, neighbours in (kecamatan, business name) order are compared:
    # in a key counted across regions, the same kecamatan's records come together.
    order = frame.select(pl.struct("kecamatan", "name").rank("ordinal")).to_series()
    order = order.to_numpy().astype(np.int64)
    def pairs(keyed: pl.DataFrame) -> np.ndarray:
        rows = keyed["row"].to_numpy().astype(np.int64)
        return pairs_in_blocks(rows, keyed["code"].to_numpy(), order[rows], n, cap, window)

    # numpy lets go of the GIL while it sorts and gathers: two keys at a time on two cores.
    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(pairs, pl.collect_all([key_query(frame, k) for k in keys])))
    return unpack(distinct(np.concatenate(found)) if found else np.empty(0, np.int64), n)


def distinct(codes: np.ndarray) -> np.ndarray:
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes
