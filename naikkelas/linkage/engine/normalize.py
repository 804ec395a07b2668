"""Normalisers made for Indonesian records, written once as polars expressions.

The same expressions clean one value (`normalize_name("UD. Keripik Barokah")`) and a million
(`normalized_frame(records)`), so the tested behaviour is the behaviour at scale.
"""

from collections.abc import Callable

import polars as pl

# Legal-form and shop words that say nothing about which business it is.
BUSINESS_WORDS = ("ud", "cv", "pt", "tbk", "toko", "tk", "kub", "usaha", "koperasi", "kop",
                  "ikm", "ukm", "umkm", "industri rumah tangga", "irt", "home industry",
                  "perusahaan", "pd", "fa", "firma")
# Honorifics and academic titles before or after an Indonesian name (dots already removed).
TITLES = ("h", "hj", "haji", "hajah", "hajjah", "ir", "dr", "drs", "dra", "prof", "bapak", "bpk",
          "bp", "pak", "ibu", "bu", "sdr", "sdri", "ny", "nyonya", "tn", "tuan", "spd", "spdi",
          "se", "sh", "st", "skom", "ssos", "sag", "sip", "ssi", "sak", "skes", "sp", "spsi",
          "shum", "skm", "sked", "sfarm", "amd", "amdkeb", "mm", "mpd", "msi", "mh", "mt", "ma",
          "mba", "mkes", "ak", "ners", "ns", "apt", "bsc", "ba", "almarhum", "alm")
# Degrees written with dots ("S.Pd.", "S. E.", "A.Md") are joined first so that TITLES finds them.
DEGREE_DOTS = r"\b([sma])\s?\.\s?(pd\.?\s?i|pd|e|h|t|kom|sos|ag|ip|si|ak|kes|md|p|psi|hum|km|ked|farm|m|ba|keb)\b\.?"
ADDRESS_WORDS = (
    (r"\b(jalan|jln|jl)\b", "jl"), (r"\b(gang|gg)\b", "gg"), (r"\b(lorong|lrg|lr)\b", "lr"),
    (r"\b(nomor|nomer|nmr|no)\b", "no"), (r"\b(komplek|kompleks|komp|kompl)\b", "komp"),
    (r"\b(perumahan|perum)\b", "perum"), (r"\b(dusun|dsn)\b", "dsn"),
    (r"\b(desa|kelurahan|kel|ds)\b", " "), (r"\b(kecamatan|kec)\b", " "),
    (r"\b(blok|blk)\b", "blok"),
)
MIN_PHONE, MAX_PHONE = 9, 13


def _fold(expr: pl.Expr) -> pl.Expr:
    """Lower case, punctuation to spaces, spaces collapsed."""
    expr = expr.fill_null("").cast(pl.String).str.to_lowercase()
    expr = expr.str.replace_all(r"[^\p{L}\p{N}]+", " ")
    return _squeeze(expr)


def _squeeze(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"\s+", " ").str.strip_chars()


def _drop_words(expr: pl.Expr, words: tuple[str, ...]) -> pl.Expr:
    pattern = r"\b(?:" + "|".join(w.replace(" ", r"\s") for w in words) + r")\b"
    return _squeeze(expr.str.replace_all(pattern, " "))


def name_expr(expr: pl.Expr) -> pl.Expr:
    """'UD. Keripik Barokah' / 'Keripik Barokah, UD' / 'TOKO KERIPIK  BAROKAH' -> 'keripik barokah'."""
    return _drop_words(_fold(expr), BUSINESS_WORDS)


def owner_expr(expr: pl.Expr) -> pl.Expr:
    """'Hj. Siti Aminah, S.Pd.' / 'Ibu Siti Aminah' -> 'siti aminah'."""
    lowered = expr.fill_null("").cast(pl.String).str.to_lowercase()
    joined = lowered.str.replace_all(DEGREE_DOTS, " $1$2 ")
    return _drop_words(_fold(joined.str.replace_all(r"(\S)\.(\S)", "$1$2")), TITLES)


def address_expr(expr: pl.Expr) -> pl.Expr:
    """'Jalan Merdeka No. 12 RT.003/RW.02' and 'Jl Merdeka no 12 rt 3 rw 2' -> one form."""
    text = expr.fill_null("").cast(pl.String).str.to_lowercase()
    # RT/RW written as "RT/RW 003/002" or "RT.03 RW.2": numbers without leading zeros.
    text = text.str.replace_all(r"\brt\s*[./]?\s*rw\s*[.:]?\s*0*(\d+)\s*/\s*0*(\d+)", " rt $1 rw $2 ")
    text = text.str.replace_all(r"\b(rt|rw)\s*[.:]?\s*0*(\d+)", " $1 $2 ")
    text = _fold(text)
    for pattern, replacement in ADDRESS_WORDS:
        text = text.str.replace_all(pattern, replacement)
    text = text.str.replace_all(r"\b0+(\d)", "$1")
    return _squeeze(text)


def _digits(expr: pl.Expr) -> pl.Expr:
    """Digits only; a number read from a spreadsheet as 8123456789.0 loses its '.0' first."""
    return expr.fill_null("").cast(pl.String).str.replace(r"\.0$", "").str.replace_all(r"\D", "")


def phone_expr(expr: pl.Expr) -> pl.Expr:
    """'+62 812-3456-789', '62812…', '0812…' -> '08123456789'; anything else -> ''."""
    digits = _digits(expr)
    digits = digits.str.replace(r"^62", "0").str.replace(r"^8", "08")
    length = digits.str.len_chars()
    return pl.when(length.is_between(MIN_PHONE, MAX_PHONE)
                   & digits.str.starts_with("0")).then(digits).otherwise(pl.lit(""))


def digits_expr(expr: pl.Expr, length: int) -> pl.Expr:
    """Identifier digits (NIK 16, NIB 13); a value of the wrong length is treated as missing."""
    digits = _digits(expr)
    return pl.when(digits.str.len_chars() == length).then(digits).otherwise(pl.lit(""))


def kbli_expr(expr: pl.Expr) -> pl.Expr:
    """A KBLI code as its digits ('10794', '1079'); other text -> ''."""
    return _digits(expr)


def region_expr(expr: pl.Expr) -> pl.Expr:
    """A kode wilayah or a place name, folded."""
    return _squeeze(expr.fill_null("").cast(pl.String).str.to_lowercase()
                    .str.replace_all(r"[^\p{L}\p{N}.]+", " "))


NORMALIZERS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "name": name_expr,
    "owner_name": owner_expr,
    "address": address_expr,
    "owner_phone": phone_expr,
    "owner_nik": lambda e: digits_expr(e, 16),
    "nib": lambda e: digits_expr(e, 13),
    "kbli": kbli_expr,
    "products": name_expr,
    "desa": region_expr,
    "kecamatan": region_expr,
}


def _one(field: str, value) -> str:
    frame = pl.DataFrame({"v": [None if value is None else str(value)]}, schema={"v": pl.String})
    return frame.select(NORMALIZERS[field](pl.col("v"))).item()


def normalize_name(value) -> str:
    return _one("name", value)


def normalize_owner(value) -> str:
    return _one("owner_name", value)


def normalize_address(value) -> str:
    return _one("address", value)


def normalize_phone(value) -> str:
    return _one("owner_phone", value)


def normalized_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every field of the frame, normalised; missing fields become empty strings."""
    columns = []
    for field, normalizer in NORMALIZERS.items():
        source = pl.col(field) if field in frame.columns else pl.lit(None, dtype=pl.String)
        columns.append(normalizer(source.cast(pl.String)).alias(field))
    return frame.select(columns)
