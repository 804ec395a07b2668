"""The peer of `make bench-import`: django-import-export in bulk mode importing a bench csv.

Run as a child process (`python -m benchmarks.import_export_peer FILE`) so its memory is measured
alone. It gets the rows as a tablib Dataset with model field names and kecamatan codes (it cannot
read office headers, amounts written "Rp 1.500.000,-" or kecamatan names), creates Enterprise rows
only, and prints how many enterprises the database then holds.
"""

import csv
import os
import sys

import django


def dataset(path: str):
    import tablib

    from naikkelas.wilayah.models import Level, Wilayah
    codes = {nama.lower(): kode for kode, nama in
             Wilayah.objects.filter(level=Level.KECAMATAN).values_list("kode", "nama")}
    data = tablib.Dataset(headers=["name", "owner_name", "owner_gender", "owner_nik", "nib",
                                   "legal_form", "address", "kecamatan", "kbli", "products",
                                   "owner_phone"])
    with open(path, encoding="utf-8-sig", newline="") as fp:
        rows = list(csv.reader(fp, delimiter=";"))[4:-1]
    for row in rows:
        kecamatan = codes[row[8].lower().removeprefix("kec. ")]
        data.append([row[1], row[2], row[3], row[4], row[5] or None, row[6].lower(), row[7],
                     kecamatan, row[9], row[10], row[15]])
    return data


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    django.setup()
    from import_export import fields, resources, widgets

    from naikkelas.enterprises.models import Enterprise
    from naikkelas.kbli.models import Kbli
    from naikkelas.wilayah.models import Wilayah

    class EnterpriseResource(resources.ModelResource):
        kecamatan = fields.Field(attribute="kecamatan", column_name="kecamatan",
                                 widget=widgets.ForeignKeyWidget(Wilayah, "kode"))
        nib = fields.Field(attribute="nib", column_name="nib",
                           widget=widgets.CharWidget(allow_blank=False))
        kbli = fields.Field(attribute="kbli", column_name="kbli",
                            widget=widgets.ForeignKeyWidget(Kbli, "kode"))

        class Meta:
            model = Enterprise
            fields = ("name", "owner_name", "owner_gender", "owner_nik", "nib", "legal_form",
                      "address", "kecamatan", "kbli", "products", "owner_phone")
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True

    result = EnterpriseResource().import_data(dataset(path), dry_run=False,
                                              use_transactions=True, raise_errors=True)
    assert not result.has_errors()
    print(Enterprise.objects.count())


if __name__ == "__main__":
    main(sys.argv[1])
