"""Fellegi-Sunter scoring with parameters estimated from the data.

u (how often a level occurs between two records that are NOT the same enterprise) starts from
random pairs, which are almost all non-matches; m (how often it occurs between records that ARE),
u among the candidate pairs and the share of matches among them come from expectation
maximisation on the candidate pairs. Blocking makes candidate non-matches agree more often than
random ones on the blocked fields, which EM learns; a personal identifier (`fixed_u`: the NIK)
keeps its u from random pairs, since only a typing error gives two people one NIK, while its
blocks fill the candidates with one owner's other businesses. Level 0 (a side missing) weighs
nothing.
"""

from dataclasses import dataclass, field

import numpy as np

from naikkelas.linkage.engine.compare import COMPARISONS, NULL

EM_SAMPLE = 200_000
U_SAMPLE = 100_000
MAX_ITERATIONS = 60
TOLERANCE = 1e-5
# Pseudo-counts pulling m towards its starting value: keeps a small registry (a few dozen pairs)
# from learning extreme weights out of a handful of examples.
PRIOR_STRENGTH = 20.0


@dataclass
class Model:
    """m and u per comparison level, the prior share of matches, and how EM went."""

    m: list[np.ndarray]
    u: list[np.ndarray]
    prior: float
    iterations: int = 0
    converged: bool = False
    history: list[float] = field(default_factory=list)

    def weights(self) -> list[np.ndarray]:
        """log2(m/u) per level; the null level weighs 0."""
        out = []
        for m, u in zip(self.m, self.u, strict=True):
            w = np.log2(m / u)
            w[NULL] = 0.0
            out.append(w)
        return out

    def match_weight(self, levels: np.ndarray) -> np.ndarray:
        total = np.full(len(levels), np.log2(self.prior / (1 - self.prior)))
        for column, w in enumerate(self.weights()):
            total += w[levels[:, column]]
        return total

    def probability(self, levels: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp2(-self.match_weight(levels)))


def starting_m(levels: int) -> np.ndarray:
    """Agreement likely among matches: weights rising fourfold per level towards the top."""
    m = np.concatenate([[1.0], 4.0 ** np.arange(levels - 1)])
    m[1:] /= m[1:].sum()
    return m


def estimate_u(random_levels: np.ndarray) -> list[np.ndarray]:
    """u per level from the levels of random pairs (add-one smoothing, null level kept at 1)."""
    u = []
    for column, comparison in enumerate(COMPARISONS):
        counts = np.bincount(random_levels[:, column], minlength=comparison.levels).astype(float)
        counts[NULL] = 0
        share = (counts[1:] + 1) / (counts[1:].sum() + comparison.levels - 1)
        u.append(np.concatenate([[1.0], share]))
    return u


def expectation_maximisation(levels: np.ndarray, u: list[np.ndarray], prior: float = 0.02,
                             seed: int = 7) -> Model:
    """Estimate m and the prior on the candidate pairs (a sample of them), u fixed."""
    rng = np.random.default_rng(seed)
    if len(levels) > EM_SAMPLE:
        levels = levels[rng.choice(len(levels), EM_SAMPLE, replace=False)]
    start = [starting_m(c.levels) for c in COMPARISONS]
    model = Model(m=[m.copy() for m in start], u=[x.copy() for x in u], prior=prior)
    for iteration in range(1, MAX_ITERATIONS + 1):
        p = model.probability(levels) if len(levels) else np.empty(0)
        change = _maximise(model, levels, p, start, u)
        model.iterations, model.history = iteration, [*model.history, change]
        if change < TOLERANCE:
            model.converged = True
            break
    return model


def _shares(levels: np.ndarray, weights: np.ndarray, size: int, prior: np.ndarray) -> np.ndarray:
    """Weighted share of each level (null excluded), smoothed towards `prior`."""
    present = levels != NULL
    counts = np.bincount(levels[present], weights=weights[present], minlength=size).astype(float)
    counts[NULL] = 0
    counts[1:] += PRIOR_STRENGTH * prior[1:]
    return np.concatenate([[1.0], np.maximum(counts[1:] / counts[1:].sum(), 1e-6)])


def _maximise(model: Model, levels: np.ndarray, p: np.ndarray, start: list[np.ndarray],
              u_start: list[np.ndarray]) -> float:
    """One M step; returns the largest change of any parameter."""
    change = 0.0
    for column, comparison in enumerate(COMPARISONS):
        m = _shares(levels[:, column], p, comparison.levels, start[column])
        u = (model.u[column] if comparison.fixed_u else
             _shares(levels[:, column], 1 - p, comparison.levels, u_start[column]))
        change = max(change, float(np.abs(m - model.m[column]).max()),
                     float(np.abs(u - model.u[column]).max()))
        model.m[column], model.u[column] = m, u
    prior = float(np.clip((p.sum() + 1) / (len(p) + 2), 1e-6, 1 - 1e-6))
    change = max(change, abs(prior - model.prior))
    model.prior = prior
    return change
