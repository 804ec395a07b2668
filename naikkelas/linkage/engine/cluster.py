"""Clustering scored pairs into enterprises without chaining through one weak link.

Pairs at or above the match threshold form a graph. A connected component whose pairs all link
(a clique) is one enterprise. Any other component is rebuilt by average linkage: links are taken
strongest first, and two groups join only when the average score over ALL pairs between them
(a pair never linked counts 0) reaches AVERAGE. Two tight groups touched by one weak link stay two.
"""

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

AVERAGE = 0.5


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(a), np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def cluster(n: int, a: np.ndarray, b: np.ndarray, score: np.ndarray,
            average: float = AVERAGE) -> np.ndarray:
    """A cluster label per record (0..k-1) from linked pairs (a, b) with their scores."""
    labels = components(n, a, b)
    sizes = np.bincount(labels)
    edges_per = np.bincount(labels[a], minlength=len(sizes))
    clique = edges_per == sizes * (sizes - 1) // 2
    loose = np.flatnonzero(~clique)
    if len(loose):
        inside = np.isin(labels[a], loose)
        refined = average_linkage(a[inside], b[inside], score[inside], average)
        for node, root in refined.items():
            labels[node] = len(sizes) + root
    return np.unique(labels, return_inverse=True)[1]


def average_linkage(a: np.ndarray, b: np.ndarray, score: np.ndarray,
                    average: float) -> dict[int, int]:
    """Greedy average linkage over the given pairs: node -> root node of its group."""
    parent: dict[int, int] = {}
    size: dict[int, int] = {}
    links: dict[int, dict[int, float]] = {}
    for u, v, s in zip(a.tolist(), b.tolist(), score.tolist(), strict=True):
        for x, y in ((u, v), (v, u)):
            parent.setdefault(x, x)
            size.setdefault(x, 1)
            links.setdefault(x, {})[y] = links.get(x, {}).get(y, 0.0) + s
    for k in np.argsort(-score, kind="stable").tolist():
        ru, rv = _root(parent, int(a[k])), _root(parent, int(b[k]))
        if ru != rv and links[ru].get(rv, 0.0) / (size[ru] * size[rv]) >= average:
            _join(parent, size, links, ru, rv)
    return {node: _root(parent, node) for node in parent}


def _root(parent: dict[int, int], node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def _join(parent: dict, size: dict, links: dict, ru: int, rv: int) -> None:
    """Merge the smaller group into the larger; the summed links follow."""
    big, small = (ru, rv) if size[ru] >= size[rv] else (rv, ru)
    parent[small] = big
    size[big] += size[small]
    for other, total in links.pop(small).items():
        if other == big:
            continue
        links[big][other] = links[big].get(other, 0.0) + total
        neighbour = links[other]
        neighbour[big] = neighbour.get(big, 0.0) + neighbour.pop(small)
    links[big].pop(small, None)


def weakest_links(labels: np.ndarray, a: np.ndarray, b: np.ndarray,
                  score: np.ndarray) -> np.ndarray:
    """Per record, the score of its best link into its own cluster (nan when alone): the link
    that joined it, and so the weakest evidence for its membership."""
    out = np.full(len(labels), np.nan)
    same = labels[a] == labels[b]
    best = np.zeros(len(labels))
    np.maximum.at(best, a[same], score[same])
    np.maximum.at(best, b[same], score[same])
    joined = np.bincount(np.r_[a[same], b[same]], minlength=len(labels)) > 0
    out[joined] = best[joined]
    return out
