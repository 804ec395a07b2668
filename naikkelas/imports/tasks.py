"""Background tasks of the importer (django_tasks; `naikkelas db_worker` runs them)."""

from django_tasks import task

from naikkelas.imports.models import ImportRun


@task()
def run_import(run_id: int) -> None:
    """Run a queued web import (see services.queue_import)."""
    from naikkelas.imports.services import run_queued_import
    run_queued_import(ImportRun.objects.select_related("actor").get(pk=run_id))
