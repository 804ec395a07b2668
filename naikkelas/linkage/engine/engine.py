"""`link(records)`: the one entry point of the engine."""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from naikkelas.linkage.engine import blocking, cluster, compare, score
from naikkelas.linkage.engine.compare import COMPARISONS, DISAGREE
from naikkelas.linkage.engine.normalize import normalized_frame

FIELDS = ("name", "owner_name", "owner_nik", "nib", "owner_phone", "address", "desa",
          "kecamatan", "kbli", "products")
# Link where a match is more likely than not (the Bayes decision for one pair); clustering then
# keeps weakly joined groups apart.
THRESHOLD = 0.5
COLUMN = {c.field: i for i, c in enumerate(COMPARISONS)}


@dataclass
class Linkage:
    """The result: a cluster id and a match score per record, and the scored pairs that linked.

    `cluster_id[i]` is shared by the records of one enterprise; `match_score[i]` is the score of
    the link that joined record i to its cluster (nan for a record alone). `a`, `b`, `score`,
    `levels` hold the linked pairs inside clusters, for review queues. `seconds` is the time
    each phase took (normalise, block, compare, score, cluster), for the benchmark.
    """

    cluster_id: np.ndarray
    match_score: np.ndarray
    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    levels: np.ndarray
    model: score.Model | None
    candidates: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def clusters(self) -> list[list[int]]:
        """The record indices of every cluster of two or more records."""
        order = np.argsort(self.cluster_id, kind="stable")
        ids = self.cluster_id[order]
        groups = np.split(order, np.flatnonzero(ids[1:] != ids[:-1]) + 1)
        return [g.tolist() for g in groups if len(g) > 1]

    def agreed(self, k: int) -> list[str]:
        """The fields on which the k-th linked pair agreed at their strongest level."""
        return [c.field for column, c in enumerate(COMPARISONS)
                if self.levels[k, column] == c.levels - 1]


def frame_of(records: Iterable[Mapping] | pl.DataFrame) -> pl.DataFrame:
    if isinstance(records, pl.DataFrame):
        return records
    rows = [{f: _text(r.get(f)) for f in FIELDS} for r in records]
    return pl.DataFrame(rows, schema={f: pl.String for f in FIELDS})


def _text(value) -> str | None:
    return None if value is None else str(value)


def link(records: Iterable[Mapping] | pl.DataFrame, *, threshold: float = THRESHOLD,
         seed: int = 7) -> Linkage:
    """Find the records that describe the same enterprise.

    `records` are dicts (or a polars frame) with the importer's field names (FIELDS; missing
    ones are empty). Normalise, block, compare, estimate u on random pairs and m by EM, score,
    veto hard negatives, cluster.
    """
    clock = Clock()
    frame = normalized_frame(frame_of(records))
    n = frame.height
    clock.lap("normalise")
    a, b = blocking.candidate_pairs(frame)
    clock.lap("block")
    coded = compare.encoded(frame)
    levels = compare.compare_all(coded, a, b)
    random_levels = _random_levels(coded, n, seed)
    clock.lap("compare")
    model = (score.expectation_maximisation(levels, score.estimate_u(random_levels), seed=seed)
             if len(levels) else None)
    probability = model.probability(levels) if model else np.empty(0)
    # The veto is checked only where the score would link.
    linking = np.flatnonzero(probability >= threshold)
    apart = hard_negative(levels[linking],
                          distinct_full_names(frame["name"], a[linking], b[linking]))
    probability[linking[apart]] = 0.0
    keep = probability >= threshold
    a, b, probability, levels = a[keep], b[keep], probability[keep], levels[keep]
    clock.lap("score")
    labels = cluster.cluster(n, a, b, probability)
    inside = labels[a] == labels[b]
    result = Linkage(cluster_id=labels,
                     match_score=cluster.weakest_links(labels, a, b, probability),
                     a=a[inside], b=b[inside], score=probability[inside], levels=levels[inside],
                     model=model, candidates=int(keep.size), seconds=clock.seconds)
    clock.lap("cluster")
    return result


class Clock:
    """Seconds per phase, each lap measured from the one before."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = round(self.seconds.get(phase, 0.0) + now - self._last, 3)
        self._last = now


def _random_levels(coded: dict, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    size = min(score.U_SAMPLE, max(n * (n - 1) // 2, 1))
    a, b = rng.integers(0, max(n, 1), size), rng.integers(0, max(n, 1), size)
    keep = a != b
    return compare.compare_all(coded, a[keep], b[keep])


def distinct_full_names(names: pl.Series, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair: both names have two words or more and share none (not one name with a part
    left out or one word replaced)."""
    words = pl.DataFrame({"x": names.gather(a), "y": names.gather(b)}).select(
        pl.col("x").str.split(" "), pl.col("y").str.split(" "))
    return words.select(
        (pl.col("x").list.len() > 1) & (pl.col("y").list.len() > 1)
        & (pl.col("x").list.set_intersection(pl.col("y")).list.len() == 0)
    ).to_series().to_numpy()


def hard_negative(levels: np.ndarray, distinct_names: np.ndarray | bool = True) -> np.ndarray:
    """Two businesses, whatever the owner's NIK, phone and address say: one named owner under
    two full business names that disagree outright and share no word (`distinct_names`), or
    names only loosely alike where the KBLI or the products differ.

    The NIK and phone identify the owner, who may run several enterprises at one address; only
    a shared NIB overrules this. A name alone tells a second business apart only when both
    records name the owner as well (and alike): without an owner column the name may be the
    person's own (a sole trader, or a list of persons), and a changed name is then evidence
    for the score to weigh, not a veto.
    """
    name, owner = levels[:, COLUMN["name"]], levels[:, COLUMN["owner_name"]]
    kbli, products = levels[:, COLUMN["kbli"]], levels[:, COLUMN["products"]]
    kbli_top = COMPARISONS[COLUMN["kbli"]].levels - 1
    different = (kbli == DISAGREE) | ((products == DISAGREE) & (kbli != kbli_top))
    renamed = (name == DISAGREE) & distinct_names & (owner > DISAGREE)
    nib_agrees = levels[:, COLUMN["nib"]] == COMPARISONS[COLUMN["nib"]].levels - 1
    return (renamed | ((name <= DISAGREE + 1) & different)) & ~nib_agrees
