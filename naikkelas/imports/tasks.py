"""Background tasks of the importer (django_tasks; `naikkelas db_worker` runs them)."""

from django_tasks import task

from naikkelas.imports.models import ImportRun


@task()
def run_import(run_id: int) -> None:
    """Run a queued web import (see services.queue_import)."""
    from naikkelas.imports.services import run_queued_import
    run_queued_import(ImportRun.objects.select_related("actor").get(pk=run_id))


@task()
def check_import(upload: str, user_id: int, wilayah: str, tahun: int, mapping: dict[str, str],
                 check: str, language: str) -> None:
    """The preview's dry run of a kept upload (see checks.run_check)."""
    from naikkelas.imports.checks import run_check
    run_check(upload, user_id=user_id, wilayah=wilayah, tahun=tahun, mapping=mapping,
              check=check, language=language)


@task()
def run_undo(run_id: int, user_id: int, language: str) -> None:
    """Undo a finished import in the background (see services.queue_undo)."""
    from naikkelas.imports.services import run_queued_undo
    run_queued_undo(run_id, user_id=user_id, language=language)
