"""The `naikkelas` command: the project's manage.py, installed as a console script."""

import os
import sys


def _canonical_command(argv: list[str]) -> list[str]:
    """Accept `load-wilayah` as well as Django's `load_wilayah` for the project's commands."""
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv = [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(_canonical_command(list(argv if argv is not None else sys.argv)))
