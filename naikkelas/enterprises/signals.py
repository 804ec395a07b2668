"""Signals the registry sends, so that the apps above it (indicators) follow its changes without
the registry importing them (dependencies point one way)."""

from django.dispatch import Signal

# Sent by `services` inside the writing transaction, with `kecamatan_codes` (set[str]) and
# `years` (set[int]) whose figures, classes or membership changed. The indicators app connects
# `naikkelas.indicators.services.mark_dirty`.
registry_changed = Signal()
