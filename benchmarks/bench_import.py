"""`make bench-import` (python -m benchmarks.bench_import): rows per second and peak memory of
`naikkelas import` into PostgreSQL, against a bare COPY of the same rows (the floor) and
django-import-export in bulk mode (the peer), all in one run on this machine.

Steps: a database (default `nk_imports_bench`) dropped, recreated and migrated; --rows realistic
rows of a "Data IKM" sheet (title rows, office headers, amounts written "Rp 1.500.000,-", NIB on
about half the rows, NIK with the right kecamatan and birth date, kecamatan by name) spread over the
kecamatan of three kab/kota of Sumatera Selatan, written as .csv and as .xlsx; then, each in a child
process whose maximum resident memory is read with wait4:
  1. `naikkelas import FILE.csv --wilayah 16 --tahun 2024 --json` into an empty registry;
  2. the same command again, now that the registry holds every enterprise (every row matches);
  3. the same for the .xlsx file (at --xlsx-rows, an empty registry again);
  4. COPY of the csv's data rows into a plain table of text columns;
  5. django-import-export (`use_bulk=True`) importing the same rows into Enterprise (at --peer-rows;
     it gets kecamatan codes, not names, and writes no reports, classes or audit rows).
Targets of issue 3: ≥ 20,000 rows/s from csv, within 3× the time of COPY, ≥ 10× the peer, peak
memory < 1 GB.
"""

import argparse
import csv
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
WILAYAH, TAHUN = "16", 2024
KABKOTA = ("16.07", "16.71", "16.02")
HEADER = ["NO", "NAMA USAHA", "NAMA PEMILIK", "JENIS KELAMIN", "NIK", "NIB", "BENTUK USAHA",
          "ALAMAT", "KECAMATAN", "KBLI", "KOMODITI", "TK (L)", "TK (P)", "NILAI INVESTASI (Rp)",
          "OMZET (Rp)", "NO. HP"]
FIRST = ("Siti", "Ahmad", "Budi", "Dewi", "Rahmat", "Nur", "Hasanah", "Yusuf", "Ani", "Joko",
         "Rina", "Agus", "Fitri", "Hendra", "Wati", "Imam", "Sri", "Dedi", "Lestari", "Bambang")
LAST = ("Aminah", "Fauzi", "Santoso", "Saputra", "Hidayat", "Rahayu", "Lubis", "Siregar",
        "Wijaya", "Pratama", "Kurniawan", "Susanti", "Harahap", "Nasution", "Putri")
STREETS = ("Jl. Merdeka", "Jl. Sudirman", "Jl. Pasar", "Jl. Masjid", "Jl. Lintas Timur",
           "Jl. Kenanga", "Jl. Pendidikan", "Jl. Swadaya", "Jalan Perintis", "Jl. Kartini")
LEGAL = ("Perorangan", "Perorangan", "Perorangan", "UD", "CV", "KUB")


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000, help="rows of the csv file")
    p.add_argument("--xlsx-rows", type=int, default=None,
                   help="rows of the xlsx file (default: --rows up to 100,000)")
    p.add_argument("--peer-rows", type=int, default=None,
                   help="rows for django-import-export (default: --rows up to 20,000)")
    p.add_argument("--database", default="nk_imports_bench")
    p.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--seed", type=int, default=2024)
    args = p.parse_args(argv)
    args.xlsx_rows = args.xlsx_rows or min(args.rows, 100_000)
    args.peer_rows = args.peer_rows or min(args.rows, 20_000)
    return args


# --- data --------------------------------------------------------------------------------------

def kecamatan_of(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT kode, nama FROM wilayah_wilayah WHERE level = 3 AND ("
                            + " OR ".join(["kode LIKE %s"] * len(KABKOTA)) + ") ORDER BY kode",
                            [f"{k}.%" for k in KABKOTA]).fetchall()
    return rows


def profiles(url: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(kbli, products, name words) of the demo's product profiles whose KBLI is loaded."""
    from naikkelas.demo.profiles import PROFILES
    with psycopg.connect(url) as conn:
        known = {r[0] for r in conn.execute("SELECT kode FROM kbli_kbli").fetchall()}
    return [(p.kbli, p.products, p.names) for p in PROFILES.values() if p.kbli in known]


def rupiah(value: int, rng: random.Random) -> str | int:
    """Amounts the way offices write them: 'Rp 1.500.000,-', '1.500.000' or a plain number."""
    dotted = f"{value:,}".replace(",", ".")
    return rng.choice((f"Rp {dotted},-", dotted, value, f"Rp. {dotted},00"))


def generate(count: int, kecamatan: list[tuple[str, str]], kinds: list, seed: int):
    """Yield `count` data rows (lists in HEADER order), each enterprise different."""
    rng = random.Random(seed)
    for n in range(1, count + 1):
        kode, nama = kecamatan[rng.randrange(len(kecamatan))]
        kbli, products, names = kinds[rng.randrange(len(kinds))]
        female = rng.random() < 0.45
        legal = rng.choice(LEGAL)
        prefix = "" if legal == "Perorangan" else legal + " "
        workers = rng.choice((1, 2, 2, 3, 4, 5, 8, 12, 25, 60))
        women = rng.randint(0, workers)
        investment = rng.choice((5, 10, 25, 50, 150, 600, 2_500)) * 1_000_000
        nik = ""
        if rng.random() < 0.5:
            day = rng.randint(1, 28) + (40 if female else 0)
            nik = f"{kode.replace('.', '')}{day:02d}{rng.randint(1, 12):02d}" \
                  f"{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"
        name = rng.choice(names).replace("{nick}", rng.choice(FIRST))
        yield [n, f"{prefix}{name} {rng.choice(LAST)} {n}",
               f"{rng.choice(FIRST)} {rng.choice(LAST)}", "P" if female else "L", nik,
               f"{9_100_000_000_000 + n}" if rng.random() < 0.5 else "", legal,
               f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}",
               nama if rng.random() < 0.9 else f"Kec. {nama.upper()}", kbli,
               rng.choice(products), workers - women, women, rupiah(investment, rng),
               rupiah(investment * rng.randint(2, 6), rng),
               f"08{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}"]


def title_rows() -> list[list]:
    return [["DATA INDUSTRI KECIL DAN MENENGAH PROVINSI SUMATERA SELATAN TAHUN 2024"],
            ["Dinas Perindustrian"], [], HEADER]


def write_csv(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fp:
        writer = csv.writer(fp, delimiter=";")
        writer.writerows(title_rows())
        writer.writerows(rows)
        writer.writerow(["JUMLAH"])


def write_xlsx(path: Path, rows) -> None:
    import openpyxl
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data IKM")
    for row in title_rows():
        sheet.append(row)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


# --- measuring ---------------------------------------------------------------------------------

@dataclass
class Measure:
    name: str
    rows: int
    seconds: float
    peak_mb: float | None = None
    note: str = ""

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def run_child(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a child process; (wall seconds, max RSS in MB, stdout). Fails loudly."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=err, cwd=REPO)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{err.read().decode()[-3000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode()


def import_command(path: Path, env: dict[str, str], name: str, expect: str) -> Measure:
    seconds, peak, out = run_child([str(VENV_BIN / "naikkelas"), "import", str(path),
                                    "--wilayah", WILAYAH, "--tahun", str(TAHUN), "--json"], env)
    result = json.loads(out)
    if result["rows_invalid"] or result[expect] != result["rows_read"]:
        raise SystemExit(f"{name}: unexpected result {json.dumps(result)[:2000]}")
    return Measure(name, result["rows_read"], seconds, peak,
                   f"{expect} {result[expect]:,}")


def copy_floor(url: str, path: Path, rows: int) -> Measure:
    """COPY the csv's data lines into a table of text columns: what PostgreSQL alone costs."""
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute(sql.SQL("CREATE TABLE bench_copy ({})").format(sql.SQL(", ").join(
            sql.SQL("c{} text").format(sql.Literal(i)) for i in range(len(HEADER)))))
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n", len(title_rows()))
        body = data[-1].rsplit(b"JUMLAH", 1)[0]
        started = time.perf_counter()
        with conn.cursor().copy("COPY bench_copy FROM STDIN (FORMAT csv, DELIMITER ';')") as cp:
            cp.write(body)
        conn.commit()
        seconds = time.perf_counter() - started
        copied = conn.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_copy")
    assert copied == rows, (copied, rows)
    return Measure("PostgreSQL COPY (floor)", rows, seconds, None, "17 text columns")


def peer(env: dict[str, str], path: Path, rows: int) -> Measure:
    seconds, peak, out = run_child([sys.executable, "-m", "benchmarks.import_export_peer",
                                    str(path)], env)
    imported = int(out.strip().splitlines()[-1])
    assert imported == rows, (imported, rows)
    return Measure("django-import-export bulk (peer)", rows, seconds, peak,
                   "Enterprise rows only")


def reset_registry(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE enterprises_sizeclassification, enterprises_annualreport, "
                     "imports_reviewitem, imports_importrun, enterprises_enterprise, "
                     "core_auditlog CASCADE")


def prepare_database(args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    url = f"{args.server}/{args.database}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(args.database)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.database)))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # Bytecode cached, and compiled once here: the measured runs should not include compiling.
    # Production settings for every command, the peer's too: DEBUG keeps a log of queries.
    env.update(DATABASE_URL=url, NAIKKELAS_IMPORT_MAX_BYTES=str(4 * 1024 ** 3),
               NAIKKELAS_IMPORT_MAX_UNPACKED_BYTES=str(16 * 1024 ** 3), NAIKKELAS_DEBUG="false",
               NAIKKELAS_SECRET_KEY=os.environ.get("NAIKKELAS_SECRET_KEY")
               or "bench-" + secrets.token_urlsafe(32))
    subprocess.run([str(VENV_BIN / "naikkelas"), "migrate", "-v0"], env=env, cwd=REPO,
                   check=True)
    return url, env


def table(measures: list[Measure], copy: Measure, peer_rate: float) -> str:
    lines = ["| scenario | rows | seconds | rows/s | peak MB | time × COPY | speed × peer | note |",
             "|---|---|---|---|---|---|---|---|"]
    for m in measures:
        peak = f"{m.peak_mb:,.0f}" if m.peak_mb else "-"
        vs_copy = copy.rate / m.rate if m.rate else 0
        lines.append(f"| {m.name} | {m.rows:,} | {m.seconds:,.1f} | {m.rate:,.0f} | {peak} | "
                     f"{vs_copy:.2f} | {m.rate / peer_rate:.1f} | {m.note} |")
    return "\n".join(lines)


def verdict(csv_run: Measure, copy: Measure, peer_rate: float,
            imports: list[Measure]) -> list[str]:
    """The targets: speed of the csv import into an empty registry, memory of every
    `naikkelas import` run (a registry that already holds the rows costs the most)."""
    peak = max(m.peak_mb or 0 for m in imports)
    checks = [("≥ 20,000 rows/s from csv", csv_run.rate >= 20_000),
              ("within 3× of COPY", copy.rate / csv_run.rate <= 3),
              ("≥ 10× the peer", csv_run.rate / peer_rate >= 10),
              (f"peak memory < 1 GB (highest of the imports: {peak:,.0f} MB)", peak < 1024)]
    return [f"target {name}: {'met' if ok else 'MISSED'}" for name, ok in checks]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    url, env = prepare_database(args)
    kecamatan, kinds = kecamatan_of(url), profiles(url)
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    csv_path, xlsx_path = work / "data-ikm.csv", work / "data-ikm.xlsx"
    log(f"writing {args.rows:,} rows over {len(kecamatan)} kecamatan to {csv_path}")
    write_csv(csv_path, generate(args.rows, kecamatan, kinds, args.seed))
    log(f"writing {args.xlsx_rows:,} rows to {xlsx_path}")
    started = time.perf_counter()
    write_xlsx(xlsx_path, generate(args.xlsx_rows, kecamatan, kinds, args.seed))
    xlsx_write = time.perf_counter() - started
    log("import into an empty registry")
    empty = import_command(csv_path, env, "naikkelas import .csv, empty registry", "created")
    log("import again: every row matches")
    again = import_command(csv_path, env, "naikkelas import .csv, all rows match", "unchanged")
    reset_registry(url)
    log("import the xlsx into an empty registry")
    xlsx = import_command(xlsx_path, env, "naikkelas import .xlsx, empty registry", "created")
    reset_registry(url)
    log("COPY floor")
    copy = copy_floor(url, csv_path, args.rows)
    peer_path = work / "peer.csv"
    write_csv(peer_path, generate(args.peer_rows, kecamatan, kinds, args.seed))
    log(f"django-import-export on {args.peer_rows:,} rows")
    other = peer(env, peer_path, args.peer_rows)
    measures = [empty, again, xlsx, copy, other]
    print(table(measures, copy, other.rate))
    print(f"xlsx measured at {args.xlsx_rows:,} rows (writing it took {xlsx_write:.0f} s); "
          f"the peer at {args.peer_rows:,} rows; the rest at {args.rows:,} rows.")
    print("\n".join(verdict(empty, copy, other.rate, [empty, again, xlsx]) + [
        f"(all rows match: {again.rate:,.0f} rows/s, peak {again.peak_mb:,.0f} MB)"]))
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for path in (csv_path, xlsx_path, peer_path):
        path.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
