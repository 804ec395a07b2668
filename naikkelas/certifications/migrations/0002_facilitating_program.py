"""Certificate.program: the recorded program that facilitated it; the old free text is linked to a
program of exactly that name whose wilayah reaches the enterprise, and kept as text otherwise."""

import django.db.models.deletion
from django.db import migrations, models

from naikkelas.programs.migration_links import link_text_to_programs, unlink_programs


def link(apps, schema_editor):
    link_text_to_programs(apps.get_model("certifications", "Certificate"),
                          apps.get_model("programs", "Program"), "enterprise__kecamatan_id")


def unlink(apps, schema_editor):
    unlink_programs(apps.get_model("certifications", "Certificate"),
                    apps.get_model("programs", "Program"))


class Migration(migrations.Migration):

    dependencies = [
        ('certifications', '0001_initial'),
        ('enterprises', '0004_sizeclassification_enterprise_year_indexes'),
        ('programs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='program',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='programs.program', verbose_name='facilitated by (program)'),
        ),
        migrations.AlterField(
            model_name='certificate',
            name='facilitated_by',
            field=models.CharField(blank=True, help_text='Only when the facilitating program is not recorded here, e.g. a program of another office.', max_length=200, verbose_name='facilitator (not a recorded program)'),
        ),
        migrations.RunPython(link, unlink),
    ]
