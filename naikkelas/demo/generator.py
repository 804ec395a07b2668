"""Deterministic demo enterprises: unsaved Enterprise, AnnualReport and SizeClassification objects.

`DemoGenerator(geography, seed=...).generate(count)` draws everything from one seeded
random.Random and one seeded Faker('id_ID'), so a seed always yields the same registry. It touches
no database: `Geography` carries the kecamatan it may use (see `seeding.load_geography`).
"""

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from faker import Faker

from naikkelas.demo.figures import advance, report_figures, size_tier, start
from naikkelas.demo.people import Owner, PeopleFactory
from naikkelas.demo.profiles import PROFILES, ProductProfile
from naikkelas.demo.regions import GENERIC_STREETS, REGIONS, Region
from naikkelas.enterprises.models import (
    AnnualReport, Enterprise, LegalForm, SizeClassification, Status,
)
from naikkelas.enterprises.services import classifications_for

YEARS = (2022, 2023, 2024)
SOURCE = "Pendataan Dinas {year}"
ADJECTIVES = ("Jaya", "Makmur", "Indah", "Berkah", "Sejahtera", "Mandiri", "Lestari", "Sentosa",
              "Abadi", "Sari", "Mulia", "Rezeki", "Putri", "Bersaudara", "Mekar", "Utama", "Baru",
              "Sejati", "Permai", "Cemerlang", "Amanah")
# Legal forms by size tier (mikro, kecil, sedang, besar): mostly perorangan, companies when larger.
LEGAL_FORMS = (LegalForm.PERORANGAN, LegalForm.UD, LegalForm.CV, LegalForm.PT, LegalForm.KOPERASI,
               LegalForm.KUB)
LEGAL_WEIGHTS = ((80, 11, 2, 0, 1, 6), (52, 24, 16, 2, 2, 4), (10, 20, 45, 20, 5, 0),
                 (0, 0, 30, 70, 0, 0))
NIB_SHARE = {LegalForm.PERORANGAN: (0.4, 0.7, 0.9, 1.0), LegalForm.UD: (0.85,) * 4,
             LegalForm.KUB: (0.6,) * 4}
NAME_PREFIX = {LegalForm.UD: "UD ", LegalForm.CV: "CV ", LegalForm.PT: "PT ",
               LegalForm.KOPERASI: "Koperasi ", LegalForm.KUB: "KUB "}
ROMAN_SUFFIX = re.compile(r"\s+(I|II|III|IV|V)$")


@dataclass
class Geography:
    """Kecamatan per kab/kota and the demo desa per kecamatan, as (kode, nama) pairs."""

    kecamatan: dict[str, list[tuple[str, str]]]
    desa: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rows = (*self.kecamatan.values(), *self.desa.values())
        self._names = {kode: nama for group in rows for kode, nama in group}

    def name_of(self, kode: str) -> str:
        return self._names.get(kode, "")


@dataclass
class DemoEnterprise:
    """One generated enterprise with its yearly reports and their size classes, all unsaved."""

    enterprise: Enterprise
    reports: list[AnnualReport]
    classifications: list[SizeClassification]
    region: Region


def allocate(count: int, regions: tuple[Region, ...]) -> list[tuple[Region, int]]:
    """Split `count` over the regions by weight (largest remainder), keeping their order."""
    total = sum(r.weight for r in regions)
    exact = [count * r.weight / total for r in regions]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(regions)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: count - sum(counts)]:
        counts[i] += 1
    return list(zip(regions, counts, strict=True))


def place_name(nama: str) -> str:
    """'Ilir Barat Dua (Ilir Barat II)' -> 'Ilir Barat II'; 'Sungsang III' -> 'Sungsang'."""
    inner = re.search(r"\(([^)]+)\)", nama)
    return ROMAN_SUFFIX.sub("", inner.group(1) if inner else nama)


class DemoGenerator:
    """Draws a reproducible set of demo enterprises for the regions in `geography`."""

    def __init__(self, geography: Geography, *, seed: int, taken_nibs: set[str] | None = None):
        self.geo = geography
        self.rng = random.Random(seed)
        faker = Faker("id_ID")
        faker.seed_instance(seed)
        self.people = PeopleFactory(faker, self.rng, taken_nibs)
        self._names: set[str] = set()

    def regions(self) -> tuple[Region, ...]:
        """The demo regions whose kecamatan are in the database."""
        return tuple(r for r in REGIONS if self.geo.kecamatan.get(r.kode))

    def generate(self, count: int) -> list[DemoEnterprise]:
        return [self.enterprise(region)
                for region, n in allocate(count, self.regions()) for _ in range(n)]

    def enterprise(self, region: Region) -> DemoEnterprise:
        """One enterprise of `region` with a product typical there, and its reports."""
        rng = self.rng
        profile = PROFILES[rng.choices(list(region.profiles), list(region.profiles.values()))[0]]
        kecamatan, desa = self.location(region, profile)
        founded = self.founded_year()
        tier = size_tier(rng, profile.size_bias - (0.15 if founded >= 2020 else 0.0))
        owner = self.people.owner(female=rng.random() < profile.female_owner,
                                  kecamatan=self.owner_kecamatan(region, kecamatan),
                                  style=region.style)
        legal_form = rng.choices(LEGAL_FORMS, LEGAL_WEIGHTS[tier])[0]
        status, years = self.lifecycle(founded)
        enterprise = Enterprise(
            name=self.business_name(profile, region, owner, legal_form, desa or kecamatan),
            legal_form=legal_form, nib=self.nib(legal_form, tier),
            npwp=self.npwp(legal_form, owner), owner_name=owner.name, owner_nik=owner.nik,
            owner_gender=owner.gender, owner_phone=owner.phone,
            address=self.address(region), kecamatan_id=kecamatan, desa_id=desa,
            kbli_id=profile.kbli, products=rng.choice(profile.products),
            founded_year=founded, status=status, **self.coordinates(region),
        )
        reports = self.reports(enterprise, profile, tier, years)
        return DemoEnterprise(enterprise, reports, classifications_for(reports), region)

    def location(self, region: Region, profile: ProductProfile) -> tuple[str, str | None]:
        """(kecamatan, desa or None): the product's sentra when it has one, else anywhere."""
        share, codes = region.hints.get(profile.key, (0.0, ()))
        known = {kode for kode, _ in self.geo.kecamatan[region.kode]}
        code = self.rng.choice(codes) if codes and self.rng.random() < share else ""
        if code.count(".") == 3 and code.rsplit(".", 1)[0] in known:
            return code.rsplit(".", 1)[0], code
        if code in known:
            return code, self.some_desa(code)
        kecamatan = self.rng.choice(self.geo.kecamatan[region.kode])[0]
        return kecamatan, self.some_desa(kecamatan)

    def some_desa(self, kecamatan: str) -> str | None:
        """A demo desa of the kecamatan for some enterprises, where the demo has any."""
        rows = self.geo.desa.get(kecamatan)
        return self.rng.choice(rows)[0] if rows and self.rng.random() < 0.4 else None

    def owner_kecamatan(self, region: Region, kecamatan: str) -> str:
        """Most owners were registered where they work; some moved in from elsewhere nearby."""
        if self.rng.random() < 0.85:
            return kecamatan
        return self.rng.choice(self.geo.kecamatan[region.kode])[0]

    def founded_year(self) -> int:
        """1985-2024, more recent years more likely (the registry grows)."""
        years = range(1985, 2025)
        return self.rng.choices(years, [1.05 ** (y - 1985) for y in years])[0]

    def lifecycle(self, founded: int) -> tuple[str, list[int]]:
        """Status and years with figures: a few closed or inactive, a few with a missed survey."""
        first = max(founded, YEARS[0])
        roll = self.rng.random()
        if first <= 2023 and roll < 0.025:
            return Status.CLOSED, list(range(first, self.rng.randint(first, 2023) + 1))
        if first <= 2023 and roll < 0.06:
            return Status.INACTIVE, list(range(first, 2024))
        years = list(range(first, YEARS[-1] + 1))
        if len(years) == 3 and roll > 0.98:
            years.remove(2023)
        return Status.ACTIVE, years

    def business_name(self, profile: ProductProfile, region: Region, owner: Owner,
                      legal_form: str, wilayah: str) -> str:
        """'Pempek Cek Nah', 'UD Kerupuk Ikan Hj. Aminah', 'Sasirangan Galuh'; unique in a batch."""
        place = place_name(self.geo.name_of(wilayah))
        prefix = NAME_PREFIX.get(legal_form, "")
        for _ in range(6):
            name = prefix + self.rng.choice(profile.names).format(
                nick=self.people.nick(owner, region.style), owner=owner.display,
                brand=self.brand(region, owner), symbol=self.rng.choice(region.symbols),
                place=place)
            if name not in self._names:
                break
        else:
            name = next(f"{name} {n}" for n in range(2, 10_000) if f"{name} {n}" not in self._names)
        self._names.add(name)
        return name

    def brand(self, region: Region, owner: Owner) -> str:
        """A trade name: 'Ampera Jaya', 'Galuh', 'Berkah Sejahtera', 'Aminah Indah'."""
        rng = self.rng
        symbol, adjective = rng.choice(region.symbols), rng.choice(ADJECTIVES)
        second = rng.choice([a for a in ADJECTIVES if a != adjective])
        return rng.choices(
            (symbol, f"{symbol} {adjective}", f"{adjective} {second}",
             f"{owner.first_name} {adjective}"),
            (25, 40, 20, 15))[0]

    def nib(self, legal_form: str, tier: int) -> str | None:
        """Companies and cooperatives always have an NIB; small informal businesses often none."""
        share = NIB_SHARE.get(legal_form, (1.0,) * 4)[tier]
        return self.people.nib() if self.rng.random() < share else None

    def npwp(self, legal_form: str, owner: Owner) -> str:
        """Companies have their own NPWP; some sole owners use their NIK (the NPWP since 2024)."""
        if legal_form in (LegalForm.CV, LegalForm.PT, LegalForm.KOPERASI):
            return self.people.company_npwp()
        if legal_form in (LegalForm.PERORANGAN, LegalForm.UD) and self.rng.random() < 0.2:
            return owner.nik
        return ""

    def address(self, region: Region) -> str:
        streets = region.streets if self.rng.random() < 0.8 else GENERIC_STREETS
        return (f"{self.rng.choice(streets)} No. {self.rng.randint(1, 250)}, "
                f"RT {self.rng.randint(1, 30):03d}/RW {self.rng.randint(1, 12):03d}")

    def coordinates(self, region: Region) -> dict[str, Decimal | None]:
        """Around the kab/kota centre for about half of the enterprises (the rest not surveyed)."""
        if self.rng.random() < 0.5:
            return {"latitude": None, "longitude": None}
        (lat, lon), (dlat, dlon) = region.center, region.spread
        lat += max(-dlat, min(dlat, self.rng.gauss(0, dlat / 2.5)))
        lon += max(-dlon, min(dlon, self.rng.gauss(0, dlon / 2.5)))
        return {"latitude": Decimal(f"{lat:.6f}"), "longitude": Decimal(f"{lon:.6f}")}

    def reports(self, enterprise: Enterprise, profile: ProductProfile, tier: int,
                years: list[int]) -> list[AnnualReport]:
        """One report per year in `years`; the enterprise keeps evolving through a skipped year."""
        economy = start(profile, tier, self.rng)
        reports = []
        for year in range(years[0], years[-1] + 1):
            if year > years[0]:
                economy = advance(economy, self.rng)
            if year in years:
                reports.append(AnnualReport(enterprise=enterprise, year=year,
                                            source=SOURCE.format(year=year),
                                            **report_figures(economy, self.rng)))
        return reports
