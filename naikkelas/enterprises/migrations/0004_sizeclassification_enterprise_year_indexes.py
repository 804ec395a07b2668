"""Size classes' enterprise and year required and constrained; indexes for the API's pages."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0003_sizeclassification_enterprise_year"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sizeclassification",
            name="enterprise",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="enterprises.enterprise"),
        ),
        migrations.AlterField(
            model_name="sizeclassification",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="year"),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(condition=models.Q(("deleted_at__isnull", True)),
                               fields=["id", "kecamatan"], name="enterprise_active_id"),
        ),
        migrations.AddIndex(
            model_name="sizeclassification",
            index=models.Index(fields=["enterprise", "year", "rule"],
                               name="sizeclass_enterprise_year"),
        ),
        migrations.AddIndex(
            model_name="sizeclassification",
            index=models.Index(fields=["rule", "year", "kelas", "enterprise"],
                               name="sizeclass_year_kelas"),
        ),
        migrations.AddIndex(
            model_name="sizeclassification",
            index=models.Index(fields=["rule", "year", "naik_kelas", "enterprise"],
                               name="sizeclass_year_naik_kelas"),
        ),
    ]
