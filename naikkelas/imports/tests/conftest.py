import pytest

from naikkelas.wilayah.models import Level, Wilayah

DESA = {"16.07.01.2001": "Sungai Rebo", "16.07.01.2002": "Sungai Gerong"}


@pytest.fixture
def desa(db) -> None:
    """Two desa of Banyuasin I (the migrations load kecamatan, and desa only for a sample)."""
    for kode, nama in DESA.items():
        Wilayah.objects.get_or_create(kode=kode, defaults={
            "nama": nama, "level": Level.DESA, "parent_id": kode.rsplit(".", 1)[0]})
