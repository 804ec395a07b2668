"""Which registered enterprise each row is: the one function `match`, to swap for a linkage engine.

Rules, in order, within the wilayah of the import:
1. the same NIB;
2. the same owner NIK and a similar business name;
3. a similar business name in the same kecamatan, with the desa or address agreeing.
Names are compared after dropping legal-form words ("UD", "CV", "Toko"…) and punctuation, in any
word order; addresses after writing "Jl."/"Jln" as "jalan". A score in the grey band is UNCERTAIN:
the row becomes a new enterprise and the pair is queued for a person to review.
"""

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from naikkelas.enterprises.models import Enterprise

CREATE, UPDATE, UNCERTAIN = "create", "update", "uncertain"
SURE = 90
GREY = 75
NIK_SURE, NIK_GREY = 80, 60
PLACE_BONUS = 8  # the most that agreeing place and owner add to the name similarity
SMALL_BLOCK, MAX_BLOCK, FUZZY_LIMIT = 300, 2000, 10
REGISTRY_CHUNK = 20_000
NAME_NOISE = {"ud", "cv", "pt", "toko", "tb", "pd", "kub", "ukm", "ikm", "umkm", "usaha",
              "dagang", "industri", "home", "industry", "rumah", "produksi", "fa"}
ADDRESS_WORDS = {"jl": "jalan", "jln": "jalan", "gg": "gang", "no": "nomor", "ds": "desa",
                 "kel": "kelurahan", "kec": "kecamatan", "dsn": "dusun"}


@dataclass
class Decision:
    """What to do with one row: create, update `enterprise_id`, or create and review `candidate_id`."""

    action: str
    enterprise_id: int | None = None
    candidate_id: int | None = None
    score: float = 0.0
    rule: str = ""


@dataclass(slots=True)
class _Candidate:
    id: int
    nib: str | None
    nik: str
    name: str
    owner: str
    kecamatan: str
    desa: str | None
    address: str
    taken: bool = False


@dataclass(slots=True)
class _Block:
    """The registered enterprises of one kecamatan: by exact name key, and for fuzzy search."""

    candidates: list[_Candidate] = field(default_factory=list)
    by_key: dict[str, list[_Candidate]] = field(default_factory=dict)
    by_word: dict[str, list[int]] | None = None

    def add(self, candidate: _Candidate) -> None:
        self.candidates.append(candidate)
        self.by_key.setdefault(candidate.name, []).append(candidate)

    def near(self, name: str) -> list[_Candidate]:
        """Candidates worth a fuzzy comparison: all of a small block, else those sharing a word."""
        if len(self.candidates) <= SMALL_BLOCK:
            return self.candidates
        if self.by_word is None:
            self.by_word = {}
            for position, candidate in enumerate(self.candidates):
                for word in set(candidate.name.split()):
                    self.by_word.setdefault(word, []).append(position)
        # The two rarest words of the name: typos rarely hit both, common words add little.
        postings = sorted((self.by_word.get(w, []) for w in set(name.split())), key=len)[:2]
        return [self.candidates[i] for i in sorted(set().union(*postings))[:MAX_BLOCK]]


@dataclass
class Registry:
    """The registered enterprises of a wilayah, keyed for matching; loaded once per import.

    Rows matched across several `match` calls with the same Registry take each enterprise once.
    """

    by_nib: dict[str, _Candidate] = field(default_factory=dict)
    by_nik: dict[str, list[_Candidate]] = field(default_factory=dict)
    by_kecamatan: dict[str, _Block] = field(default_factory=dict)


def name_key(text: str) -> str:
    """'UD. Pempek  Cek Molek' -> 'cek molek pempek': no legal form, lower case, sorted words."""
    words = re.sub(r"[^\w]+", " ", str(text or "").lower()).split()
    return " ".join(sorted(w for w in words if w not in NAME_NOISE))


def address_key(text: str) -> str:
    """'Jl. Merdeka No.5' -> 'jalan merdeka nomor 5'."""
    words = re.sub(r"[^\w]+", " ", str(text or "").lower()).split()
    return " ".join(ADDRESS_WORDS.get(w, w) for w in words)


def match(rows: Iterable[Any], wilayah: str, *, registry: Registry | None = None
          ) -> list[Decision]:
    """One Decision per row. A row gives `enterprise` (a dict of fields) and `desa_text`.

    Each registered enterprise is matched by at most one row of the file; a file read in parts
    passes the same `registry` (from `load_registry`) for every part.
    """
    registry = registry if registry is not None else load_registry(wilayah)
    return [_decide(row.enterprise, row.desa_text, registry) for row in rows]


def load_registry(wilayah: str) -> Registry:
    """The active enterprises of `wilayah`, read in one query and indexed by NIB, NIK and name."""
    registry = Registry()
    fields = ("id", "nib", "owner_nik", "name", "owner_name", "kecamatan_id", "desa_id",
              "address")
    # In chunks (a server-side cursor on PostgreSQL): a province's million rows read at once
    # would hold every tuple in memory beside the registry built from them.
    rows = Enterprise.objects.active().in_wilayah(wilayah).values_list(*fields)
    for values in rows.iterator(chunk_size=REGISTRY_CHUNK):
        # A million enterprises name a few hundred places: keep one copy of each code.
        candidate = _Candidate(values[0], values[1], values[2], name_key(values[3]),
                               name_key(values[4]), sys.intern(values[5]),
                               values[6] and sys.intern(values[6]), address_key(values[7]))
        if candidate.nib:
            registry.by_nib[candidate.nib] = candidate
        if candidate.nik:
            registry.by_nik.setdefault(candidate.nik, []).append(candidate)
        registry.by_kecamatan.setdefault(candidate.kecamatan, _Block()).add(candidate)
    return registry


def _decide(data: dict[str, Any], desa_text: str, registry: Registry) -> Decision:
    nib = data.get("nib")
    by_nib = registry.by_nib.get(nib) if nib else None
    if by_nib and not by_nib.taken:
        return _take(by_nib, UPDATE, 100.0, "nib")
    name = name_key(data.get("name", ""))
    decision = _by_nik(data, name, registry)
    if decision.action != CREATE:
        return decision
    return _by_name_and_place(data, name, desa_text, registry)


def _by_nik(data: dict[str, Any], name: str, registry: Registry) -> Decision:
    scored = [(fuzz.token_sort_ratio(name, c.name), c)
              for c in registry.by_nik.get(data.get("owner_nik") or "", []) if _free(c, data)]
    if not scored:
        return Decision(CREATE)
    score, best = max(scored, key=lambda pair: pair[0])
    if score >= NIK_SURE:
        return _take(best, UPDATE, score, "nik")
    if score >= NIK_GREY:
        return Decision(UNCERTAIN, candidate_id=best.id, score=score, rule="nik")
    return Decision(CREATE)


def _by_name_and_place(data: dict[str, Any], name: str, desa_text: str,
                       registry: Registry) -> Decision:
    block = registry.by_kecamatan.get(data.get("kecamatan_id"))
    if block is None:
        return Decision(CREATE)
    # The same name key (the usual case year after year) is a dictionary hit; only when that is
    # not surely the enterprise are the similar names of the kecamatan compared.
    best, best_score = _best(data, name, desa_text, block.by_key.get(name, []))
    if best_score < SURE:
        near = block.near(name)
        found = process.extract(name, [c.name for c in near], scorer=fuzz.token_sort_ratio,
                                score_cutoff=GREY - PLACE_BONUS, limit=FUZZY_LIMIT)
        best, best_score = max([(best, best_score), _best(
            data, name, desa_text, [near[i] for _n, _s, i in found])], key=lambda p: p[1])
    if best is None or best_score < GREY:
        return Decision(CREATE)
    if best_score >= SURE:
        return _take(best, UPDATE, best_score, "name")
    return Decision(UNCERTAIN, candidate_id=best.id, score=best_score, rule="name")


def _best(data: dict[str, Any], name: str, desa_text: str,
          candidates: list[_Candidate]) -> tuple[_Candidate | None, float]:
    best, best_score = None, 0.0
    for candidate in candidates:
        if not _free(candidate, data):
            continue
        score = _score(data, name, desa_text, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best, best_score


def _score(data: dict[str, Any], name: str, desa_text: str, candidate: _Candidate) -> float:
    """Name similarity, lowered when the place or the owner disagrees, raised when they agree."""
    score = fuzz.token_sort_ratio(name, candidate.name)
    place = _place_agreement(data, desa_text, candidate)
    score += {True: 3, False: -15, None: 0}[place]
    owner = name_key(data.get("owner_name", ""))
    if owner and candidate.owner:
        similarity = fuzz.token_sort_ratio(owner, candidate.owner)
        score += 5 if similarity >= 85 else (-10 if similarity < 60 else 0)
    return min(score, 100.0)


def _place_agreement(data: dict[str, Any], desa_text: str, candidate: _Candidate) -> bool | None:
    """True/False when desa or address can be compared, None when neither is known on both."""
    if data.get("desa_id") and candidate.desa:
        return data["desa_id"] == candidate.desa
    address = address_key(data.get("address", ""))
    if address and candidate.address:
        return fuzz.token_set_ratio(address, candidate.address) >= 75
    if desa_text and candidate.address:
        return fuzz.partial_ratio(address_key(desa_text), candidate.address) >= 85
    return None


def _free(candidate: _Candidate, data: dict[str, Any]) -> bool:
    """Not matched by an earlier row, and not carrying a different NIB than the row."""
    nib = data.get("nib")
    return not candidate.taken and not (nib and candidate.nib and candidate.nib != nib)


def _take(candidate: _Candidate, action: str, score: float, rule: str) -> Decision:
    candidate.taken = True
    return Decision(action, enterprise_id=candidate.id, score=round(score, 1), rule=rule)
