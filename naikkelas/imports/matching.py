"""Which registered enterprise each row is: the one function `match`, to swap for a linkage engine.

Rules, in order, within the wilayah of the import:
1. the same NIB;
2. the same owner NIK and a similar business name;
3. a similar business name in the same kecamatan, with the desa or address agreeing.
Names, owners and addresses are compared as the record-linkage engine normalises them
(`linkage.engine.normalize`: one vocabulary of legal forms "UD"/"CV"/"Toko", titles "Hj."/"S.Pd."
and street words "Jl."/"Jalan"), names and owners in any word order. A score in the grey band is
UNCERTAIN: the row becomes a new enterprise and the pair is queued for a person to review (the
engine's duplicate queue). The engine's `link` itself clusters a whole list without rules; an
import needs these rules against the registry, which is why matching is its own function.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from rapidfuzz import fuzz, process

from naikkelas.enterprises.models import Enterprise
from naikkelas.linkage.engine.normalize import address_expr, name_expr, owner_expr

CREATE, UPDATE, UNCERTAIN = "create", "update", "uncertain"
SURE = 90
GREY = 75
NIK_SURE, NIK_GREY = 80, 60
PLACE_BONUS = 8  # the most that agreeing place and owner add to the name similarity
SMALL_BLOCK, MAX_BLOCK, FUZZY_LIMIT = 300, 2000, 10
REGISTRY_CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one row: create, update `enterprise_id`, or create and review `candidate_id`."""

    action: str
    enterprise_id: int | None = None
    candidate_id: int | None = None
    score: float = 0.0
    rule: str = ""


NEW = Decision(CREATE)  # shared: a Decision is never changed


@dataclass(slots=True)
class _Candidate:
    """One registered enterprise as matching reads it: `pos` is its row in the Registry."""

    pos: int
    id: int
    nib: str | None
    nik: str | None
    name: str
    owner: str
    kecamatan: str
    desa: str | None
    address: str


@dataclass(slots=True)
class _Keys:
    """One row's keys, as the registry's are written (KEYS): name, owner, address, and the
    desa written in the file (when it names no known desa, compared with addresses)."""

    name: str
    owner: str
    address: str
    desa: str


@dataclass(slots=True)
class _Block:
    """The name keys of one kecamatan's registered enterprises, for fuzzy search."""

    names: list[str]
    positions: list[int]
    by_word: dict[str, list[int]] | None = None

    def near(self, name: str) -> tuple[list[str], list[int]]:
        """Names worth a fuzzy comparison, with their registry positions: all of a small
        block, else those sharing one of the name's two rarest words."""
        if len(self.names) <= SMALL_BLOCK:
            return self.names, self.positions
        if self.by_word is None:
            self.by_word = {}
            for index, key in enumerate(self.names):
                for word in set(key.split()):
                    self.by_word.setdefault(word, []).append(index)
        # The two rarest words of the name: typos rarely hit both, common words add little.
        postings = sorted((self.by_word.get(w, []) for w in set(name.split())), key=len)[:2]
        chosen = sorted(set().union(*postings))[:MAX_BLOCK]
        return [self.names[i] for i in chosen], [self.positions[i] for i in chosen]


REGISTRY_SCHEMA = {"id": pl.Int64, "nib": pl.String, "nik": pl.String, "name": pl.String,
                   "owner": pl.String, "kecamatan": pl.String, "desa": pl.String,
                   "address": pl.String}


class Registry:
    """The registered enterprises of a wilayah, keyed for matching; loaded once per import.

    Held as one polars frame (a million enterprises in about 200 MB, where Python objects and
    dictionaries took 640 MB): each batch of rows finds its candidates by joins on NIB, NIK
    and (kecamatan, name key), and only those become Python objects. Rows matched across
    several `match` calls with the same Registry take each enterprise once (`taken`).
    """

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame.with_row_index("pos")
        self.taken = bytearray(frame.height)
        self._blocks: dict[str, _Block] = {}

    def __len__(self) -> int:
        return self.frame.height

    def lookup(self, keys: pl.DataFrame) -> dict[str, dict[int, list[int]]]:
        """For each rule, the registry positions of the rows' candidates, by row index."""
        found: dict[str, dict[int, list[int]]] = {}
        for rule, on in (("nib", ["nib"]), ("nik", ["nik"]), ("name", ["kecamatan", "name"])):
            pairs = keys.select("row", *on).join(self.frame.select("pos", *on), on=on)
            by_row: dict[int, list[int]] = {}
            for row, pos in pairs.select("row", "pos").sort("row", "pos").iter_rows():
                by_row.setdefault(row, []).append(pos)
            found[rule] = by_row
        return found

    def candidates(self, positions: Iterable[int]) -> dict[int, _Candidate]:
        """The enterprises at `positions`, as Python objects."""
        wanted = sorted(set(positions))
        if not wanted:
            return {}
        rows = self.frame[wanted].iter_rows()
        return {values[0]: _Candidate(*values) for values in rows}

    def block(self, kecamatan: str | None) -> _Block | None:
        """The kecamatan's name keys, read from the frame the first time they are searched."""
        if kecamatan is None:
            return None
        if kecamatan not in self._blocks:
            part = self.frame.filter(pl.col("kecamatan") == kecamatan).select("name", "pos")
            self._blocks[kecamatan] = _Block(part["name"].to_list(), part["pos"].to_list())
        block = self._blocks[kecamatan]
        return block if block.names else None

    def free(self, candidate: _Candidate, nib: str | None) -> bool:
        """Not matched by an earlier row, and not carrying a different NIB than the row."""
        return not self.taken[candidate.pos] and not (nib and candidate.nib
                                                      and candidate.nib != nib)

    def take(self, candidate: _Candidate, action: str, score: float, rule: str) -> Decision:
        self.taken[candidate.pos] = 1
        return Decision(action, enterprise_id=candidate.id, score=round(score, 1), rule=rule)


def _any_order(expr: pl.Expr) -> pl.Expr:
    return expr.str.split(" ").list.sort().list.join(" ")


# Besides the engine's legal forms: words an office writes around a name one year and not the
# next ("Usaha Dagang Maju" / "UD Maju", "TB Bangunan", "Rumah Produksi Kopi").
NAME_NOISE = r"\b(?:dagang|tb|industri|industry|home|rumah|produksi)\b"


def _name_key(expr: pl.Expr) -> pl.Expr:
    words = name_expr(expr).str.replace_all(NAME_NOISE, " ").str.replace_all(r"\s+", " ")
    return _any_order(words.str.strip_chars())


KEYS = {"name": _name_key, "owner": lambda e: _any_order(owner_expr(e)),
        "address": address_expr}


def keys_of(kind: str, values: Iterable[Any]) -> list[str]:
    """The matching keys (KEYS: name, owner or address) of many values at once."""
    series = pl.Series("v", [None if v is None else str(v) for v in values], dtype=pl.String)
    return pl.DataFrame([series]).select(KEYS[kind](pl.col("v"))).to_series().to_list()


def name_key(text: str) -> str:
    """'UD. Pempek  Cek Molek' -> 'cek molek pempek': no legal form, lower case, sorted words.
    One value costs half a millisecond (a polars query): for many, `keys_of`."""
    return keys_of("name", [text])[0]


def address_key(text: str) -> str:
    """'Jalan Merdeka No. 5' and 'Jl Merdeka no 5' -> one form."""
    return keys_of("address", [text])[0]


def match(rows: Iterable[Any], wilayah: str, *, registry: Registry | None = None
          ) -> list[Decision]:
    """One Decision per row. A row gives `enterprise` (a dict of fields) and `desa_text`.

    Each registered enterprise is matched by at most one row of the file; a file read in parts
    passes the same `registry` (from `load_registry`) for every part.
    """
    registry = registry if registry is not None else load_registry(wilayah)
    rows = list(rows)
    if not len(registry):
        return [NEW] * len(rows)
    batch = _Batch(registry, rows)
    return [_decide(batch, index, row.enterprise)
            for index, row in enumerate(rows)]


def load_registry(wilayah: str) -> Registry:
    """The active enterprises of `wilayah`, with the keys matching compares."""
    fields = ("id", "nib", "owner_nik", "name", "owner_name", "kecamatan_id", "desa_id",
              "address")
    # In chunks (a server-side cursor on PostgreSQL), each a small frame: a province's million
    # rows are never Python objects all at once. The chunks stay apart (no copy to join them).
    # By id: the oldest of equally good candidates comes first (and no sort by name).
    rows = (Enterprise.objects.active().in_wilayah(wilayah).order_by("id")
            .values_list(*fields))
    frames, chunk = [], []
    for values in rows.iterator(chunk_size=REGISTRY_CHUNK):
        chunk.append(values)
        if len(chunk) == REGISTRY_CHUNK:
            frames.append(_keyed(chunk))
            chunk = []
    frames.append(_keyed(chunk))
    return Registry(pl.concat(frames, rechunk=False))


def _keyed(rows: list[tuple]) -> pl.DataFrame:
    """Registry rows with their names, owners and addresses as keys (empty codes as null)."""
    frame = pl.DataFrame(rows, schema=REGISTRY_SCHEMA, orient="row")
    blank = [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
             for c in ("nib", "nik", "desa")]
    return frame.with_columns(*blank, KEYS["name"](pl.col("name")).alias("name"),
                              KEYS["owner"](pl.col("owner")).alias("owner"),
                              KEYS["address"](pl.col("address")).alias("address"))


class _Batch:
    """The rows of one `match` call with their candidates, found together by `Registry.lookup`."""

    def __init__(self, registry: Registry, rows: list[Any]) -> None:
        self.registry = registry
        self.keys = [_Keys(*keys) for keys in zip(
            keys_of("name", (row.enterprise.get("name") for row in rows)),
            keys_of("owner", (row.enterprise.get("owner_name") for row in rows)),
            keys_of("address", (row.enterprise.get("address") for row in rows)),
            keys_of("address", (row.desa_text for row in rows)))]
        keys = pl.DataFrame({
            "row": range(len(rows)),
            "nib": [row.enterprise.get("nib") or None for row in rows],
            "nik": [row.enterprise.get("owner_nik") or None for row in rows],
            "kecamatan": [row.enterprise.get("kecamatan_id") for row in rows],
            "name": [k.name or None for k in self.keys],  # no name key: nothing to join
        }, schema={"row": pl.Int64, **{k: pl.String for k in ("nib", "nik", "kecamatan",
                                                                "name")}})
        self.found = registry.lookup(keys)
        self.cached = registry.candidates(
            pos for by_row in self.found.values() for positions in by_row.values()
            for pos in positions)
        self.similar = self._plan_similar(rows)

    def of(self, rule: str, index: int) -> list[_Candidate]:
        return [self.cached[pos] for pos in self.found[rule].get(index, ())]

    def at(self, positions: list[int]) -> list[_Candidate]:
        """Candidates by position, read from the registry when not yet cached."""
        missing = [pos for pos in positions if pos not in self.cached]
        if missing:
            self.cached.update(self.registry.candidates(missing))
        return [self.cached[pos] for pos in positions]

    def similar_to(self, index: int, kecamatan: str | None) -> list[int]:
        if index not in self.similar:
            self.similar[index] = _similar(self.registry, kecamatan, self.keys[index].name)
        return self.similar[index]

    def _plan_similar(self, rows: list[Any]) -> dict[int, list[int]]:
        """The fuzzy search of every row that will likely need it (no NIB, no sure NIK and no
        sure exact name), done ahead so that its candidates are read in one go."""
        similar: dict[int, list[int]] = {}
        for index, row in enumerate(rows):
            data = row.enterprise
            if self.found["nib"].get(index):
                continue
            name = self.keys[index].name
            if not name:
                continue  # nothing to compare (_by_name_and_place)
            nik = [fuzz.token_sort_ratio(name, c.name) for c in self.of("nik", index)]
            exact = [_score(data, self.keys[index], c) for c in self.of("name", index)]
            if max(nik, default=0) >= NIK_SURE or max(exact, default=0) >= SURE:
                continue
            similar[index] = _similar(self.registry, data.get("kecamatan_id"), name)
        self.at(sorted({pos for positions in similar.values() for pos in positions}))
        return similar


def _similar(registry: Registry, kecamatan: str | None, name: str) -> list[int]:
    """Registry positions of the names of the kecamatan most like `name`, best first."""
    block = registry.block(kecamatan)
    if block is None:
        return []
    names, positions = block.near(name)
    found = process.extract(name, names, scorer=fuzz.token_sort_ratio,
                            score_cutoff=GREY - PLACE_BONUS, limit=FUZZY_LIMIT)
    return [positions[i] for _name, _score, i in found]


def _decide(batch: _Batch, index: int, data: dict[str, Any]) -> Decision:
    registry = batch.registry
    for candidate in batch.of("nib", index):
        if not registry.taken[candidate.pos]:
            return registry.take(candidate, UPDATE, 100.0, "nib")
    name = batch.keys[index].name
    decision = _by_nik(registry, data, name, batch.of("nik", index))
    if decision.action != CREATE:
        return decision
    return _by_name_and_place(batch, index, data)


def _by_nik(registry: Registry, data: dict[str, Any], name: str,
            candidates: list[_Candidate]) -> Decision:
    nib = data.get("nib")
    scored = [(fuzz.token_sort_ratio(name, c.name), c) for c in candidates
              if name and registry.free(c, nib)]  # two empty names are not alike
    if not scored:
        return NEW
    score, best = max(scored, key=lambda pair: pair[0])
    if score >= NIK_SURE:
        return registry.take(best, UPDATE, score, "nik")
    if score >= NIK_GREY:
        return Decision(UNCERTAIN, candidate_id=best.id, score=score, rule="nik")
    return NEW


def _by_name_and_place(batch: _Batch, index: int, data: dict[str, Any]) -> Decision:
    registry, keys = batch.registry, batch.keys[index]
    if not keys.name:  # only legal-form words ("UD", "Home Industry"): nothing to compare
        return NEW
    # The same name key in the same kecamatan (the usual case year after year) is found by the
    # batch's join; only when that is not surely the enterprise are similar names compared.
    best, best_score = _best(registry, data, keys, batch.of("name", index))
    if best_score < SURE:
        similar = batch.at(batch.similar_to(index, data.get("kecamatan_id")))
        best, best_score = max([(best, best_score), _best(registry, data, keys, similar)],
                               key=lambda p: p[1])
    if best is None or best_score < GREY:
        return NEW
    if best_score >= SURE:
        return registry.take(best, UPDATE, best_score, "name")
    return Decision(UNCERTAIN, candidate_id=best.id, score=best_score, rule="name")


def _best(registry: Registry, data: dict[str, Any], keys: _Keys,
          candidates: list[_Candidate]) -> tuple[_Candidate | None, float]:
    best, best_score = None, 0.0
    nib = data.get("nib")
    for candidate in candidates:
        if not registry.free(candidate, nib):
            continue
        score = _score(data, keys, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best, best_score


def _score(data: dict[str, Any], keys: _Keys, candidate: _Candidate) -> float:
    """Name similarity, lowered when the place or the owner disagrees, raised when they agree."""
    score = fuzz.token_sort_ratio(keys.name, candidate.name)
    place = _place_agreement(data, keys, candidate)
    score += {True: 3, False: -15, None: 0}[place]
    if keys.owner and candidate.owner:
        similarity = fuzz.token_sort_ratio(keys.owner, candidate.owner)
        score += 5 if similarity >= 85 else (-10 if similarity < 60 else 0)
    return min(score, 100.0)


def _place_agreement(data: dict[str, Any], keys: _Keys, candidate: _Candidate) -> bool | None:
    """True/False when desa or address can be compared, None when neither is known on both."""
    if data.get("desa_id") and candidate.desa:
        return data["desa_id"] == candidate.desa
    if keys.address and candidate.address:
        return fuzz.token_set_ratio(keys.address, candidate.address) >= 75
    if keys.desa and candidate.address:
        return fuzz.partial_ratio(keys.desa, candidate.address) >= 85
    return None
