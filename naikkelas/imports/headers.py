"""Recognising columns: the synonym table, and finding the header row by itself.

Offices name the same column in many ways. Header text is normalised (case, punctuation, spaces,
"(Rp)") and looked up in SYNONYMS, which is the one place to extend. A header can span two rows
(a merged "TENAGA KERJA" over "L" and "P"); both rows are then read together.
"""

import re
from dataclasses import dataclass, field

# Column name in the file (normalised) -> field of Enterprise / AnnualReport, or "" for the
# numbering column. Add spellings here; normalise() is applied to them when the module loads.
SYNONYMS: dict[str, list[str]] = {
    "": ["no", "nomor", "no urut", "nomor urut"],
    "name": ["nama perusahaan", "nama usaha", "nama ikm", "nama industri", "nama unit usaha",
             "nama badan usaha", "nama perusahaan ikm", "nama ukm", "nama umkm", "perusahaan",
             "nama perusahaan usaha", "nama usaha ikm"],
    "owner_name": ["nama pemilik", "pemilik", "nama pemilik usaha", "pemilik usaha",
                   "penanggung jawab", "nama penanggung jawab", "nama pengusaha", "pengusaha"],
    "owner_nik": ["nik", "nik pemilik", "no ktp", "nomor ktp", "ktp", "no nik", "nik ktp"],
    "nib": ["nib", "no nib", "nomor nib", "nomor induk berusaha"],
    "npwp": ["npwp", "no npwp", "nomor npwp"],
    "legal_form": ["bentuk usaha", "bentuk badan usaha", "badan usaha", "bentuk badan hukum",
                   "badan hukum"],
    "owner_gender": ["jenis kelamin", "jenis kelamin pemilik", "l p"],
    "address": ["alamat", "alamat usaha", "alamat perusahaan", "alamat lengkap", "jalan"],
    "desa": ["desa", "kelurahan", "desa kel", "desa kelurahan", "kel desa", "kelurahan desa",
             "desa kel nama"],
    "kecamatan": ["kecamatan", "kec", "nama kecamatan"],
    "kbli": ["kbli", "kode kbli", "kbli 2020", "kode kbli 2020", "no kbli"],
    "products": ["komoditi", "komoditas", "produk", "jenis produk", "produk utama", "nama produk",
                 "jenis usaha", "komoditi produk", "cabang industri"],
    "workers_male": ["tk l", "tenaga kerja l", "tenaga kerja laki laki", "tk laki laki",
                     "tenaga kerja pria", "tk pria", "laki laki", "tenaga kerja orang l",
                     "jumlah tenaga kerja l"],
    "workers_female": ["tk p", "tenaga kerja p", "tenaga kerja perempuan", "tk perempuan",
                       "tenaga kerja wanita", "tk wanita", "perempuan", "tenaga kerja orang p",
                       "jumlah tenaga kerja p"],
    "investment": ["nilai investasi", "investasi", "investasi di luar tanah dan bangunan",
                   "nilai investasi di luar tanah dan bangunan", "investasi mesin peralatan"],
    "land_buildings_value": ["nilai tanah dan bangunan", "tanah dan bangunan",
                             "investasi tanah dan bangunan"],
    "working_capital": ["modal", "modal usaha", "modal kerja", "nilai modal",
                        "modal usaha di luar tanah dan bangunan"],
    "sales": ["omzet", "omset", "hasil penjualan", "nilai penjualan", "penjualan",
              "omzet per tahun", "omzet pertahun", "omzet tahun", "omset per tahun"],
    "capacity": ["kapasitas produksi", "kapasitas", "kapasitas produksi jumlah",
                 "kapasitas produksi volume", "volume produksi", "kapasitas per tahun",
                 "kapasitas produksi per tahun"],
    "capacity_unit": ["satuan", "kapasitas produksi satuan", "satuan kapasitas",
                      "satuan produksi"],
    "production_value": ["nilai produksi", "nilai produksi per tahun"],
    "raw_material_value": ["nilai bahan baku", "bahan baku", "nilai bahan baku penolong",
                           "nilai bahan baku per tahun"],
    "founded_year": ["tahun berdiri", "thn berdiri", "tahun pendirian", "tahun mulai usaha",
                     "tahun mulai", "berdiri sejak", "tahun izin"],
    "owner_phone": ["no hp", "nomor hp", "hp", "no telepon", "nomor telepon", "telepon", "telp",
                    "no telp", "no hp telp", "no telp hp", "no hp wa", "no wa", "whatsapp",
                    "kontak"],
    "latitude": ["latitude", "lintang", "lat"],
    # Legality: recognised and counted, kept for the certifications register (not stored yet).
    "halal": ["halal", "sertifikat halal", "no sertifikat halal", "nomor sertifikat halal",
              "sh", "label halal"],
    "pirt": ["pirt", "p irt", "no pirt", "nomor pirt", "sppirt", "sp pirt", "izin pirt"],
    "merek": ["merek", "merk", "hak merek", "merek dagang", "haki", "hki", "no merek"],
    "sni": ["sni", "sertifikat sni", "sppt sni", "no sni"],
    "longitude": ["longitude", "bujur", "long", "lng", "lon"],
}

ENTERPRISE_FIELDS = ("name", "legal_form", "nib", "npwp", "owner_name", "owner_nik",
                     "owner_gender", "owner_phone", "address", "kecamatan", "desa", "latitude",
                     "longitude", "kbli", "products", "founded_year")
REPORT_FIELDS = ("workers_male", "workers_female", "investment", "land_buildings_value",
                 "working_capital", "sales", "capacity", "capacity_unit", "production_value",
                 "raw_material_value")
LEGALITY_FIELDS = ("halal", "pirt", "merek", "sni")
FIELDS = ENTERPRISE_FIELDS + REPORT_FIELDS + LEGALITY_FIELDS
MIN_FIELDS = 2
HEADER_SEARCH_ROWS = 40
# "(Rp ribu)", "(Rp 000)", "(juta rupiah)": amounts written in thousands or millions.
MULTIPLIERS = ((re.compile(r"\b(ribu|000)\b"), 1000), (re.compile(r"\bjuta\b"), 1_000_000))
UNIT_WORDS = re.compile(r"\b(rp|rupiah|ribu|000|juta|orang|org)\b")


def normalise(text) -> str:
    """'NILAI INVESTASI (Rp)' -> 'nilai investasi'; 'DESA/KEL.' -> 'desa kel'; 'TK (L)' -> 'tk l'."""
    text = str(text or "").lower().replace("-", " ")
    text = re.sub(r"[^\w]+", " ", text).replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def _lookup_key(text: str) -> str:
    return re.sub(r"\s+", " ", UNIT_WORDS.sub(" ", normalise(text))).strip()


LOOKUP: dict[str, str] = {_lookup_key(name): target for target, names in SYNONYMS.items()
                          for name in names}


def field_for(text: str, mapping: dict[str, str] | None = None) -> str | None:
    """The field a header means ('' for the numbering column), or None when unknown."""
    if mapping and normalise(text) in mapping:
        return mapping[normalise(text)]
    key = _lookup_key(text)
    return LOOKUP.get(key) if key else None


def multiplier(text: str) -> int:
    """1000 for a header written in thousands of rupiah, and so on; 1 otherwise."""
    words = normalise(text)
    for pattern, factor in MULTIPLIERS:
        if pattern.search(words):
            return factor
    return 1


def column_key(row: int, column: int) -> str:
    """The mapping key of the header cell at 0-based `row` and `column`: a column mapped by its
    place rather than its text, as the web preview does, so that two columns headed alike are
    mapped each on its own. normalise() leaves it as it is (a run's mapping is normalised again
    when its error report is built)."""
    return f"row {row + 1} column {column + 1}"


class Heading(str):
    """A header as written that also knows its column (0-based). It is the text everywhere (the
    command line lists it, --json writes it); the web preview maps the column by its place."""

    column: int

    def __new__(cls, text: str, column: int) -> "Heading":
        heading = super().__new__(cls, text)
        heading.column = column
        return heading

    def __getnewargs__(self) -> tuple[str, int]:
        return str(self), self.column


@dataclass
class Column:
    """One recognised column: its position, the header as written, its field and unit."""

    index: int
    header: str
    field: str
    multiplier: int = 1


@dataclass
class Header:
    """Where the header is (0-based first row, and how many rows it spans) and what it says."""

    row: int
    height: int
    columns: list[Column] = field(default_factory=list)
    unknown: list[Heading] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c.field}

    @property
    def first_data_row(self) -> int:
        return self.row + self.height

    def score(self) -> int:
        return len(self.fields)


def cell_text(value) -> str:
    """A cell as text: integral floats without '.0' (1500000.0 -> '1500000')."""
    if type(value) is str:  # noqa: E721 -- the usual cell, first and fast
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_header(rows: list[list], mapping: dict[str, str] | None = None) -> Header | None:
    """The header among the first rows: the one (or two) rows naming most known columns.

    Returns None when no row names a business-name column and at least MIN_FIELDS fields.
    """
    best = likeliest_header(rows, mapping)
    if best is None or "name" not in best.fields or best.score() < MIN_FIELDS:
        return None
    return best


def likeliest_header(rows: list[list], mapping: dict[str, str] | None = None) -> Header | None:
    """The one (or two) rows among the first naming most known columns, whether or not they name
    the columns an import needs (the web preview offers to map those by hand)."""
    best: Header | None = None
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        for height in (1, 2):
            if index + height > len(rows):
                continue
            header = read_header(rows, index, height, mapping)
            if best is None or header.score() > best.score() or _better_tie(header, best):
                best = header
    return best


def _better_tie(header: Header, best: Header) -> bool:
    """Whether `header` wins over `best`, found earlier, that reads the same fields in the same
    columns, one of them a row of it. The two rows win when the other row gives a unit, above
    ("(Rp 000)" over the header) or below ("(Rp 000)" under NILAI INVESTASI); the one row wins
    when the other changes nothing: a title or a blank row, not a merged parent (the title would
    be written into every unknown column's name, and the header taken a row too high)."""
    if header.score() != best.score() or header.height == best.height:
        return False
    one, two = (header, best) if header.height == 1 else (best, header)
    if one.row not in (two.row, two.row + 1):
        return False
    if [c[:2] for c in _reading(one)] != [c[:2] for c in _reading(two)]:
        return False
    return (header is two) == (_reading(one) != _reading(two))


def _reading(header: Header) -> list[tuple[int, str, int]]:
    return [(c.index, c.field, c.multiplier) for c in header.columns]


def read_header(rows: list[list], index: int, height: int,
                mapping: dict[str, str] | None = None) -> Header:
    """Read the header at rows[index] (two rows: a merged parent above its sub-columns)."""
    # A NUL is left out: the header is quoted in errors and warnings, which PostgreSQL's jsonb
    # cannot hold with one.
    top = [cell_text(c).replace("\x00", "") for c in rows[index]]
    bottom = ([cell_text(c).replace("\x00", "") for c in rows[index + 1]] if height == 2
              else [""] * len(top))
    header = Header(row=index, height=height)
    parent = ""
    seen: set[str] = set()
    for position in range(max(len(top), len(bottom))):
        above = top[position] if position < len(top) else ""
        below = bottom[position] if position < len(bottom) else ""
        # A merged cell holds its text in the first column only: carry it over the sub-columns.
        parent = above or (parent if below else "")
        written, target = _label(parent, below, mapping)
        if not written:
            continue
        if mapping and (place := column_key(index, position)) in mapping:
            target = mapping[place]
        if target is None:
            header.unknown.append(Heading(written, position))
        elif target and target in seen:
            header.duplicates.append(written)
        else:
            seen.add(target)
            header.columns.append(Column(position, written, target, _unit(parent, below)))
    return header


def _unit(parent: str, child: str) -> int:
    """A column's multiplier: the unit its own cell names ("OMZET (Rp)"), else the one written
    above it ("NILAI (Rp 000)" merged over INVESTASI and OMZET)."""
    if child and UNIT_WORDS.search(normalise(child)):
        return multiplier(child)
    return multiplier(f"{parent} {child}")


def _label(parent: str, child: str, mapping: dict[str, str] | None) -> tuple[str, str | None]:
    """The header as the user would name it, and its field: 'TENAGA KERJA L' -> workers_male."""
    if not child:
        return parent, field_for(parent, mapping) if parent else None
    combined = f"{parent} {child}".strip()
    for written in (combined, child):
        target = field_for(written, mapping)
        if target is not None:
            return written, target
    return combined, None


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """--map "Header Asli=field" options -> {normalised header: field}; ValueError on a bad one."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        header, sep, target = pair.rpartition("=")
        target = target.strip()
        if not sep or not header.strip():
            raise ValueError(pair)
        if target not in FIELDS and target not in {"", "-"}:
            raise ValueError(pair)
        mapping[normalise(header)] = "" if target == "-" else target
    return mapping


# Aid recipient lists (naikkelas.imports.recipients) name their own columns beside the enterprise
# columns above. They are a table of their own, passed to find_header as its mapping, so that an
# enterprise import never reads "JUMLAH" or "MERK" as aid columns; in a recipient list "MERK" is
# the brand of the item, not a trademark certificate. Add spellings here.
AID_SYNONYMS: dict[str, list[str]] = {
    "name": ["nama penerima", "penerima", "nama penerima bantuan", "nama ikm penerima",
             "nama usaha penerima"],
    "kub_group": ["nama kub", "kub", "kelompok", "nama kelompok", "kelompok usaha bersama",
                  "nama kelompok usaha bersama"],
    "item": ["nama barang", "barang", "jenis barang", "uraian barang", "jenis bantuan",
             "bantuan", "nama alat", "alat", "peralatan", "nama peralatan", "item", "uraian",
             "jenis peralatan", "nama mesin"],
    "quantity": ["jumlah", "jumlah barang", "jumlah unit", "volume", "qty", "banyaknya", "jml",
                 "unit", "jumlah paket"],
    "unit_value": ["harga satuan", "nilai satuan", "harga", "harga per unit", "nilai per unit",
                   "harga unit"],
    "brand": ["merk", "merek", "merk type", "merk tipe", "merek tipe", "merek type", "type",
              "tipe", "merk spesifikasi", "spesifikasi"],
    "serial": ["nomor seri", "no seri", "serial number", "serial", "sn", "no serial",
               "nomor serial"],
    "sk_number": ["no sk", "nomor sk", "sk penerima", "no sk penerima", "nomor sk penerima",
                  "sk"],
    "sk_date": ["tanggal sk", "tgl sk", "tanggal sk penerima", "tgl sk penerima"],
    "bast_number": ["no bast", "nomor bast", "bast", "no ba serah terima"],
    "bast_date": ["tanggal bast", "tgl bast", "tanggal serah terima", "tgl serah terima"],
    "override_reason": ["alasan", "alasan pemberian ulang", "alasan diberikan lagi",
                        "alasan bantuan ulang"],
}
AID_FIELDS = tuple(name for name in AID_SYNONYMS if name != "name")


class _UnitBlindMapping(dict):
    """A find_header mapping looked up like SYNONYMS: "HARGA SATUAN (Rp)" finds "harga satuan"."""

    def __contains__(self, text) -> bool:
        return super().__contains__(_lookup_key(text))

    def __getitem__(self, text) -> str:
        return super().__getitem__(_lookup_key(text))


def aid_mapping() -> dict[str, str]:
    """The mapping for find_header that recognises a recipient list's aid columns."""
    return _UnitBlindMapping({_lookup_key(name): target for target, names in AID_SYNONYMS.items()
                              for name in names})
