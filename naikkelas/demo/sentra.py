"""Demo sentra (and later certificates and loans) for the seed regions, from the demo batch.

Deterministic: one random.Random(seed), and members chosen among the batch's enterprises in a
fixed order. Banjarmasin gets the sentra seed 002 names; Lampung enough sentra that its counts
look like seed 003 ("73 terbentuk, 54 ber-SK"); Banyuasin and Palembang a few in every state.
Written in bulk, each sentra with a 'create' audit row by seed-demo (so a reset finds them).
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.demo.generator import DemoEnterprise, Geography
from naikkelas.enterprises.models import Enterprise
from naikkelas.sentra.models import (
    Sentra, SentraFacility, SentraMember, SentraOfficer, SentraStatus, SentraSupport,
)

SENTRA_TYPE = Sentra._meta.label_lower
# A minimal valid PDF standing in for each scanned SK.
SK_PDF = b"%PDF-1.4\n% naikkelas demo: SK penetapan sentra\ntrailer <<>>\n%%EOF\n"


@dataclass(frozen=True)
class SentraSpec:
    """A demo sentra: where (a desa or kecamatan code), what, and how far it got."""

    name: str
    komoditas: str
    kbli: str
    place: str
    status: str


D, T, U = SentraStatus.DITETAPKAN, SentraStatus.TERBENTUK, SentraStatus.USULAN
NAMED = (
    SentraSpec("Sentra Pengolahan Ikan Kuin", "ikan asin, ikan asap, pakasam", "10211",
               "63.71.04.1009", D),
    SentraSpec("Sentra Kain Sasirangan Pelambuan", "kain sasirangan", "13134", "63.71.03.1003", D),
    SentraSpec("Sentra Kain Sasirangan Sungai Jingah", "kain sasirangan", "13134",
               "63.71.04.1004", D),
    SentraSpec("Sentra Kain Sasirangan Seberang Mesjid", "kain sasirangan", "13134",
               "63.71.05.1007", T),
    SentraSpec("Sentra Tanggui Kuin Cerucuk", "tanggui", "16292", "63.71.03.1008", D),
    SentraSpec("Sentra Kue Tradisional Surgi Mufti", "wadai / kue banjar", "10792",
               "63.71.04.1006", T),
    SentraSpec("Sentra Kerajinan Kayu Alalak Tengah", "ukiran dan kerajinan kayu", "16293",
               "63.71.04.1001", U),
    SentraSpec("Sentra Ikan Asin Sungsang", "ikan asin", "10211", "16.07.02.2001", D),
    SentraSpec("Sentra Kemplang Sungsang", "kemplang", "10794", "16.07.02.2003", T),
    SentraSpec("Sentra Gula Merah Betung", "gula merah", "10722", "16.07.05", T),
    SentraSpec("Sentra Anyaman Purun", "anyaman purun", "16292", "16.07.01", U),
    SentraSpec("Sentra Songket Tiga-puluh-dua Ilir", "kain songket", "13121", "16.71.01.1002", D),
    SentraSpec("Sentra Pempek Dua-puluh-enam Ilir", "pempek", "10750", "16.71.11.1005", D),
    SentraSpec("Sentra Kemplang Satu Ulu", "kemplang", "10794", "16.71.02.1002", T),
)
# Lampung (seed 003): 54 designated, 19 only formed, 8 proposed, spread over the demo kab/kota
# by the products each is known for.
LAMPUNG_STATES = (D,) * 54 + (T,) * 19 + (U,) * 8
LAMPUNG_PRODUCTS = {
    "18.71": (("keripik pisang", "10794"), ("sulam tapis", "14302"), ("kopi bubuk", "10761")),
    "18.04": (("kopi robusta", "10761"),),
    "18.06": (("kopi robusta", "10761"), ("gula merah", "10722")),
    "18.01": (("keripik", "10794"), ("ikan asin", "10211")),
    "18.10": (("anyaman bambu", "16291"),),
    "18.72": (("konveksi", "14111"), ("roti dan kue", "10710")),
    "18.07": (("ikan asin", "10211"), ("gula merah", "10722")),
}
SUPPORT = (("dak", "Rumah produksi bersama", 850_000_000),
           ("dak", "Mesin dan peralatan produksi", 420_000_000),
           ("apbn", "Bimtek dan pendampingan desain", 150_000_000),
           ("apbd", "Gerai dan rumah kemasan", 275_000_000))


def lampung_specs(geography: Geography, rng: random.Random) -> list[SentraSpec]:
    """81 Lampung sentra, round-robin over the kab/kota and their products."""
    places = [(kabkota, kecamatan, product) for kabkota, products in LAMPUNG_PRODUCTS.items()
              for kecamatan in geography.kecamatan.get(kabkota, [])[:6] for product in products]
    if not places:
        return []
    rng.shuffle(places)
    specs = []
    for n, status in enumerate(LAMPUNG_STATES):
        kabkota, (kode, nama), (komoditas, kbli) = places[n % len(places)]
        suffix = f" {n // len(places) + 1}" if n >= len(places) else ""
        specs.append(SentraSpec(f"Sentra {komoditas.title()} {nama}{suffix}", komoditas, kbli,
                                kode, status))
    return specs


def seed_sentra(batch: list[DemoEnterprise], geography: Geography, *, seed: int,
                actor_label: str) -> list[Sentra]:
    """Write the demo sentra with members, officers, facilities, support and SK documents."""
    rng = random.Random(seed)
    known = set(_codes(geography))
    specs = [s for s in (*NAMED, *lampung_specs(geography, rng)) if s.place in known]
    pool = _members_by_kabkota([item.enterprise for item in batch])
    sentra = [_sentra(spec, n, geography, rng) for n, spec in enumerate(specs)]
    Sentra.objects.bulk_create(sentra)
    members, officers = [], []
    for item in sentra:
        chosen = _choose_members(item, pool, rng)
        members += [SentraMember(sentra=item, enterprise=e, joined_on=_joined(item, rng))
                    for e in chosen]
        officers += _officers(item, chosen)
    SentraMember.objects.bulk_create(members)
    SentraOfficer.objects.bulk_create(officers)
    SentraFacility.objects.bulk_create(_facilities(sentra))
    SentraSupport.objects.bulk_create(_support(sentra, rng))
    AuditLog.objects.bulk_create([_created_row(item, actor_label) for item in sentra])
    return sentra


def _codes(geography: Geography) -> list[str]:
    return [kode for rows in (*geography.kecamatan.values(), *geography.desa.values())
            for kode, _ in rows]


def _sentra(spec: SentraSpec, n: int, geography: Geography, rng: random.Random) -> Sentra:
    desa = spec.place if spec.place.count(".") == 3 else None
    kecamatan = spec.place[:8]
    sentra = Sentra(name=spec.name, komoditas=spec.komoditas, kbli_id=spec.kbli,
                    kecamatan_id=kecamatan, desa_id=desa, status=spec.status,
                    description=f"Sentra {spec.komoditas} di {geography.name_of(spec.place)}.")
    if spec.status != U:
        sentra.formed_on = datetime.date(rng.randint(2012, 2023), rng.randint(1, 12),
                                         rng.randint(1, 28))
    if spec.status == D:
        sentra.sk_date = min(sentra.formed_on + datetime.timedelta(days=rng.randint(60, 900)),
                             datetime.date(2024, 12, 20))
        sentra.sk_number = f"188.45/{100 + n}/KPTS/{kecamatan[:5]}/{sentra.sk_date.year}"
        sentra.sk_document.name = default_storage.save(
            f"sentra/sk/{kecamatan[:5]}/sk-sentra-demo-{n}.pdf", ContentFile(SK_PDF))
    return sentra


def _members_by_kabkota(enterprises: list[Enterprise]) -> dict[str, list[Enterprise]]:
    pool: dict[str, list[Enterprise]] = defaultdict(list)
    for enterprise in enterprises:
        pool[enterprise.kecamatan_id[:5]].append(enterprise)
    return pool


def _choose_members(sentra: Sentra, pool: dict[str, list[Enterprise]],
                    rng: random.Random) -> list[Enterprise]:
    """Enterprises of the sentra's kab/kota in its KBLI class, its own kecamatan first; some
    sentra end up with fewer than five, as in the field."""
    similar = [e for e in pool.get(sentra.kabkota_kode, [])
               if e.kbli_id and e.kbli_id[:4] == sentra.kbli_id[:4]]
    similar.sort(key=lambda e: (e.kecamatan_id != sentra.kecamatan_id, e.pk))
    return similar[:rng.randint(3, 14)]


def _joined(sentra: Sentra, rng: random.Random) -> datetime.date:
    start = sentra.formed_on or datetime.date(2024, 1, 1)
    return start + datetime.timedelta(days=rng.randint(0, 400))


def _officers(sentra: Sentra, members: list[Enterprise]) -> list[SentraOfficer]:
    """The ketua and bendahara are owners of member enterprises, as is usual."""
    roles = (("pengurus", "ketua"), ("pengurus", "bendahara"))
    return [SentraOfficer(sentra=sentra, kind=kind, name=e.owner_name, position=position,
                          phone=e.owner_phone) for (kind, position), e in zip(roles, members)]


def _facilities(sentra: list[Sentra]) -> list[SentraFacility]:
    return [SentraFacility(sentra=item, kind="upt", name=f"UPT {item.komoditas}",
                           year_built=item.sk_date.year)
            for n, item in enumerate(sentra) if item.status == D and n % 3 == 0]


def _support(sentra: list[Sentra], rng: random.Random) -> list[SentraSupport]:
    rows = []
    for item in sentra:
        if item.status == U:
            continue
        source, description, value = SUPPORT[rng.randrange(len(SUPPORT))]
        rows.append(SentraSupport(sentra=item, source=source, description=description,
                                  year=rng.randint(item.formed_on.year, 2024),
                                  value=value + 5_000_000 * rng.randint(0, 20)))
    return rows


def _created_row(sentra: Sentra, actor_label: str) -> AuditLog:
    return AuditLog(actor=None, actor_label=actor_label, action=AuditLog.Action.CREATE,
                    object_type=SENTRA_TYPE, object_id=str(sentra.pk), object_repr=str(sentra),
                    subject_type=SENTRA_TYPE, subject_id=str(sentra.pk),
                    kode_wilayah=sentra.kode_wilayah, after=audit.snapshot(sentra))


def delete_demo_sentra(actor_label: str) -> int:
    """Remove the sentra the demo wrote (found by their seed-demo 'create' rows) and their SK
    files; their audit rows go with the rest of seed-demo's."""
    ids = [int(pk) for pk in AuditLog.objects.filter(
        actor_label=actor_label, action=AuditLog.Action.CREATE, object_type=SENTRA_TYPE)
        .values_list("object_id", flat=True)]
    documents = Sentra.objects.filter(pk__in=ids).exclude(sk_document="")
    for name in documents.values_list("sk_document", flat=True):
        default_storage.delete(name)
    AuditLog.objects.filter(subject_type=SENTRA_TYPE, subject_id__in=[str(i) for i in ids]).delete()
    Sentra.objects.filter(pk__in=ids).delete()
    return len(ids)
