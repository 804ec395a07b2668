"""Owners of the demo enterprises and their identifiers: names, NIK, phone numbers, NIB, NPWP.

Everything is drawn from the generators handed in (a seeded Faker('id_ID') and a random.Random), so
the same seed gives the same people. Uniqueness of NIK and NIB is kept across the whole batch.
"""

import random
import re
from dataclasses import dataclass
from datetime import date

from faker import Faker

# How people address an owner, by region: "Pempek Cek Nah", "Wadai Acil Imah", "Tahu Pak Darto".
NICK_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "palembang": {"P": ("Cek", "Bik", "Yuk", "Wak"), "L": ("Mang", "Wak", "Kak", "Yai")},
    "melayu": {"P": ("Cek", "Bik", "Wak", "Yuk"), "L": ("Mang", "Wak", "Pak", "Kak")},
    "banjar": {"P": ("Acil", "Galuh", "Uma", "Julak"), "L": ("Amang", "Julak", "Utuh", "Abah")},
    "lampung": {"P": ("Bu", "Mbak", "Uni", "Mak"), "L": ("Pak", "Mas", "Bang", "Om")},
    "jawa": {"P": ("Bu", "Mbak", "Mbok"), "L": ("Pak", "Mas", "Lik")},
}
# Hereditary titles still carried by some families (Palembang, Banjar).
TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "palembang": {"L": ("Kgs.", "Mgs.", "R.M."), "P": ("Nyimas", "Nyayu")},
    "banjar": {"L": ("Gusti",), "P": ("Gusti", "Antung")},
}
PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0851", "0814",
                  "0815", "0816", "0855", "0856", "0857", "0858", "0817", "0818", "0819", "0859",
                  "0877", "0878", "0895", "0896", "0897", "0898", "0899", "0881", "0882", "0887")
LAST_SYLLABLE = re.compile(r"[^aeiou]?[aeiou]+[^aeiou]*$")


@dataclass(frozen=True)
class Owner:
    """The person behind an enterprise."""

    name: str
    display: str
    first_name: str
    gender: str
    nik: str
    phone: str


class PeopleFactory:
    """Draws owners and identifiers; remembers what it gave out so nothing repeats."""

    def __init__(self, faker: Faker, rng: random.Random, taken_nibs: set[str] | None = None):
        self.faker = faker
        self.rng = rng
        self._niks: set[str] = set()
        self._nibs: set[str] = set(taken_nibs or ())

    def owner(self, *, female: bool, kecamatan: str, style: str, year: int = 2024) -> Owner:
        """A named owner with a NIK registered in `kecamatan` and (usually) a mobile number."""
        gender = "P" if female else "L"
        birth = self._birth_date(year)
        first = self.faker.first_name_female() if female else self.faker.first_name_male()
        name = self._full_name(first, female, style)
        display = self._honorific(first, female, year - birth.year)
        phone = self.phone() if self.rng.random() < 0.9 else ""
        return Owner(name, display, first, gender, self.nik(kecamatan, birth, female), phone)

    def _birth_date(self, year: int) -> date:
        age = self.rng.randint(22, 68)
        return date(year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def _full_name(self, first: str, female: bool, style: str) -> str:
        if self.rng.random() < 0.6:
            last = self.faker.last_name_female() if female else self.faker.last_name_male()
            first = f"{first} {last}" if last != first else first
        titles = TITLES.get(style, {}).get("P" if female else "L")
        if titles and self.rng.random() < 0.06:
            first = f"{self.rng.choice(titles)} {first}"
        return first

    def _honorific(self, first: str, female: bool, age: int) -> str:
        """'Hj. Aminah' for an older owner who made the hajj, else the first name."""
        if age >= 45 and self.rng.random() < 0.3:
            return f"{'Hj.' if female else 'H.'} {first}"
        return first

    def nick(self, owner: Owner, style: str) -> str:
        """What customers call the owner: 'Cek Nah' (Aminah) in Palembang, 'Acil Imah' in Kalsel."""
        term = self.rng.choice(NICK_TERMS.get(style, NICK_TERMS["jawa"])[owner.gender])
        short = LAST_SYLLABLE.search(owner.first_name.lower())
        if short and len(short.group()) >= 3 and self.rng.random() < 0.5:
            return f"{term} {short.group().capitalize()}"
        return f"{term} {owner.first_name}"

    def nik(self, kecamatan: str, birth: date, female: bool) -> str:
        """Kecamatan digits + DDMMYY (day + 40 for women) + a serial that is not 0000."""
        day = birth.day + (40 if female else 0)
        stem = f"{kecamatan.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        while True:
            nik = f"{stem}{self.rng.randint(1, 4000):04d}"
            if nik not in self._niks:
                self._niks.add(nik)
                return nik

    def nib(self) -> str:
        """A 13-digit NIB not given out before."""
        while True:
            nib = f"{self.rng.choice('01289')}{self.rng.randrange(10**12):012d}"
            if nib not in self._nibs:
                self._nibs.add(nib)
                return nib

    def phone(self) -> str:
        digits = self.rng.choice((7, 8, 8))
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10**digits):0{digits}d}"

    def company_npwp(self) -> str:
        """An old-style 15-digit NPWP of a CV, PT or koperasi."""
        return f"{self.rng.choice('0789')}{self.rng.randrange(10**14):014d}"
