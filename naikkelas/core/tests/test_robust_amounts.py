"""Amounts no office means to write: too many digits for any rupiah column are refused with a
message, not with Python's "Exceeds the limit (4300 digits)" error."""

import pytest
from django.core.exceptions import ValidationError

from naikkelas.core.validators import parse_rupiah


def too_long(count: int) -> str:
    return (f"Nilai ini terdiri atas {count} digit, terlalu banyak untuk nilai rupiah (paling "
            "banyak 19 digit); periksa nilainya.")


@pytest.mark.parametrize("value, count", [
    ("1" * 5000, 5000),
    ("Rp " + "1" * 20 + ",-", 20),
    ("-" + "9" * 4400, 4400),
    ("1" * 5000 + ".5", 5000),
    ("1.000.000.000.000.000.000.000", 22),
    (1.5e300, 301),
])
def test_an_amount_with_too_many_digits_is_refused(value, count):
    with pytest.raises(ValidationError) as refused:
        parse_rupiah(value)
    assert (refused.value.code, refused.value.messages) == ("rupiah_length", [too_long(count)])


def test_leading_zeros_are_not_digits_of_the_amount():
    assert parse_rupiah("0" * 30) == 0 and parse_rupiah("0" * 25 + "1500") == 1_500


def test_a_long_run_of_zero_sen_is_still_whole_rupiah():
    assert parse_rupiah("1.500.000," + "0" * 5000) == 1_500_000
    assert parse_rupiah("9" * 19) == 9_999_999_999_999_999_999
