"""The demo writes its registry in bulk, past the services: rebuild the indicator rollups after."""

from naikkelas.indicators.services import refresh_indicators


def refresh_demo_indicators() -> None:
    """Full refresh of the rollups, inside the seeding transaction."""
    refresh_indicators()
