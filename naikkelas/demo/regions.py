"""The kabupaten/kota the demo data lives in, with the products each is known for.

The seed regions of the project (Kab. Banyuasin, Kota Palembang, Kota Banjarmasin, Provinsi Lampung)
carry most enterprises; a few neighbours and Jepara (furniture, Jawa Tengah) show data from outside.
Where a product has a known centre (sentra), `hints` place part of its enterprises there: a
kecamatan code, or a desa/kelurahan code from `DEMO_DESA`.
"""

from dataclasses import dataclass, field

GENERIC_STREETS = ("Jl. Masjid", "Jl. Pendidikan", "Jl. Swadaya", "Jl. Perintis", "Jl. Pembangunan",
                   "Jl. Mawar", "Jl. Melati", "Jl. Kenanga", "Jl. Merdeka", "Jl. Poros Desa")


@dataclass(frozen=True)
class Region:
    """A kabupaten/kota of the demo: how many enterprises it gets and what they make."""

    kode: str
    weight: int
    center: tuple[float, float]
    spread: tuple[float, float]
    style: str
    profiles: dict[str, int]
    symbols: tuple[str, ...]
    streets: tuple[str, ...]
    hints: dict[str, tuple[float, tuple[str, ...]]] = field(default_factory=dict)


PALEMBANG_STREETS = (
    "Jl. Kolonel H. Barlian", "Jl. Sultan Mahmud Badaruddin II", "Jl. Demang Lebar Daun",
    "Jl. Mayor Ruslan", "Jl. KH. Azhari", "Jl. Ki Gede Ing Suro", "Jl. Jenderal Sudirman",
    "Jl. Basuki Rahmat", "Jl. Mayor Zen", "Jl. Ahmad Yani", "Jl. Kapten Abdullah",
    "Jl. Faqih Usman", "Jl. KH. Wahid Hasyim", "Jl. Slamet Riady", "Lr. Sei Tawar",
    "Lr. Kebun Sahang", "Lr. Bersama", "Lr. Masjid", "Lr. Sukaramai", "Lr. Kedukan",
)
BANYUASIN_STREETS = (
    "Jl. Palembang-Betung", "Jl. Sultan Mahmud Badaruddin II", "Jl. Lintas Timur",
    "Jl. Tanjung Api-Api", "Jl. Perumnas Talang Kelapa", "Jl. Sabar Jaya",
    "Jl. Lingkar Pangkalan Balai", "Jl. Sembawa", "Jl. Desa Sungsang", "Jl. Jalur Dua",
)
BANJARMASIN_STREETS = (
    "Jl. Kuin Utara", "Jl. Kuin Selatan", "Jl. Sutoyo S.", "Jl. Pangeran Antasari",
    "Jl. Ahmad Yani", "Jl. Sultan Adam", "Jl. Pelambuan", "Jl. Alalak Tengah",
    "Jl. Sungai Jingah", "Jl. Kelayan A", "Jl. Pekapuran Raya", "Jl. Veteran", "Jl. Belitung Darat",
    "Jl. Kampung Melayu Darat", "Jl. Surgi Mufti", "Jl. Kuin Cerucuk",
)
KALSEL_STREETS = ("Jl. Ahmad Yani", "Jl. Brigjen H. Hasan Basri", "Jl. Pasar", "Jl. Veteran",
                  "Jl. Martapura Lama", "Jl. Negara", "Jl. Singakarsa", "Jl. Sukmaraga")
LAMPUNG_STREETS = (
    "Jl. Z.A. Pagar Alam", "Jl. Teuku Umar", "Jl. Raden Intan", "Jl. Ki Maja", "Jl. Sultan Agung",
    "Jl. Pramuka", "Jl. Imam Bonjol", "Jl. Hayam Wuruk", "Jl. Soekarno-Hatta", "Jl. Ratu Dibalau",
    "Jl. Kartini", "Jl. Lintas Sumatera", "Jl. Raya Liwa", "Jl. Jenderal Ahmad Yani",
)
SUMSEL_STREETS = ("Jl. Lintas Timur", "Jl. Lintas Sumatera", "Jl. Letnan Muchtar Saleh",
                  "Jl. Raya Indralaya", "Jl. Kapten Kadir", "Jl. Pasar", "Jl. Ki Merogan")
JEPARA_STREETS = ("Jl. Raya Jepara-Kudus", "Jl. Shima", "Jl. Kartini", "Jl. Pemuda",
                  "Jl. Sultan Hadlirin", "Jl. Mantingan", "Jl. Raya Tahunan")

LAMPUNG_SYMBOLS = ("Siger", "Ruwa Jurai", "Krakatau", "Sai Bumi", "Way Kambas", "Pesagi", "Begawi",
                   "Sang Bumi")

REGIONS: tuple[Region, ...] = (
    Region("16.71", 1400, (-2.976, 104.775), (0.05, 0.07), "palembang",
           {"pempek": 22, "kemplang": 14, "songket": 8, "jumputan": 4, "lak": 3, "konveksi": 10,
            "roti": 7, "kue_palembang": 6, "furnitur": 5, "las": 7, "tahu": 3, "tempe": 2,
            "kopi": 2, "bekasam": 1, "ikan_salai": 1},
           ("Ampera", "Musi", "Sriwijaya", "Kuto Besak", "Kemaro", "Bumi Sriwijaya", "Wong Kito",
            "Bari", "Seguntang"),
           PALEMBANG_STREETS,
           {"songket": (0.6, ("16.71.01.1002", "16.71.01.1003", "16.71.01.1001")),
            "pempek": (0.25, ("16.71.11.1005", "16.71.11.1004")),
            "kemplang": (0.3, ("16.71.02.1002", "16.71.02.1004", "16.71.13.1004")),
            "jumputan": (0.6, ("16.71.02.1004", "16.71.02.1005"))}),
    Region("16.07", 1300, (-2.62, 104.72), (0.3, 0.35), "melayu",
           {"kemplang": 14, "ikan_asin": 9, "ikan_salai": 5, "purun": 10, "gula": 8, "kopi": 5,
            "pempek": 6, "kue_palembang": 6, "konveksi": 8, "roti": 5, "furnitur": 7, "las": 7,
            "tahu": 3, "tempe": 3, "pandai": 3, "bekasam": 2},
           ("Sedulang Setudung", "Banyuasin", "Sungsang", "Sembilang", "Prima", "Musi",
            "Pangkalan Balai"),
           BANYUASIN_STREETS,
           {"ikan_asin": (0.5, ("16.07.02.2001", "16.07.02.2002", "16.07.02.2003",
                                "16.07.02.2004")),
            "ikan_salai": (0.3, ("16.07.02", "16.07.13")),
            "kemplang": (0.2, ("16.07.02.2001", "16.07.02.2003")),
            "gula": (0.4, ("16.07.05", "16.07.16", "16.07.17"))}),
    Region("63.71", 900, (-3.319, 114.591), (0.03, 0.03), "banjar",
           {"sasirangan": 20, "iwak": 8, "pakasam": 4, "tanggui": 8, "wadai": 14,
            "ukiran_banjar": 8, "jukung": 3, "konveksi": 9, "roti": 6, "furnitur": 6, "las": 7,
            "amplang": 7},
           ("Galuh", "Bekantan", "Barito", "Kayuh Baimbai", "Antasari", "Banjar", "Lanting", "Kuin",
            "Seribu Sungai", "Wasaka"),
           BANJARMASIN_STREETS,
           {"sasirangan": (0.7, ("63.71.04.1004", "63.71.03.1003", "63.71.05.1007")),
            "iwak": (0.7, ("63.71.04.1009", "63.71.03.1007")),
            "pakasam": (0.7, ("63.71.04.1009", "63.71.03.1007")),
            "tanggui": (0.8, ("63.71.03.1008",)),
            "wadai": (0.5, ("63.71.04.1006",)),
            "ukiran_banjar": (0.7, ("63.71.04.1001", "63.71.04.1002")),
            "jukung": (0.6, ("63.71.04.1003", "63.71.03.1008"))}),
    Region("18.71", 420, (-5.43, 105.26), (0.05, 0.06), "lampung",
           {"keripik": 22, "tapis": 12, "sulam": 5, "kopi": 8, "konveksi": 10, "roti": 7, "kue": 6,
            "furnitur": 6, "las": 8, "tahu": 3, "tempe": 3, "kemplang": 5},
           LAMPUNG_SYMBOLS, LAMPUNG_STREETS,
           {"keripik": (0.5, ("18.71.03.1011", "18.71.03.1001"))}),
    Region("18.04", 150, (-5.03, 104.07), (0.12, 0.15), "lampung",
           {"kopi": 50, "keripik": 5, "gula": 5, "bambu": 3, "furnitur": 5, "las": 5, "kue": 5},
           ("Liwa", "Pesagi", "Skala Brak", "Sekala Bekhak", *LAMPUNG_SYMBOLS[:3]), LAMPUNG_STREETS,
           {"kopi": (0.3, ("18.04.04.1001", "18.04.04.1003"))}),
    Region("18.06", 140, (-5.45, 104.65), (0.12, 0.15), "lampung",
           {"kopi": 40, "gula": 10, "keripik": 10, "ikan_asin": 8, "furnitur": 5, "las": 5},
           ("Tanggamus", "Kota Agung", "Begawi Jejama", *LAMPUNG_SYMBOLS[:3]), LAMPUNG_STREETS),
    Region("18.01", 130, (-5.73, 105.59), (0.1, 0.12), "lampung",
           {"keripik": 25, "ikan_asin": 12, "kemplang": 10, "gula": 6, "konveksi": 6, "furnitur": 5,
            "las": 5},
           ("Kalianda", "Krakatau", "Khagom Mufakat", *LAMPUNG_SYMBOLS[:3]), LAMPUNG_STREETS),
    Region("18.10", 100, (-5.36, 104.97), (0.06, 0.07), "jawa",
           {"bambu": 30, "furnitur": 12, "tapis": 5, "keripik": 10, "konveksi": 8, "las": 6,
            "tahu": 4, "tempe": 4},
           ("Pringsewu", "Jejama", "Bambu Kuning", *LAMPUNG_SYMBOLS[:2]), LAMPUNG_STREETS),
    Region("18.72", 80, (-5.113, 105.307), (0.03, 0.03), "jawa",
           {"konveksi": 12, "roti": 10, "tapis": 5, "keripik": 10, "tahu": 5, "tempe": 5,
            "furnitur": 8, "las": 8, "kue": 8},
           ("Metro", "Bumi Sai Wawai", *LAMPUNG_SYMBOLS[:3]), LAMPUNG_STREETS),
    Region("18.07", 80, (-5.10, 105.68), (0.12, 0.12), "jawa",
           {"ikan_asin": 15, "gula": 10, "kemplang": 10, "tapis": 6, "keripik": 8, "furnitur": 5,
            "las": 5},
           ("Way Kambas", "Sukadana", "Bumei Tuah Bepadan", *LAMPUNG_SYMBOLS[:2]), LAMPUNG_STREETS),
    Region("16.10", 150, (-3.22, 104.65), (0.1, 0.1), "melayu",
           {"songket": 35, "kemplang": 12, "gula": 5, "pempek": 6, "furnitur": 6, "las": 5,
            "purun": 5, "pandai": 8},
           ("Ogan", "Tanjung Batu", "Indralaya", "Serasan Sekate"), SUMSEL_STREETS,
           {"songket": (0.8, ("16.10.02",)), "pandai": (0.6, ("16.10.02",))}),
    Region("16.02", 150, (-3.40, 104.85), (0.15, 0.2), "melayu",
           {"purun": 35, "kemplang": 15, "ikan_salai": 10, "ikan_asin": 5, "gula": 5, "furnitur": 5,
            "las": 5, "kue_palembang": 5},
           ("Bende Seguguk", "Kayuagung", "Pedamaran", "Komering"), SUMSEL_STREETS,
           {"purun": (0.8, ("16.02.03", "16.02.24")), "kemplang": (0.3, ("16.02.05",))}),
    Region("63.03", 110, (-3.41, 114.85), (0.08, 0.12), "banjar",
           {"permata": 25, "amplang": 8, "wadai": 10, "iwak": 8, "purun": 8, "konveksi": 6,
            "furnitur": 8, "las": 6, "sasirangan": 5},
           ("Martapura", "Intan", "Cahaya Bumi Selamat", "Serambi Mekkah", "Galuh"), KALSEL_STREETS,
           {"permata": (0.8, ("63.03.05", "63.03.14", "63.03.15"))}),
    Region("63.06", 60, (-2.78, 115.27), (0.1, 0.1), "banjar",
           {"dodol": 25, "purun": 15, "wadai": 6, "furnitur": 5, "pandai": 10, "las": 5},
           ("Kandangan", "Loksado", "Amandit", "Nagara", "Galuh"), KALSEL_STREETS,
           {"dodol": (0.7, ("63.06.05",)), "purun": (0.7, ("63.06.07", "63.06.08", "63.06.11")),
            "pandai": (0.8, ("63.06.07", "63.06.08", "63.06.11"))}),
    Region("33.20", 60, (-6.59, 110.67), (0.08, 0.08), "jawa",
           {"furnitur": 50, "ukiran_jepara": 30, "konveksi": 5, "las": 5},
           ("Kartini", "Jepara", "Kalinyamat", "Mantingan", "Karimun", "Ukir"), JEPARA_STREETS),
)

# Real Kemendagri desa/kelurahan (kode, nama; Kepmendagri 2025) used by the demo, so that a later
# load-wilayah finds the same codes and names and changes nothing.
DEMO_DESA: tuple[tuple[str, str], ...] = (
    ("16.71.01.1001", "Tiga-puluh-lima Ilir"), ("16.71.01.1002", "Tiga-puluh-dua Ilir"),
    ("16.71.01.1003", "Tiga-puluh Ilir"), ("16.71.02.1002", "Satu Ulu"),
    ("16.71.02.1004", "Tiga Empat Ulu"), ("16.71.02.1005", "Lima Ulu"),
    ("16.71.11.1004", "Dua-puluh-empat Ilir"), ("16.71.11.1005", "Dua-puluh-enam Ilir"),
    ("16.71.13.1004", "Kertapati"), ("16.71.13.1003", "Keramasan"),
    ("16.07.02.2001", "Sungsang I"), ("16.07.02.2002", "Sungsang II"),
    ("16.07.02.2003", "Sungsang III"), ("16.07.02.2004", "Sungsang IV"),
    ("16.07.03.1012", "Pangkalan Balai"), ("16.07.05.1017", "Betung"),
    ("16.07.01.1016", "Mariana"), ("16.07.10.1004", "Sukajadi"),
    ("63.71.03.1003", "Pelambuan"), ("63.71.03.1007", "Kuin Selatan"),
    ("63.71.03.1008", "Kuin Cerucuk"), ("63.71.04.1001", "Alalak Tengah"),
    ("63.71.04.1002", "Alalak Utara"), ("63.71.04.1003", "Alalak Selatan"),
    ("63.71.04.1004", "Sungai Jingah"), ("63.71.04.1006", "Surgi Mufti"),
    ("63.71.04.1009", "Kuin Utara"), ("63.71.05.1004", "Teluk Dalam"),
    ("63.71.05.1007", "Seberang Mesjid"),
    ("18.71.03.1001", "Gedong Air"), ("18.71.03.1011", "Segalamider"),
    ("18.04.04.1001", "Pasar Liwa"), ("18.04.04.1003", "Way Mengaku"),
)
