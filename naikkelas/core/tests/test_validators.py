"""The shared validators and normalisers, table-driven; the scoping rule (prefix on whole parts)."""

import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from naikkelas.core.models import AuditLog
from naikkelas.core.scope import kode_within, wilayah_q
from naikkelas.core.validators import (
    mask_nik, mask_phone, normalize_phone, only_digits, parse_rupiah, validate_kode_wilayah,
    validate_nib, validate_nik, validate_phone,
)


def error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


# --- parse_rupiah ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, amount", [
    ("1.500.000", 1_500_000),
    ("Rp 1.500.000,-", 1_500_000),
    ("Rp1.500.000,-", 1_500_000),
    ("rp 1.500.000", 1_500_000),
    ("Rp. 2.000.000,00", 2_000_000),
    ("Rp 2.000.000, -", 2_000_000),
    ("1.500.000,-", 1_500_000),
    ("1500000", 1_500_000),
    ("1 500 000", 1_500_000),
    (" 1.500.000 ", 1_500_000),
    ("1.500", 1_500),                 # a dot separates thousands, it is not a decimal point
    ("1500000.00", 1_500_000),        # a spreadsheet number with a decimal point
    ("0", 0),
    (1500000, 1_500_000),
    (1500000.0, 1_500_000),
    (Decimal("1500000.00"), 1_500_000),
    (0, 0),
    ("", None),
    ("  ", None),
    (None, None),
])
def test_parse_rupiah_reads_amounts_as_officials_write_them(value, amount):
    assert parse_rupiah(value) == amount


@pytest.mark.parametrize("value, code", [
    ("-5", "negative"),
    ("-1.500.000", "negative"),
    (-5, "negative"),
    ("1,5", "rupiah_sen"),
    ("1.500.000,50", "rupiah_sen"),
    ("1500000.5", "rupiah_sen"),
    (1500000.5, "rupiah_sen"),
    ("abc", "rupiah"),
    ("1.5000", "rupiah_sen"),         # not thousands (groups of three): read as the decimal 1.5
    ("12.34.567", "rupiah"),
    ("1,500,000", "rupiah"),          # the English way is not taken for 1.5 million ...
    ("Rp", "rupiah"),
    ("2 juta", "rupiah"),
    (True, "rupiah"),
])
def test_parse_rupiah_refuses(value, code):
    assert error_code(parse_rupiah, value) == code


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_parse_rupiah_refuses_non_finite_numbers(value):
    assert error_code(parse_rupiah, value) == "rupiah"


# --- identifiers -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["1234567890123", "0000000000001"])
def test_validate_nib_accepts_13_digits(value):
    validate_nib(value)


@pytest.mark.parametrize("value, code", [
    ("123456789012", "nib_length"),
    ("12345678901234", "nib_length"),
    ("12345", "nib_length"),
    ("12345678901a3", "nib_digits"),
    ("1234 5678 90123", "nib_digits"),   # forms strip spaces first (DigitsField)
    ("", "nib_digits"),
    (None, "nib_digits"),
])
def test_validate_nib_refuses(value, code):
    assert error_code(validate_nib, value) == code


def test_only_digits_strips_what_people_type_inside_identifiers():
    assert only_digits(" 1607.0145-0890/0042 ") == "1607014508900042"
    assert only_digits(None) == ""


VALID_NIK = [
    "1607011203900042",   # man born 12 Mar 1990, Banyuasin I
    "1607015203900042",   # woman born 12 Mar 1990 (day + 40)
    "1607017112990001",   # woman born 31 Dec 1999
    "1671012902000001",   # 29 Feb 2000, Palembang
    "6371010101059999",   # 1 Jan 2005, Banjarmasin
]


@pytest.mark.django_db
@pytest.mark.parametrize("value", VALID_NIK)
def test_validate_nik_accepts(value):
    validate_nik(value)


@pytest.mark.django_db
@pytest.mark.parametrize("value, code", [
    ("160701120390004", "nik_length"),
    ("16070112039000421", "nik_length"),
    ("16070112039000a2", "nik_digits"),
    ("", "nik_digits"),
    ("1607011213900042", "nik_birthdate"),   # month 13
    ("1607011200900042", "nik_birthdate"),   # month 00
    ("1607010003900042", "nik_birthdate"),   # day 00
    ("1607013203900042", "nik_birthdate"),   # day 32
    ("1607014003900042", "nik_birthdate"),   # day 40: neither a man's nor a woman's day
    ("1607017203900042", "nik_birthdate"),   # day 72 = woman's 32
    ("1607013002900042", "nik_birthdate"),   # 30 February
    ("1607012902010042", "nik_birthdate"),   # 29 February 2001 / 1901
    ("1607011203900000", "nik_serial"),
    ("9999991203900042", "nik_region"),      # no such kecamatan
    ("1607991203900042", "nik_region"),      # Banyuasin has no kecamatan 99
])
def test_validate_nik_refuses(value, code):
    assert error_code(validate_nik, value) == code


@pytest.mark.parametrize("value, normal", [
    ("+62 812-3456-7890", "081234567890"),
    ("+6281234567890", "081234567890"),
    ("6281234567890", "081234567890"),
    ("62 812 3456 7890", "081234567890"),
    ("0812 3456 7890", "081234567890"),
    ("0812-3456-7890", "081234567890"),
    ("(0711) 352-123", "0711352123"),
    ("", ""),
    (None, ""),
])
def test_normalize_phone(value, normal):
    assert normalize_phone(value) == normal


@pytest.mark.parametrize("value", ["081234567890", "0711352123", "08123456789012"])
def test_validate_phone_accepts(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["0812345", "812345678901", "+6281234567890", "0812345678901234",
                                   "0812-3456-7890", ""])
def test_validate_phone_refuses(value):
    assert error_code(validate_phone, value) == "phone"


@pytest.mark.parametrize("value", ["16", "16.07", "16.07.01", "16.07.01.2001", "63.71.01.1001"])
def test_validate_kode_wilayah_accepts(value):
    validate_kode_wilayah(value)


@pytest.mark.parametrize("value", ["", "1", "160", "16.7", "16.07.", "16.071", "16.07.1",
                                   "16.07.01.201", "16.07.01.2001.1", "16-07", "ab"])
def test_validate_kode_wilayah_refuses(value):
    assert error_code(validate_kode_wilayah, value) == "kode_wilayah"


# --- masks -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, masked", [
    ("1607014508900042", "160701••••••0042"),
    ("6371010101059999", "637101••••••9999"),
    ("", ""),
    (None, ""),
])
def test_mask_nik_keeps_region_and_serial(value, masked):
    assert mask_nik(value) == masked


@pytest.mark.parametrize("value, masked", [
    ("081234567890", "0812••••7890"),
    ("0711352123", "0711••2123"),
    ("12345678", "••••••••"),
    ("", ""),
    (None, ""),
])
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_masks_hide_the_birth_date():
    assert "4508" not in mask_nik("1607014508900042")
    assert "3456" not in mask_phone("081234567890")


# --- the scoping rule --------------------------------------------------------------------------

@pytest.mark.parametrize("kode, scope, inside", [
    ("16.07.01", "16.07", True),
    ("16.07.01.2001", "16.07", True),
    ("16.07", "16.07", True),
    ("16.07.01", "16", True),
    ("63.71.01", "", True),
    ("", "", True),
    ("16.071", "16.07", False),     # the prefix trap: a plain startswith would say yes
    ("16.0701", "16.07", False),
    ("16.70", "16.07", False),
    ("16.71.01", "16.07", False),
    ("16", "16.07", False),
    ("160", "16", False),
    ("63.71.01", "16", False),
    ("", "16", False),
])
def test_kode_within(kode, scope, inside):
    assert kode_within(kode, scope) is inside


CODES = ["16", "16.07", "16.07.01", "16.07.01.2001", "16.071", "16.0701", "16.70", "16.71.01",
         "160", "63.71.01"]


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["", "16", "16.07", "16.07.01", "63"])
def test_wilayah_q_selects_what_kode_within_says(scope):
    for kode in CODES:
        AuditLog.objects.create(actor_label="uji", action="create", object_type="uji",
                                object_id=kode, object_repr=kode, subject_type="uji",
                                subject_id=kode, kode_wilayah=kode)
    selected = set(AuditLog.objects.filter(wilayah_q(scope, "kode_wilayah"))
                   .values_list("kode_wilayah", flat=True))
    assert selected == {kode for kode in CODES if kode_within(kode, scope)}


@pytest.mark.django_db
def test_wilayah_q_prefix_trap_explicitly():
    for kode in ["16.07", "16.07.01", "16.071", "16.70"]:
        AuditLog.objects.create(actor_label="uji", action="create", object_type="uji",
                                object_id=kode, object_repr=kode, subject_type="uji",
                                subject_id=kode, kode_wilayah=kode)
    selected = set(AuditLog.objects.filter(wilayah_q("16.07", "kode_wilayah"))
                   .values_list("kode_wilayah", flat=True))
    assert selected == {"16.07", "16.07.01"}
