"""The Indonesian normalisers, value by value."""

import pytest

from naikkelas.linkage.engine.normalize import (
    normalize_address, normalize_name, normalize_owner, normalize_phone,
)


@pytest.mark.parametrize("written, expected", [
    ("UD. Keripik Barokah", "keripik barokah"),
    ("Keripik Barokah, UD", "keripik barokah"),
    ("TOKO  KERIPIK BAROKAH", "keripik barokah"),
    ("CV Songket Jaya", "songket jaya"),
    ("PT. Mebel Jati Abadi Tbk", "mebel jati abadi"),
    ("KUB Anyaman Purun", "anyaman purun"),
    ("Usaha Pempek Cek Mala", "pempek cek mala"),
    ("Pempek-Cek.Mala", "pempek cek mala"),
    ("Tokoh Pempek", "tokoh pempek"),  # a word that merely starts like a legal form stays
    ("", ""),
    (None, ""),
])
def test_business_names(written, expected):
    assert normalize_name(written) == expected


@pytest.mark.parametrize("written, expected", [
    ("Hj. Siti Aminah, S.Pd.", "siti aminah"),
    ("Ibu Siti Aminah", "siti aminah"),
    ("H. AHMAD DAHLAN, S.E.", "ahmad dahlan"),
    ("Bpk. Joko Susilo S. E.", "joko susilo"),
    ("Dr. Ir. Budi Santoso, M.M", "budi santoso"),
    ("Bapak Rudi Hartono, A.Md", "rudi hartono"),
    ("Drs. H. Syamsul Bahri, M.Pd", "syamsul bahri"),
    ("Hendra", "hendra"),
])
def test_owner_names_lose_honorifics_and_titles(written, expected):
    assert normalize_owner(written) == expected


@pytest.mark.parametrize("written", [
    "Jalan Merdeka No. 12 RT.003/RW.002",
    "Jl Merdeka no 12 rt 3 rw 2",
    "Jl. Merdeka No.12 RT/RW 003/002",
    "JLN. MERDEKA NOMOR 12 RT 03 RW 02",
])
def test_addresses_have_one_form(written):
    assert normalize_address(written) == "jl merdeka no 12 rt 3 rw 2"


@pytest.mark.parametrize("written, expected", [
    ("Gang Melati", "gg melati"),
    ("Gg. Melati", "gg melati"),
    ("Lorong Sukajadi", "lr sukajadi"),
    ("Kompleks Griya, Blok B", "komp griya blok b"),
])
def test_address_words(written, expected):
    assert normalize_address(written) == expected


@pytest.mark.parametrize("written, expected", [
    ("+62 812-3456-7890", "081234567890"),
    ("6281234567890", "081234567890"),
    ("0812.3456.7890", "081234567890"),
    ("812 3456 7890", "081234567890"),
    (81234567890.0, "081234567890"),  # a number cell of a spreadsheet
    ("(0711) 354-123", "0711354123"),
    ("123", ""),
    ("", ""),
])
def test_phone_numbers(written, expected):
    assert normalize_phone(written) == expected
