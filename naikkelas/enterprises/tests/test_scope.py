"""A kab/kota's enterprises are matched by one indexed expression (KabkotaKey) instead of
wilayah_q's two conditions: it must match exactly what wilayah_q matches."""

import pytest

from naikkelas.core.scope import wilayah_q
from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises import services
from naikkelas.enterprises.models import Enterprise
from naikkelas.enterprises.querysets import KabkotaKey
from naikkelas.wilayah.models import Level, Wilayah

pytestmark = pytest.mark.django_db


def test_the_key_matches_what_wilayah_q_matches_for_every_kabkota_of_a_province():
    """Over the whole code table (provinsi, kab/kota, kecamatan, desa of Sumatera Selatan
    and its neighbours), for each kab/kota code."""
    codes = Wilayah.objects.filter(kode__regex=r"^1[5-7]").annotate(key=KabkotaKey("kode"))
    kabkota = list(codes.filter(level=Level.KABKOTA).values_list("kode", flat=True))
    assert "16.07" in kabkota
    for kode in kabkota:
        by_key = set(codes.filter(key=f"{kode}.").values_list("kode", flat=True))
        by_rule = set(codes.filter(wilayah_q(kode, "kode")).values_list("kode", flat=True))
        assert by_key == by_rule, kode


def test_a_kabkota_scope_gives_what_the_prefix_rule_gives(personas):
    kept = [make_enterprise("16.07.01"), make_enterprise("16.07.02")]
    elsewhere = [make_enterprise("16.71.01"), make_enterprise("16.08.01"),
                 make_enterprise("17.01.01")]
    services.delete_enterprise(make_enterprise("16.07.03"), actor=personas.kab)
    everything = Enterprise.objects.active()
    assert {e.pk for e in everything.in_wilayah("16.07")} == {e.pk for e in kept}
    for kode in ("16.07", "16.71", "16.08", "17.01"):
        assert set(everything.in_wilayah(kode)) == set(
            everything.filter(wilayah_q(kode, "kecamatan__kode"))), kode
    assert set(Enterprise.objects.visible_to(personas.kab).active()) == set(kept)
    assert elsewhere[0] in Enterprise.objects.visible_to(personas.prov)
