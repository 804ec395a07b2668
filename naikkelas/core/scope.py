"""The one scoping rule: a kode wilayah covers itself and every code below it."""

from django.db.models import Q


def wilayah_q(kode: str, field: str) -> Q:
    """Q matching rows whose `field` (a kode wilayah) lies at or under `kode`; '' is nasional.

    Codes are dotted (16, 16.07, 16.07.01, 16.07.01.2001), so 16.07 must not match 16.071x:
    match the code itself or the code followed by a dot.
    """
    if not kode:
        return Q()
    return Q(**{field: kode}) | Q(**{f"{field}__startswith": f"{kode}."})


def kode_within(kode: str, scope: str) -> bool:
    """True when `kode` lies at or under `scope` (the same rule as wilayah_q, in Python)."""
    return not scope or kode == scope or kode.startswith(f"{scope}.")


def kode_and_above(kode: str) -> list[str]:
    """The codes whose wilayah contains `kode`: '' (nasional), then each level down to `kode`
    itself. '16.07.01' -> ['', '16', '16.07', '16.07.01']."""
    parts = kode.split(".") if kode else []
    return [""] + [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
