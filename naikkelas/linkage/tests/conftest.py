import itertools

import pytest

from naikkelas.core.testing import make_enterprise
from naikkelas.linkage.models import DuplicateCandidate

_nib = itertools.count(42)


def make_pair(kecamatan: str = "16.07.01", **extra) -> DuplicateCandidate:
    """Two records of one pempek business, queued as a candidate."""
    a = make_enterprise(kecamatan, name="Pempek Cek Mala", owner_name="Hj. Mala Sari",
                        owner_nik="1607014508900042", owner_phone="081234567890",
                        address="Jl. Merdeka No. 5", products="pempek")
    b = make_enterprise(kecamatan, name="UD Pempek Cek Mala", owner_name="Ibu Mala Sari",
                        owner_phone="081234567890", address="Jalan Merdeka no 5",
                        nib=f"1607{next(_nib):09d}", products="pempek palembang")
    a, b = sorted([a, b], key=lambda e: e.pk)
    return DuplicateCandidate.objects.create(
        enterprise_a=a, enterprise_b=b, score=0.97,
        agreed=["name", "owner_name", "owner_phone", "address"], **extra)


@pytest.fixture
def pair(db) -> DuplicateCandidate:
    return make_pair()
