"""A labelled linkage benchmark generated here: Indonesian IKM listed by several offices.

Every enterprise (an entity) appears in some of four lists, each written its own way: the kab/kota
list, the provinsi list, an aid (bantuan) recipients list and a bank's KUR list. The lists differ in
which identifiers they carry, in legal-form words, honorifics, address abbreviations, phone formats,
case, word order and typing errors. Hard negatives are built in: owners running a second business
at the same address (other products, other KBLI), and different owners whose businesses carry the
same name in the same kecamatan. The `entity` column is the truth.
"""

import random

import polars as pl

PRODUCTS = [  # (KBLI, product words as lists write them, words used in business names)
    ("10750", ["pempek", "pempek palembang", "makanan olahan pempek"], ["Pempek"]),
    ("10794", ["kerupuk", "kemplang", "kerupuk ikan"], ["Kerupuk", "Kemplang"]),
    ("10794", ["keripik pisang", "keripik singkong", "kripik"], ["Keripik", "Kripik"]),
    ("10710", ["roti", "roti manis", "bakery"], ["Roti", "Bakery"]),
    ("10792", ["kue basah", "kue tradisional", "jajanan pasar"], ["Kue", "Aneka Kue"]),
    ("10761", ["kopi bubuk", "kopi robusta", "bubuk kopi"], ["Kopi"]),
    ("10722", ["gula merah", "gula aren", "gula semut"], ["Gula Aren", "Gula Merah"]),
    ("10213", ["ikan asin", "ikan kering", "ikan salai"], ["Ikan Asin", "Ikan Salai"]),
    ("13121", ["songket", "kain songket", "tenun songket"], ["Songket", "Tenun"]),
    ("13134", ["batik", "kain sasirangan", "sasirangan"], ["Batik", "Sasirangan"]),
    ("14111", ["konveksi", "pakaian jadi", "jahit pakaian"], ["Konveksi", "Taylor"]),
    ("14302", ["bordir", "sulaman tapis", "tapis"], ["Bordir", "Tapis"]),
    ("16291", ["anyaman rotan", "anyaman bambu", "kerajinan bambu"], ["Anyaman", "Kerajinan"]),
    ("16292", ["anyaman purun", "tanggui", "tikar purun"], ["Purun", "Tanggui"]),
    ("16293", ["ukiran kayu", "ukir kayu", "kerajinan kayu"], ["Ukiran", "Ukir"]),
    ("25119", ["las", "teralis besi", "pagar besi"], ["Las", "Bengkel Las"]),
    ("31001", ["mebel kayu", "furnitur", "meubel"], ["Mebel", "Meubel", "Furniture"]),
    ("10391", ["tempe", "tahu tempe", "keripik tempe"], ["Tempe", "Tahu"]),
    ("10531", ["es krim", "minuman susu"], ["Es Krim"]),
    ("11040", ["air minum isi ulang", "air mineral"], ["Air Minum", "Depot Air"]),
]
BRANDS = ("Barokah Berkah Sinar Jaya Abadi Makmur Sentosa Mandiri Cahaya Ilahi Putri Putra Sumber "
          "Rejeki Rezeki Mulia Indah Lestari Harapan Baru Bunda Mama Nusantara Sriwijaya Musi "
          "Bahari Family Amanah Al-Ikhlas Annisa Dua Saudara Tiga Berlian Mutiara Kencana Citra "
          "Dewi Sari Ayu Melati Mawar Anggrek Kenanga Flamboyan Cemara Intan Permata Bintang "
          "Bulan Surya Fajar Pelangi Murni Asli Khas Istimewa Nikmat Lezat Selera Mantap Prima "
          "Utama Sejahtera Bersama Karya Kreasi Kencana Wangi Harum Jaya Agung Gemilang Maju "
          "Bersinar Sakinah Mawaddah Hidayah Rahmat Taufik Ridho Insani Nur Hikmah Azzahra "
          "Salsabila Keluarga Ananda Kartika Srikandi Teratai Pinang Kelapa Durian Duku Tanjung "
          "Ogan Komering Lematang Enim Kapuas Barito Martapura Banua Kuin Alalak Sungai").split()
MALE = ("Ahmad Muhammad Budi Joko Agus Slamet Bambang Hendra Rudi Dedi Eko Andi Irwan Yusuf Ali "
        "Hasan Husin Abdul Rahman Hamid Syamsul Zainal Arif Fauzi Iwan Wahyu Hadi Sugeng Darmawan "
        "Rizal Fikri Taufik Heru Anton Dodi Rahmat Usman Umar Ismail Ilham Imam Nur Salim Amir "
        "Ridwan Sofyan Firman Samsudin Zulkifli Marzuki Junaidi Mulyadi Suparman Sutrisno Kurniawan").split()
FEMALE = ("Siti Aminah Nur Sri Dewi Rina Yanti Lestari Wati Aisyah Fatimah Khadijah Ratna Ani "
          "Endang Sumarni Sulastri Rahmawati Fitri Indah Nurul Hasanah Maryam Zainab Halimah "
          "Rohani Yuliana Susanti Mariana Erna Evi Lina Tuti Murni Rosita Rosmala Nurhayati "
          "Suryani Juliana Herlina Melati Desi Wulandari Purnama Sari Ayu Kartini Hartati").split()
FAMILY = ("Saputra Pratama Wijaya Santoso Hidayat Nugroho Siregar Harahap Nasution Lubis Hakim "
          "Rahman Syahputra Kusuma Setiawan Gunawan Hermawan Susanto Firmansyah Ramadhan Hasibuan "
          "Daulay Effendi Sulaiman Anwar Yahya Zakaria Ibrahim Idris Mansur Halim Karim Baharudin "
          "Fadli Rosyid Maulana Ardiansyah Prasetyo Wibowo Utomo Kurniasih Handayani Purwanti "
          "Rahayu Wahyuni Safitri Anggraini Permatasari Oktaviani Puspita").split()
STREETS = ("Merdeka Sudirman Ahmad Yani Diponegoro Pahlawan Veteran Kartini Pramuka Sukarno Hatta "
           "Kolonel Atmo Demang Lebar Daun Mayor Ruslan Kapten Rivai Basuki Rahmat Sultan Agung "
           "Pangeran Antasari Lambung Mangkurat Kuin Utara Alalak Tengah Pelambuan Cempaka Mawar "
           "Melati Kenanga Anggrek Flamboyan Kemuning Dahlia Pinang Kelapa Gading Nangka Rambutan "
           "Masjid Pasar Baru Lintas Timur Palembang Betung Pangkalan Balai Talang Kelapa Sukajadi").split()
DESA = ("Sukajadi Sukamaju Sukamulya Karya Baru Mekar Sari Tanjung Agung Sungai Rengit Talang "
        "Jambe Pangkalan Balai Kenten Sembawa Lalan Rambutan Mariana Gasing Tirta Makmur Suka Damai "
        "Kuin Utara Kuin Cerucuk Alalak Tengah Pelambuan Sungai Jingah Seberang Mesjid Surgi Mufti "
        "Teluk Dalam Belitung Kayu Tangi Pemurus Basirih Mantuil Kelayan Pekauman Sungai Lulut").split()
LEGAL = ["UD", "UD.", "CV", "CV.", "Toko", "KUB", "Usaha", "PT"]
PREFIX_TITLES_M = ["H.", "Bapak", "Bpk.", "Bp.", "Pak", "Drs.", "Ir.", "H. Drs."]
PREFIX_TITLES_F = ["Hj.", "Ibu", "Bu", "Ny.", "Dra.", "Hj. Dra."]
SUFFIX_TITLES = [", S.Pd", ", S.E.", ", S.H.", ", A.Md", ", S.Pd.I", ", SE", " S.Kom", ", M.M."]
SOURCES = {  # list -> (share of enterprises in it, how it writes records)
    "kabkota": 0.9, "provinsi": 0.6, "bantuan": 0.35, "kur": 0.3,
}
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(rng: random.Random, text: str) -> str:
    """One typing error: a letter dropped, doubled, swapped or replaced."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.3:
        return text[:i] + text[i + 1:]
    if kind < 0.5:
        return text[:i] + text[i] + text[i:]
    if kind < 0.75:
        return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
    return text[:i] + rng.choice(LETTERS) + text[i + 1:]


def maybe_typo(rng: random.Random, text: str, p: float) -> str:
    if text and rng.random() < p:
        text = typo(rng, text)
        if rng.random() < 0.15:
            text = typo(rng, text)
    return text


class Generator:
    """Entities, then the lists' records of them. Deterministic for a seed."""

    def __init__(self, seed: int = 2024):
        self.rng = random.Random(seed)
        self.serial = 0

    def kecamatan_codes(self, count: int) -> list[str]:
        provinces = ["16", "63", "18", "32", "35", "33", "12", "73"]
        codes = set()
        while len(codes) < count:
            p = self.rng.choice(provinces)
            codes.add(f"{p}.{self.rng.randint(1, 40):02d}.{self.rng.randint(1, 25):02d}")
        return sorted(codes)

    def person(self) -> dict:
        rng = self.rng
        female = rng.random() < 0.45
        first = rng.choice(FEMALE if female else MALE)
        parts = [first]
        if rng.random() < 0.7:
            parts.append(rng.choice(FEMALE if female else MALE) if rng.random() < 0.3
                         else rng.choice(FAMILY))
        if rng.random() < 0.2:
            parts.append(rng.choice(FAMILY))
        return {"owner": " ".join(parts), "female": female}

    def nik(self, kecamatan: str, female: bool) -> str:
        rng = self.rng
        region = kecamatan.replace(".", "")[:6].ljust(6, "0")
        day = rng.randint(1, 28) + (40 if female else 0)
        self.serial += 1
        return f"{region}{day:02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}" \
               f"{self.serial % 10000:04d}"

    def entity(self, kecamatan: str, desa: list[str], owner: dict | None = None,
               address: str | None = None, name: str | None = None) -> dict:
        rng = self.rng
        kbli, product_words, name_words = rng.choice(PRODUCTS)
        owner = owner or {**self.person(), "phone": self.phone(), "nik": None}
        if owner["nik"] is None and rng.random() < 0.9:
            owner["nik"] = self.nik(kecamatan, owner["female"])
        if name is None:
            name = self.business_name(name_words, owner["owner"])
        self.serial += 1
        return {
            "name": name, "owner": owner, "kbli": kbli, "products": product_words,
            "nib": f"{rng.randint(1, 9)}{self.serial:012d}"[:13] if rng.random() < 0.55 else "",
            "address": address or self.address(), "kecamatan": kecamatan,
            "desa": rng.choice(desa),
        }

    def business_name(self, words: list[str], owner: str) -> str:
        rng = self.rng
        word = rng.choice(words)
        brand = rng.choice(BRANDS)
        if rng.random() < 0.45:
            brand += " " + rng.choice(BRANDS)
        shape = rng.random()
        if shape < 0.45:
            return f"{word} {brand}"
        if shape < 0.7:
            return f"{brand} {word}"
        if shape < 0.85:
            return f"{word} {rng.choice(['Bu', 'Mak', 'Pak', 'Cek', 'Wak'])} {owner.split()[0]}"
        return brand

    def phone(self) -> str:
        rng = self.rng
        return f"08{rng.choice('1235789')}{rng.randint(0, 9)}{rng.randint(1000000, 99999999)}"

    def address(self) -> str:
        rng = self.rng
        street = rng.choice(STREETS)
        if rng.random() < 0.4:
            street += " " + rng.choice(STREETS)
        kind = rng.choice(["Jalan", "Jalan", "Jalan", "Gang", "Lorong"])
        parts = [f"{kind} {street}"]
        if rng.random() < 0.75:
            parts.append(f"No. {rng.randint(1, 250)}")
        if rng.random() < 0.6:
            parts.append(f"RT {rng.randint(1, 40):03d} RW {rng.randint(1, 12):03d}")
        return " ".join(parts)

    def entities(self, count: int) -> list[dict]:
        """`count` enterprises, about 4% of them a second business of another's owner and 2%
        a namesake of another enterprise in the same kecamatan."""
        codes = self.kecamatan_codes(max(count // 150, 4))
        desa = {code: self.rng.sample(DESA, 8) for code in codes}
        out: list[dict] = []
        while len(out) < count:
            code = self.rng.choice(codes)
            roll = self.rng.random()
            if out and roll < 0.04:
                other = self.rng.choice(out[-200:])
                out.append(self.sibling(other, desa[other["kecamatan"]]))
            elif out and roll < 0.06:
                other = self.rng.choice(out[-200:])
                out.append(self.entity(other["kecamatan"], desa[other["kecamatan"]],
                                       name=other["name"]))
            else:
                out.append(self.entity(code, desa[code]))
        return out

    def sibling(self, other: dict, desa: list[str]) -> dict:
        """The same owner's second business, at the same address, making something else."""
        while True:
            entity = self.entity(other["kecamatan"], desa, owner=other["owner"],
                                 address=other["address"])
            if entity["kbli"] != other["kbli"]:
                entity["desa"] = other["desa"]
                return entity

    # --- how each list writes a record ---------------------------------------------------------

    def record(self, entity: dict, source: str) -> dict:
        rng = self.rng
        shows = {"kabkota": (0.8, 0.75, 0.7, 0.85, 1.0), "provinsi": (0.6, 0.5, 0.4, 0.7, 0.7),
                 "bantuan": (0.0, 0.9, 0.7, 0.0, 0.8), "kur": (0.0, 0.95, 0.9, 0.0, 0.3)}[source]
        p_nib, p_nik, p_phone, p_kbli, p_desa = shows
        owner = entity["owner"]
        return {
            "name": self.written_name(entity["name"], source),
            "owner_name": self.written_owner(owner, source),
            "owner_nik": self.identifier(owner["nik"], p_nik),
            "nib": entity["nib"] if entity["nib"] and rng.random() < p_nib else "",
            "owner_phone": self.written_phone(owner["phone"]) if rng.random() < p_phone else "",
            "address": self.written_address(entity["address"]),
            "desa": entity["desa"] if rng.random() < p_desa else "",
            "kecamatan": entity["kecamatan"],
            "kbli": entity["kbli"] if rng.random() < p_kbli else "",
            "products": rng.choice(entity["products"]) if rng.random() < 0.9 else "",
        }

    def identifier(self, value: str | None, p: float) -> str:
        rng = self.rng
        if not value or rng.random() >= p:
            return ""
        if rng.random() < 0.015:  # one digit mistyped
            i = rng.randrange(len(value))
            value = value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1:]
        return value

    def written_name(self, name: str, source: str) -> str:
        rng = self.rng
        words = name.split()
        if len(words) > 1 and rng.random() < 0.08:
            words[0], words[1] = words[1], words[0]
        text = maybe_typo(rng, " ".join(words), 0.15)
        roll = rng.random()
        if roll < 0.2:
            text = f"{rng.choice(LEGAL)} {text}"
        elif roll < 0.27:
            text = f"{text}, {rng.choice(['UD', 'CV'])}"
        if source == "provinsi" and rng.random() < 0.5:
            text = text.upper()
        return text

    def written_owner(self, owner: dict, source: str) -> str:
        rng = self.rng
        words = owner["owner"].split()
        if len(words) > 2 and rng.random() < 0.1:
            words = words[:2]
        if words[0] == "Muhammad" and rng.random() < 0.5:
            words[0] = rng.choice(["M.", "Muh.", "Moh."])
        text = maybe_typo(rng, " ".join(words), 0.15)
        p_title = 0.45 if source in ("bantuan", "kur") else 0.2
        if rng.random() < p_title:
            text = f"{rng.choice(PREFIX_TITLES_F if owner['female'] else PREFIX_TITLES_M)} {text}"
        if rng.random() < 0.08:
            text += rng.choice(SUFFIX_TITLES)
        return text.upper() if source == "provinsi" and rng.random() < 0.5 else text

    def written_phone(self, phone: str) -> str:
        rng = self.rng
        rest = phone[1:]
        style = rng.random()
        if style < 0.3:
            return phone
        if style < 0.5:
            return f"+62 {rest[:3]}-{rest[3:7]}-{rest[7:]}"
        if style < 0.65:
            return f"62{rest}"
        if style < 0.85:
            return f"{phone[:4]}-{phone[4:8]}-{phone[8:]}"
        return f"{phone[:4]} {phone[4:8]} {phone[8:]}"

    def written_address(self, address: str) -> str:
        rng = self.rng
        text = address
        if rng.random() < 0.6:
            text = text.replace("Jalan", rng.choice(["Jl.", "Jl", "Jln.", "JL."]))
            text = text.replace("Gang", rng.choice(["Gg.", "Gg"])).replace(
                "Lorong", rng.choice(["Lr.", "Lrg."]))
        if rng.random() < 0.4:
            text = text.replace("No. ", rng.choice(["No.", "no ", "Nomor "]))
        if "RT" in text and rng.random() < 0.5:
            head, _, tail = text.partition(" RT ")
            rt, _, rw = tail.partition(" RW ")
            text = f"{head} " + rng.choice([f"RT.{rt}/RW.{rw}", f"RT/RW {rt}/{rw}",
                                            f"Rt {int(rt)} Rw {int(rw)}"])
        if rng.random() < 0.1:
            text = text.split(" No")[0]
        return maybe_typo(rng, text, 0.2)


def generate(records: int, seed: int = 2024) -> pl.DataFrame:
    """About `records` rows from the four lists, shuffled, with `entity` and `source` columns."""
    generator = Generator(seed)
    expected = sum(SOURCES.values())
    rows = []
    for number, entity in enumerate(generator.entities(int(records / expected) + 1)):
        chosen = [s for s, share in SOURCES.items() if generator.rng.random() < share]
        for source in chosen or ["kabkota"]:
            rows.append({**generator.record(entity, source), "entity": number, "source": source})
    generator.rng.shuffle(rows)
    return pl.DataFrame(rows[:records])
