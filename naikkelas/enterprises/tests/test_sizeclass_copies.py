"""SizeClassification.enterprise and .year copy the report's: the services write them with every
class, and migration 0003 fills them for rows written before the columns existed."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises.models import SizeClassification
from naikkelas.enterprises.services import delete_annual_report, save_annual_report

pytestmark = pytest.mark.django_db

FIGURES = {"workers_male": 3, "workers_female": 1, "investment": 80_000_000,
           "working_capital": 20_000_000, "sales": 400_000_000}


def mismatched() -> list[tuple]:
    """Classes whose copies differ from their report (none, when consistent)."""
    return [row for row in SizeClassification.objects.values_list(
        "pk", "enterprise_id", "report__enterprise_id", "year", "report__year")
        if row[1] != row[2] or row[3] != row[4]]


def test_services_write_the_report_s_enterprise_and_year(personas):
    first, second = make_enterprise("16.07.01"), make_enterprise("16.07.02")
    for year in (2022, 2023, 2024):
        save_annual_report(first, actor=personas.kab, year=year, figures=FIGURES)
    save_annual_report(second, actor=personas.kab, year=2024, figures=FIGURES)
    save_annual_report(first, actor=personas.kab, year=2023,
                       figures={**FIGURES, "workers_male": 30})
    delete_annual_report(first.reports.get(year=2022), actor=personas.kab)
    assert SizeClassification.objects.filter(enterprise=first).count() == 2 * 4
    assert set(SizeClassification.objects.filter(enterprise=second)
               .values_list("year", flat=True)) == {2024}
    assert mismatched() == []


def test_migration_fills_the_copies_from_the_reports():
    enterprise, other = make_enterprise("16.07.01"), make_enterprise("16.07.02")
    make_report(enterprise, 2023)
    make_report(other, 2024)
    SizeClassification.objects.update(enterprise=other, year=1999)  # as if never copied
    assert mismatched()
    migration = import_module("naikkelas.enterprises.migrations."
                              "0003_sizeclassification_enterprise_year")
    editor = SimpleNamespace(connection=connection,
                             execute=lambda sql: connection.cursor().execute(sql))
    migration.copy_from_reports(apps, editor)
    assert mismatched() == []
    assert SizeClassification.objects.filter(enterprise=enterprise, year=2023).count() == 4
