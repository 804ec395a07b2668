"""Reusable validators and normalisers for Indonesian identifiers and amounts.

Messages are translatable and say in plain words what is wrong with the value as written.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DIGITS = re.compile(r"\d+")
# Compiled once: an import runs these on every row.
TYPED_SEPARATORS = re.compile(r"[\s.\-/]")
NOT_PHONE = re.compile(r"[^\d+]")
PHONE = re.compile(r"0\d{8,13}")
# The years of the registry's figures and papers: a date outside is a typing error.
MIN_YEAR, MAX_YEAR = 1900, 2100
# The largest BIGINT, 9.223.372.036.854.775.807, has 19 digits: no amount column holds more.
RUPIAH_MAX_DIGITS = 19
# A PositiveIntegerField's limit on PostgreSQL (SQLite would store more, then PostgreSQL refuse).
POSITIVE_INT_MAX = 2_147_483_647


def only_digits(value: str) -> str:
    """Drop spaces, dots and dashes that people type inside identifiers."""
    return TYPED_SEPARATORS.sub("", str(value or ""))


def validate_nib(value: str) -> None:
    """NIB (OSS): exactly 13 digits."""
    if not DIGITS.fullmatch(value or ""):
        raise ValidationError(_("NIB may contain digits only."), code="nib_digits")
    if len(value) != 13:
        raise ValidationError(
            _("NIB must be 13 digits, %(count)d digits were written.") % {"count": len(value)},
            code="nib_length",
        )


def validate_npwp(value: str) -> None:
    """NPWP: 15 digits (old form) or 16 digits (NIK-based form since 2024)."""
    if not DIGITS.fullmatch(value or "") or len(value) not in (15, 16):
        raise ValidationError(_("NPWP must be 15 or 16 digits."), code="npwp")


def nik_region_prefix(nik: str) -> str:
    """The kode kecamatan (16.07.01) encoded in the first six digits of a NIK."""
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def _is_birth_date(ddmmyy: str) -> bool:
    """DDMMYY with day + 40 for women, a real calendar date in 19yy or 20yy."""
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    day = day - 40 if day > 40 else day
    for century in (1900, 2000):
        try:
            datetime.date(century + yy, month, day)
            return True
        except ValueError:
            continue
    return False


def _known_kecamatan(kode: str, codes: set[str] | None) -> bool:
    if codes is not None:
        return kode in codes
    return apps.get_model("wilayah", "Wilayah").objects.filter(kode=kode).exists()


def validate_nik(value: str, *, kecamatan_codes: set[str] | None = None) -> None:
    """NIK: 16 digits = kecamatan code (6) + DDMMYY birth date (day + 40 for women) + serial (4).

    Bulk callers pass the set of known kecamatan codes so that checking a million NIKs costs no
    query per NIK; without it the code is looked up in the database.
    """
    if not DIGITS.fullmatch(value or ""):
        raise ValidationError(_("NIK may contain digits only."), code="nik_digits")
    if len(value) != 16:
        raise ValidationError(
            _("NIK must be 16 digits, %(count)d digits were written.") % {"count": len(value)},
            code="nik_length",
        )
    if not _is_birth_date(value[6:12]):
        raise ValidationError(
            _("NIK digits 7-12 must be a birth date (DDMMYY, day + 40 for women)."),
            code="nik_birthdate",
        )
    if value[12:16] == "0000":
        raise ValidationError(_("The last four digits of a NIK cannot be 0000."), code="nik_serial")
    if not _known_kecamatan(nik_region_prefix(value), kecamatan_codes):
        raise ValidationError(
            _("The first six digits of the NIK (%(prefix)s) are not a known kecamatan code.")
            % {"prefix": value[:6]},
            code="nik_region",
        )


def normalize_phone(value: str) -> str:
    """Bring +62 8.., 62 8.. and 08.. to one form: 08.. (what officers dial and search for)."""
    digits = NOT_PHONE.sub("", str(value or ""))
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def validate_phone(value: str) -> None:
    """Indonesian phone number after normalize_phone: 0 followed by 8 to 13 digits."""
    if not PHONE.fullmatch(value or ""):
        raise ValidationError(
            _("Phone number must start with 0, +62 or 62 and have 9 to 14 digits."),
            code="phone",
        )


def parse_rupiah(value) -> int | None:
    """Parse amounts as officials write them: 1.500.000 / Rp 1.500.000,- / Rp. 2.000.000,00 / 1500000.

    Dots are thousand separators and a comma starts the (ignored, must be zero) sen part, the
    Indonesian convention; a bare number with a single decimal point (from a spreadsheet) is read
    as a number. Returns None for an empty value; raises ValidationError for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Amount must be a number of rupiah."), code="rupiah")
    if isinstance(value, int):
        result = value
    elif isinstance(value, (float, Decimal)):
        result = _whole_rupiah(Decimal(str(value)))
    else:
        result = _parse_rupiah_text(str(value))
        if result is None:
            return None
    if result < 0:
        raise ValidationError(_("Amount cannot be negative."), code="negative")
    return result


def _parse_rupiah_text(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    text = re.sub(r"^(rp\.?)\s*", "", text, flags=re.IGNORECASE).strip()
    text = re.sub(r",-+$|,\s*-+$", "", text).replace(" ", "")
    negative = text.startswith("-")
    text = text.lstrip("-")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?", text):
        whole, _sep, sen = text.partition(",")
        if sen.strip("0"):
            raise ValidationError(_("Amount must be whole rupiah, without sen."), code="rupiah_sen")
        digits = whole.replace(".", "").lstrip("0") or "0"
        if len(digits) > RUPIAH_MAX_DIGITS:  # int() refuses more than 4300
            raise _too_many_digits(len(digits))
        result = int(digits)
    elif re.fullmatch(r"\d+\.\d+", text):
        result = _whole_rupiah(Decimal(text))
    else:
        raise ValidationError(
            _("'%(value)s' is not an amount of rupiah, e.g. 1.500.000.") % {"value": text},
            code="rupiah",
        )
    return -result if negative else result


def _whole_rupiah(amount: Decimal) -> int:
    if not amount.is_finite():
        raise ValidationError(_("Amount must be a number of rupiah."), code="rupiah")
    if amount and amount.adjusted() >= RUPIAH_MAX_DIGITS:
        raise _too_many_digits(amount.adjusted() + 1)
    try:
        if amount != amount.to_integral_value():
            raise ValidationError(
                _("Amount must be whole rupiah, without sen."), code="rupiah_sen"
            )
        return int(amount)
    except InvalidOperation as exc:
        raise ValidationError(_("Amount must be a number of rupiah."), code="rupiah") from exc


def _too_many_digits(count: int) -> ValidationError:
    return ValidationError(
        _("The amount has %(count)d digits, too many for an amount of rupiah (at most "
          "%(max)d digits); check the value.") % {"count": count, "max": RUPIAH_MAX_DIGITS},
        code="rupiah_length")


KODE_WILAYAH = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


def validate_kode_wilayah(value: str) -> None:
    """Kemendagri code: 16 / 16.07 / 16.07.01 / 16.07.01.2001."""
    if not KODE_WILAYAH.fullmatch(value or ""):
        raise ValidationError(
            _("'%(value)s' is not a Kemendagri wilayah code such as 16.07 or 16.07.01.")
            % {"value": value},
            code="kode_wilayah",
        )


def mask_nik(value: str) -> str:
    """160701••••••0042: region and serial stay readable, the birth date is hidden."""
    if not value:
        return ""
    return value[:6] + "•" * max(len(value) - 10, 0) + value[-4:]


def mask_phone(value: str) -> str:
    """0812••••5678."""
    if not value:
        return ""
    if len(value) <= 8:
        return "•" * len(value)
    return value[:4] + "•" * (len(value) - 8) + value[-4:]


# --- licences and certificates -----------------------------------------------------------------
# Formats that are published and stable are checked; others (SNI, HKI, TKDN-IK) stay free-form.

PIRT_MAX_YEARS = 5  # an SPP-IRT is valid for at most five years (Peraturan BPOM 22/2018)


def validate_pirt_number(value: str) -> None:
    """P-IRT number: 15 digits, written e.g. 2063271010025-27; the last two are the expiry year."""
    if not DIGITS.fullmatch(value or ""):
        raise ValidationError(_("A P-IRT number may contain digits only."), code="pirt_digits")
    if len(value) != 15:
        raise ValidationError(
            _("A P-IRT number must be 15 digits, %(count)d digits were written.")
            % {"count": len(value)}, code="pirt_length")


def pirt_expiry_year(value: str) -> int:
    """The year a P-IRT number expires, from its last two digits (…-27 is 2027)."""
    return 2000 + int(value[-2:])


def validate_pirt_validity(number: str, issued: datetime.date | None,
                           valid_until: datetime.date | None) -> None:
    """An SPP-IRT runs at most five years, and ends in the year its number says."""
    if valid_until and valid_until.year != pirt_expiry_year(number):
        raise ValidationError(
            _("The last two digits of the P-IRT number say it expires in %(year)d, but the "
              "valid-until date is in %(until)d.")
            % {"year": pirt_expiry_year(number), "until": valid_until.year}, code="pirt_expiry")
    if issued and valid_until and valid_until > _add_years(issued, PIRT_MAX_YEARS):
        raise ValidationError(
            _("An SPP-IRT is valid for at most %(years)d years after it was issued.")
            % {"years": PIRT_MAX_YEARS}, code="pirt_too_long")


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


BPOM_MD = re.compile(r"MD\s?\d{12}")


def normalize_bpom_md(value: str) -> str:
    """'BPOM RI MD 224510001234' / 'md224510001234' → 'MD 224510001234'."""
    text = re.sub(r"^\s*(BPOM\s*(RI)?\s*)", "", str(value or "").upper()).strip()
    digits = only_digits(text[2:]) if text.startswith("MD") else only_digits(text)
    return f"MD {digits}" if text.startswith("MD") else text


def validate_bpom_md(value: str) -> None:
    """BPOM food registration for domestic products: MD followed by 12 digits."""
    if not BPOM_MD.fullmatch(value or ""):
        raise ValidationError(
            _("A BPOM MD number is MD followed by 12 digits, e.g. MD 224510001234."),
            code="bpom_md")


HALAL_BPJPH = re.compile(r"ID\d{10,20}")
HALAL_MUI = re.compile(r"\d{14}")


def normalize_halal(value: str) -> str:
    """Halal certificate numbers without spaces or dashes, 'ID' in capitals."""
    text = str(value or "").strip().upper()
    return ("ID" + only_digits(text[2:])) if text.startswith("ID") else only_digits(text)


def validate_halal_number(value: str) -> None:
    """BPJPH halal certificates (since 2019): ID followed by digits (ID3111000…); older LPPOM
    MUI certificates, still held by many IKM: 14 digits."""
    if not (HALAL_BPJPH.fullmatch(value or "") or HALAL_MUI.fullmatch(value or "")):
        raise ValidationError(
            _("A halal certificate number is ID followed by its digits (BPJPH), or 14 digits "
              "for an older LPPOM MUI certificate."), code="halal")


# --- uploaded documents ------------------------------------------------------------------------

DOCUMENT_SIGNATURES = {".pdf": (b"%PDF-",), ".jpg": (b"\xff\xd8\xff",),
                       ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",)}


def validate_document(upload) -> None:
    """A scanned decree or certificate: PDF, JPEG or PNG (by name and by content), not too big."""
    from django.conf import settings  # read at call time, so tests can change the limit

    name = (getattr(upload, "name", "") or "").lower()
    extension = name[name.rfind("."):] if "." in name else ""
    if extension not in DOCUMENT_SIGNATURES:
        raise ValidationError(_("The document must be a PDF, JPG or PNG file."),
                              code="document_type")
    limit = settings.NAIKKELAS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The document is %(size)s MB; at most %(limit)s MB is accepted.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(limit)}, code="document_size")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES[extension]):
        raise ValidationError(_("The file's content is not a %(kind)s document.")
                              % {"kind": extension[1:].upper()}, code="document_content")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def validate_registry_year(value: datetime.date) -> None:
    """A date of the registry's years: '15/07/0024' is a typing error, not the year 24."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("The year %(year)d lies outside %(min)d to %(max)d; write the date with a "
              "four-digit year, e.g. 15/07/2024.")
            % {"year": value.year, "min": MIN_YEAR, "max": MAX_YEAR}, code="year_range")
