"""The record-linkage engine: normalise, block, compare, score (Fellegi-Sunter, EM), cluster.

`link(records)` is the one entry point; the dedupe command, the registry scan and the import call it.
The engine knows nothing of Django: records are plain dicts with the importer's field names.
"""

from naikkelas.linkage.engine.engine import FIELDS, Linkage, link

__all__ = ["FIELDS", "Linkage", "link"]
