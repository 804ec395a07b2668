from django.db import migrations


def load(apps, schema_editor):
    from naikkelas.kbli.data import SHIPPED
    from naikkelas.kbli.loaders import upsert_kbli

    upsert_kbli(apps.get_model("kbli", "Kbli"), SHIPPED)


class Migration(migrations.Migration):
    dependencies = [("kbli", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
