"""Places: kecamatan and desa by name or code within the import's wilayah."""

import pytest

from naikkelas.imports.places import Places, PlaceError, place_key
from naikkelas.wilayah.models import Level, Wilayah


def test_place_key_reads_digits_as_the_roman_numerals_of_numbered_places():
    assert place_key("Kec. Banyuasin 3") == place_key("BANYUASIN III") == "banyuasin iii"
    assert place_key("13 Ilir") == "13 ilir"  # a leading number is a name, not a numeral
    assert place_key("Ilir Timur Tiga") == place_key("ilir timur 3") == "ilir timur iii"


@pytest.mark.django_db
def test_a_kecamatan_is_found_by_either_of_its_names():
    places = Places("16.71")  # Palembang: "Ilir Barat Dua (Ilir Barat II)", "Bukitkecil (…)"
    assert places.find_kecamatan("Ilir Barat II") == "16.71.01"
    assert places.find_kecamatan("Kec. Ilir Barat 2") == "16.71.01"
    assert places.find_kecamatan("ILIR BARAT DUA") == "16.71.01"
    assert places.find_kecamatan("Kec. ILIR BARAT DUA (ILIR BARAT II)") == "16.71.01"  # whole
    assert places.find_kecamatan("Bukit Kecil") == places.find_kecamatan("Bukitkecil")


@pytest.mark.django_db
def test_two_equally_near_desa_are_not_guessed(desa):
    for kode, nama in {"16.07.01.2003": "Tanjung Laga", "16.07.01.2004": "Tanjung Lagu"}.items():
        Wilayah.objects.create(kode=kode, nama=nama, level=Level.DESA, parent_id="16.07.01")
    places = Places("16.07")
    assert places.find_desa("Tanjung Lagu", "16.07.01") == "16.07.01.2004"
    with pytest.raises(PlaceError, match="Ada lebih dari satu desa/kelurahan bernama "
                                         "'Tanjung Lag' di kecamatan Banyuasin I"):
        places.find_desa("Tanjung Lag", "16.07.01")


@pytest.mark.django_db
def test_a_kecamatan_elsewhere_is_named_as_outside_however_it_is_written():
    places = Places("16.07")
    with pytest.raises(PlaceError, match=r"berada di luar Kabupaten Banyuasin"):
        places.find_kecamatan("Kec. Seberang Ulu 1")  # "Seberang Ulu Satu (Seberang Ulu I)"
