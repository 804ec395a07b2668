"""Copy each size class's enterprise and year from its report (filled here, NOT NULL in 0004).

The column is added without its foreign key constraint, so that filling millions of rows queues
no per-row constraint check; 0004 adds the constraint, validated in one pass.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

FILL_POSTGRESQL = """
    UPDATE enterprises_sizeclassification AS c
    SET enterprise_id = r.enterprise_id, year = r.year
    FROM enterprises_annualreport AS r
    WHERE r.id = c.report_id
      AND (c.enterprise_id IS DISTINCT FROM r.enterprise_id OR c.year IS DISTINCT FROM r.year)
"""


def copy_from_reports(apps, schema_editor) -> None:
    """Set enterprise and year of every size class to its report's (one statement)."""
    if schema_editor.connection.vendor == "postgresql":  # a join, not two subqueries per row
        schema_editor.execute(FILL_POSTGRESQL)
        return
    SizeClassification = apps.get_model("enterprises", "SizeClassification")
    AnnualReport = apps.get_model("enterprises", "AnnualReport")
    report = AnnualReport.objects.filter(pk=OuterRef("report_id"))
    SizeClassification.objects.update(
        enterprise_id=Subquery(report.values("enterprise_id")[:1]),
        year=Subquery(report.values("year")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0002_nib_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="sizeclassification",
            name="enterprise",
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="enterprises.enterprise"),
        ),
        migrations.AddField(
            model_name="sizeclassification",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="year"),
        ),
        migrations.RunPython(copy_from_reports, migrations.RunPython.noop, elidable=True),
    ]
