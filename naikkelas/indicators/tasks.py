"""Background refresh of the rollups, for the database task backend (`naikkelas db_worker`)."""

from django_tasks import task

from naikkelas.indicators.services import refresh_indicators


@task()
def refresh_indicators_task(tahun: int | None = None) -> None:
    """Full refresh (all years, or one), e.g. after a bulk load that bypassed the services."""
    refresh_indicators(tahun)
