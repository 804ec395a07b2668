"""`make bench-api` (python -m benchmarks.bench_api): requests per second and p50/p95 latency of
the enterprise API over 1,000,000 enterprises in PostgreSQL, served by gunicorn, with the load
generated on loopback.

Every scenario is printed with its ratio to a baseline measured in the same run against the same
server (GET /api/v1/: token authentication, throttle and rendering, but no registry rows), so the
figures of different machines compare by ratio; the target of issue 7 (list ≥ 200 requests/s
with p95 < 150 ms) is checked on this machine's absolute figures.

Steps: a database (default `naikkelas_bench`) dropped, recreated, migrated and filled by
bulk_registry, or kept with --reuse-data when it already holds exactly the expected rows; an
operator kab/kota for 16.07 and an admin pusat, each with a fresh API token; gunicorn on a free
port of 127.0.0.1; per scenario a warm-up, then a measured run bounded in time and requests.
Everything started here is stopped on the way out, also on an error, Ctrl-C or SIGTERM.

When the API has no enterprise endpoints (yet), --target web (or auto) measures the web list
/usaha/ with a logged-in session instead, and says so.
"""

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from benchmarks import bulk_registry, loadgen
from benchmarks.cpu import CpuSample, wait_until_quiet

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
TARGET_RPS, TARGET_P95_MS = 200.0, 150.0
SERVER_REASON = ("gthread workers, cores + 1 with 4 threads each: a request is Python on the CPU "
                 "with short database waits, so a process per core plus one for those waits; "
                 "threads keep wrk's connections alive (sync workers close every one) and cover "
                 "the waits. Measured on list-kab (8 s each, shared machine, load 7-9): sync 3 "
                 "workers 15.3, gthread 2x4 17.1, gthread 3x4 13.8 CPU ms per request, and "
                 "gthread the better req/s and p95 (see --worker-class, --workers, --threads)")
BOOT_SECONDS = 300  # workers starting Django on a shared, busy machine took over 60 s
BUSY_OTHER_CORES = 0.5  # above this, something besides server, database and client was running
FOCUS_KODE = "16.07"  # Banyuasin, the kab/kota of the test personas
LIST_PATH, DETAIL_PATH, BASELINE_PATH, WEB_LIST_PATH = (
    "/api/v1/enterprises/", "/api/v1/enterprises/{id}/", "/api/v1/", "/usaha/")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- arguments ---------------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    cores = os.cpu_count() or 2
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="enterprises to generate")
    p.add_argument("--duration", type=float, default=20, help="measured seconds per scenario")
    p.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each")
    p.add_argument("--concurrency", type=int, default=16, help="open connections")
    p.add_argument("--max-requests", type=int, default=200_000,
                   help="request budget per scenario run")
    p.add_argument("--reuse-data", action="store_true",
                   help="keep the database when it already holds exactly --rows enterprises")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--workers", type=int, default=cores + 1, help="gunicorn workers")
    p.add_argument("--worker-class", default="gthread", help="gunicorn worker class")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    p.add_argument("--wsgi", default="naikkelas.wsgi:application",
                   help="WSGI application to serve (to compare a variant of the app)")
    p.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                   help="load generator (auto: wrk when installed)")
    p.add_argument("--deep-pages", type=int, default=200,
                   help="pages to follow the cursor for the deep-list scenarios")
    p.add_argument("--scenarios", default="", help="comma-separated subset of scenario names")
    p.add_argument("--target", choices=["auto", "api", "web"], default="auto",
                   help="the API endpoints, or the web list with a session")
    p.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
                   help="PostgreSQL server (no database name)")
    p.add_argument("--database", default="naikkelas_bench", help="database to (re)create")
    p.add_argument("--quiet-wait", type=float, default=30,
                   help="before each scenario, wait up to this many seconds for other work on "
                        "the machine to stop (a shared machine skews the figures)")
    p.add_argument("--fail-on-miss", action="store_true",
                   help="exit 1 when a list scenario misses the target")
    args = p.parse_args(argv)
    if args.rows < 1000 or args.duration <= 0 or args.concurrency < 1:
        p.error("--rows must be at least 1000, --duration and --concurrency positive")
    return args


# --- data --------------------------------------------------------------------------------------

@dataclass
class DataInfo:
    rows: int
    mode: str  # "generated" or "reused"
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    verified_classifications: int = 0


def prepare_database(args: argparse.Namespace, url: str) -> DataInfo:
    """Reuse the database if asked and it holds the expected rows; else drop, migrate and fill."""
    started = time.perf_counter()
    if args.reuse_data and _database_exists(args) and _holds_expected(url, args.rows):
        _migrate(url)  # applies migrations written since the data was generated
        _vacuum(url)  # a migration that rewrote rows leaves index-only scans visiting the heap
        log(f"data: reusing {args.database}, which holds exactly {args.rows:,} enterprises")
        return DataInfo(args.rows, "reused", time.perf_counter() - started)
    if args.reuse_data:
        log(f"data: {args.database} does not hold exactly {args.rows:,} enterprises of this "
            "generator: recreating it")
    log(f"data: (re)creating {args.database} with {args.rows:,} enterprises")
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(args.database)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.database)))
    _migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        filled = bulk_registry.fill(conn, args.rows, focus_kode=FOCUS_KODE,
                                    log=lambda line: log(line))
    info = DataInfo(args.rows, "generated", time.perf_counter() - started, filled.counts,
                    {k: round(v, 1) for k, v in filled.seconds.items()})
    log(f"data: generated in {info.seconds:.0f} s: "
        + ", ".join(f"{n:,} {t.split('_')[-1]}" for t, n in filled.counts.items()))
    return info


def _database_exists(args: argparse.Namespace) -> bool:
    with psycopg.connect(f"{args.postgres}/postgres") as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [args.database]).fetchone() is not None


def _holds_expected(url: str, rows: int) -> bool:
    try:
        with psycopg.connect(url) as conn:
            return bulk_registry.holds_expected(conn, rows)
    except psycopg.Error:
        return False  # not migrated, or not ours


def _vacuum(url: str) -> None:
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in bulk_registry.TABLES:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    log(f"data: vacuum analyze {time.perf_counter() - started:.1f} s")


def _migrate(url: str) -> None:
    started = time.perf_counter()
    subprocess.run([str(VENV_BIN / "naikkelas"), "migrate", "--noinput", "--verbosity", "0"],
                   env={**os.environ, "DATABASE_URL": url}, cwd=REPO, check=True, timeout=1800)
    log(f"data: migrate {time.perf_counter() - started:.1f} s")


# --- personas and scenarios --------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    kind: str  # baseline, list or detail
    paths: tuple[str, ...]
    headers: dict[str, str]


def server_environment(url: str) -> dict[str, str]:
    """Production-like settings for gunicorn and for this process's Django alike."""
    return {
        "DJANGO_SETTINGS_MODULE": "naikkelas.settings",
        "DATABASE_URL": url,
        "NAIKKELAS_DEBUG": "false",
        "NAIKKELAS_SECRET_KEY": os.environ.get("NAIKKELAS_SECRET_KEY")
        or "bench-" + secrets.token_urlsafe(32),
        "NAIKKELAS_ALLOWED_HOSTS": "127.0.0.1",
        "NAIKKELAS_DB_CONN_MAX_AGE": "60",
        "NAIKKELAS_API_RATE": "1000000/minute",
        # As in production (README): the workers share one rate count in Redis.
        "NAIKKELAS_CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
        "NAIKKELAS_LOG_LEVEL": "WARNING",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def api_available() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(LIST_PATH)
        return True
    except Resolver404:
        return False


def persona_credentials(target: str) -> dict[str, dict[str, str]]:
    """Headers for the operator of 16.07 ('kab') and an admin pusat ('pusat'): a new API token
    each (earlier benchmark tokens are revoked), or a logged-in session for the web target."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from naikkelas.accounts.models import ApiToken, Role, User
    from naikkelas.accounts.services import create_api_token

    people = {"kab": ("bench-operator-1607", Role.OPERATOR_KABKOTA, FOCUS_KODE),
              "pusat": ("bench-admin-pusat", Role.ADMIN_PUSAT, "")}
    headers = {}
    for key, (username, role, kode) in people.items():
        user, _created = User.objects.update_or_create(
            username=username, defaults={"role": role, "kode_wilayah": kode, "is_active": True,
                                         "personal_data_access": True})
        user.full_clean(exclude=["password"])
        if target == "web":
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            headers[key] = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
            continue
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        _token, key_text = create_api_token(actor=user, name="benchmark")
        headers[key] = {"Authorization": f"Bearer {key_text}"}
    return headers


def detail_ids(count: int = 500, seed: int = 7) -> list[int]:
    """Random active enterprises inside 16.07 (what the operator may open)."""
    from naikkelas.enterprises.models import Enterprise

    ids = list(Enterprise.objects.in_wilayah(FOCUS_KODE).active().values_list("id", flat=True))
    return sorted(random.Random(seed).sample(ids, min(count, len(ids))))


def build_scenarios(target: str, creds: dict, ids: list[int], base: str, deep_pages: int,
                    wanted: set[str]) -> list[Scenario]:
    """The scenarios in `wanted` (all when empty); the deep ones follow the cursor first."""
    kab, pusat = creds["kab"], creds["pusat"]
    if target == "web":
        return web_scenarios(kab, pusat, ids)

    def deep(name: str, headers: dict[str, str]) -> tuple[str, int]:
        if wanted and name not in wanted:
            return LIST_PATH, 0
        return follow_cursor(base, LIST_PATH, headers, deep_pages)

    filtered = f"{LIST_PATH}?naik_kelas=ya"
    kab_deep, kab_page = deep("list-kab-deep", kab)
    pusat_deep, pusat_page = deep("list-pusat-deep", pusat)
    return [
        Scenario("baseline", "GET /api/v1/ (token, no rows)", "baseline", (BASELINE_PATH,), kab),
        Scenario("list-kab", "operator 16.07, first page", "list", (LIST_PATH,), kab),
        Scenario("list-kab-deep", f"operator 16.07, page {kab_page} by cursor", "list",
                 (kab_deep,), kab),
        Scenario("list-kab-filter", "operator 16.07, ?naik_kelas=ya", "list", (filtered,), kab),
        Scenario("list-pusat", "admin pusat (nasional), first page", "list", (LIST_PATH,), pusat),
        Scenario("list-pusat-deep", f"admin pusat, page {pusat_page} by cursor", "list",
                 (pusat_deep,), pusat),
        Scenario("detail-kab", f"operator 16.07, {len(ids)} random ids", "detail",
                 tuple(DETAIL_PATH.format(id=i) for i in ids), kab),
    ]


def web_scenarios(kab: dict[str, str], pusat: dict[str, str], ids: list[int]) -> list[Scenario]:
    """The fallback before the API exists: the web list and detail pages with a session."""
    return [
        Scenario("baseline", "GET /api/v1/ (session, no rows)", "baseline", (BASELINE_PATH,),
                 kab),
        Scenario("web-list-kab", "web /usaha/, operator 16.07, page 1", "list",
                 (WEB_LIST_PATH,), kab),
        Scenario("web-list-kab-p100", "web /usaha/, operator 16.07, page 100", "list",
                 (f"{WEB_LIST_PATH}?page=100",), kab),
        Scenario("web-list-pusat", "web /usaha/, admin pusat, page 1", "list",
                 (WEB_LIST_PATH,), pusat),
        Scenario("web-detail-kab", "web /usaha/<id>/, operator 16.07", "detail",
                 tuple(f"{WEB_LIST_PATH}{i}/" for i in ids), kab),
    ]


def get_json(base: str, path: str, headers: dict[str, str]) -> tuple[int, dict | None, bytes]:
    request = urllib.request.Request(base + path, headers={**headers,
                                                           "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        return exc.code, None, exc.read()
    try:
        return status, json.loads(body), body
    except ValueError:
        return status, None, body


def follow_cursor(base: str, path: str, headers: dict[str, str], pages: int) -> tuple[str, int]:
    """The path of the page reached by following `next` up to `pages` times from `path` (fewer
    when the list ends first), and the number of that page."""
    for followed in range(pages):
        status, data, body = get_json(base, path, headers)
        if status != 200 or not data:
            raise RuntimeError(f"cannot follow the cursor past {path}: {status} {body[:300]!r}")
        if not data.get("next"):
            return path, followed + 1
        nxt = urlsplit(data["next"])
        path = f"{nxt.path}?{nxt.query}"
    return path, pages + 1


def check_scenario(base: str, scenario: Scenario) -> None:
    """One request per scenario before the load: a 200 with rows, or stop here."""
    status, data, body = get_json(base, scenario.paths[0], scenario.headers)
    if status != 200:
        raise RuntimeError(f"{scenario.name}: GET {scenario.paths[0]} answered {status}: "
                           f"{body[:500]!r}")
    if scenario.kind == "list" and isinstance(data, dict) and not data.get("results"):
        raise RuntimeError(f"{scenario.name}: the list is empty: {body[:300]!r}")


# --- gunicorn ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(args: argparse.Namespace, env: dict[str, str], port: int,
             logfile: Path) -> Iterator[subprocess.Popen]:
    command = [str(VENV_BIN / "gunicorn"), args.wsgi,
               "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
               "--worker-class", args.worker_class, "--threads", str(args.threads),
               "--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning",
               "--error-logfile", str(logfile)]
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        _wait_until_listening(process, port, logfile)
        yield process
    finally:
        _stop(process)


def _wait_until_listening(process: subprocess.Popen, port: int, logfile: Path) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}: "
                               f"{logfile.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{BASELINE_PATH}", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # 401 without a token: it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {BOOT_SECONDS} s")


def _stop(process: subprocess.Popen) -> None:
    """TERM to the master (it stops its workers), KILL to its process group if that hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


# --- running and reporting ---------------------------------------------------------------------

@dataclass
class Row:
    scenario: str
    what: str
    kind: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    vs_baseline: float = 0.0
    app_cores: float = 0.0  # gunicorn master and workers
    db_cores: float = 0.0  # PostgreSQL processes
    other_cores: float = 0.0  # the load client, the kernel, and anything else on the machine
    cpu_ms: float = 0.0  # CPU of gunicorn and of its database backends per request
    target: str = "-"


def database_backends(args: argparse.Namespace) -> set[int]:
    """The PostgreSQL backends connected to the benchmark's database (the server's, with
    persistent connections): other databases on a shared server are others' work."""
    with psycopg.connect(f"{args.postgres}/{args.database}", autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                            "AND pid <> pg_backend_pid()", [args.database]).fetchall()
    return {pid for (pid,) in rows}


def measure(scenario: Scenario, base: str, args: argparse.Namespace, server_pid: int) -> Row:
    def load(seconds: float) -> loadgen.Load:
        return loadgen.Load(base_url=base, paths=scenario.paths, headers=scenario.headers,
                            duration=seconds, concurrency=args.concurrency,
                            max_requests=args.max_requests)

    wait_until_quiet(args.quiet_wait)
    if args.warmup > 0:
        loadgen.run(load(args.warmup), args.client)
    backends = database_backends(args)
    before = CpuSample.take(server_pid)
    result = loadgen.run(load(args.duration), args.client)
    after = CpuSample.take(server_pid)
    backends |= database_backends(args)
    app, db = after.app - before.app, max(after.db_since(before, only=backends), 0)
    other = max(after.busy - before.busy - app - db, 0)
    row = Row(scenario.name, scenario.what, scenario.kind, result.requests,
              round(result.seconds, 2), round(result.rps, 1), round(result.p50_ms, 1),
              round(result.p95_ms, 1), round(result.p99_ms, 1), result.errors,
              app_cores=round(app / result.seconds, 2), db_cores=round(db / result.seconds, 2),
              other_cores=round(other / result.seconds, 2),
              cpu_ms=round(1000 * (app + db) / result.requests, 2) if result.requests else 0.0)
    if scenario.kind == "list":
        met = row.rps >= TARGET_RPS and row.p95_ms < TARGET_P95_MS and not row.errors
        row.target = "PASS" if met else "MISS"
    log(f"  {row.scenario}: {row.rps:.1f} req/s, p50 {row.p50_ms} ms, p95 {row.p95_ms} ms, "
        f"{row.errors} errors")
    return row


COLUMNS = (("scenario", "{:<18}"), ("what", "{:<36}"), ("req/s", "{:>8}"), ("p50 ms", "{:>7}"),
           ("p95 ms", "{:>7}"), ("p99 ms", "{:>7}"), ("errors", "{:>6}"),
           ("x baseline", "{:>10}"), ("app cpu", "{:>7}"), ("pg cpu", "{:>6}"),
           ("other", "{:>5}"), ("cpu ms/req", "{:>10}"), ("target", "{:>6}"))


def table(rows: list[Row]) -> str:
    lines = [" ".join(fmt.format(name) for name, fmt in COLUMNS)]
    for r in rows:
        values = (r.scenario, r.what[:36], f"{r.rps:.1f}", f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}",
                  f"{r.p99_ms:.1f}", r.errors, f"{r.vs_baseline:.3f}", f"{r.app_cores:.2f}",
                  f"{r.db_cores:.2f}", f"{r.other_cores:.2f}", f"{r.cpu_ms:.2f}", r.target)
        lines.append(" ".join(fmt.format(v) for (_n, fmt), v in zip(COLUMNS, values, strict=True)))
    return "\n".join(lines)


def choose_target(args: argparse.Namespace) -> str:
    """'api', or 'web' when asked for or when the API has no enterprise endpoints (yet)."""
    if args.target == "web" or (args.target == "auto" and not api_available()):
        log(f"note: measuring the web list {WEB_LIST_PATH} with a session, not the API")
        return "web"
    if not api_available():
        raise SystemExit(f"{LIST_PATH} does not exist; use --target web")
    return "api"


def server_version() -> str:
    from django.db import connection

    connection.ensure_connection()
    version = connection.connection.info.server_version
    return f"{version // 10000}.{version % 10000}"


def run_scenarios(args: argparse.Namespace, env: dict[str, str], target: str, creds: dict,
                  ids: list[int]) -> list[Row]:
    """Start gunicorn, check every scenario once, measure each; gunicorn is stopped on exit."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp, \
            gunicorn(args, env, port, Path(tmp) / "gunicorn.log") as server:
        log(f"server: {server_label(args)} on {base}")
        wanted = {"baseline", *args.scenarios.split(",")} if args.scenarios else set()
        scenarios = [s for s in build_scenarios(target, creds, ids, base, args.deep_pages, wanted)
                     if not wanted or s.name in wanted]
        for scenario in scenarios:
            check_scenario(base, scenario)
        log(f"load: {args.client}, {args.concurrency} connections, {args.warmup:g} s warm-up + "
            f"{args.duration:g} s per scenario")
        rows = [measure(s, base, args, server.pid) for s in scenarios]
    baseline = next(r for r in rows if r.kind == "baseline")
    for r in rows:
        r.vs_baseline = round(r.rps / baseline.rps, 3) if baseline.rps else 0.0
    return rows


def uptime() -> str:
    """The load averages (1, 5, 15 min): other work on a shared machine skews the figures."""
    with open("/proc/loadavg") as f:
        one, five, fifteen = f.read().split()[:3]
    return f"load average {one}, {five}, {fifteen}"


def server_label(args: argparse.Namespace) -> str:
    threads = f" x {args.threads} threads" if args.threads > 1 else ""
    return f"gunicorn {args.workers} x {args.worker_class}{threads}"


def report(args: argparse.Namespace, meta: dict, rows: list[Row]) -> None:
    shared = [r.scenario for r in rows if r.other_cores > BUSY_OTHER_CORES]
    if args.json:
        print(json.dumps({**meta, "machine_shared_during": shared,
                          "scenarios": [asdict(r) for r in rows]}, indent=2))
        return
    data = meta["data"]
    print(f"naikkelas {'API' if meta['target'] == 'api' else 'web list (no API yet)'} "
          f"benchmark: {args.rows:,} enterprises ({data['mode']}, {data['seconds']:.0f} s), "
          f"PostgreSQL {meta['postgresql']}, {server_label(args)} on {os.cpu_count()} cores, "
          f"{args.client} with {args.concurrency} connections, {args.duration:g} s per scenario")
    print(f"server: {SERVER_REASON}")
    print(f"uptime: before the run {meta['uptime']['before']}; after {meta['uptime']['after']}")
    print(f"target: list >= {TARGET_RPS:g} req/s and p95 < {TARGET_P95_MS:g} ms; "
          "x baseline = req/s relative to GET /api/v1/ in this run; cpu columns in cores "
          "(app = gunicorn, pg = its PostgreSQL backends, other = load client + everything else); "
          "cpu ms/req = (app + pg) CPU per request")
    print(table(rows))
    if shared:
        print(f"warning: other work used more than {BUSY_OTHER_CORES} cores during "
              f"{', '.join(shared)}: the machine was shared, absolute figures are low")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops gunicorn
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
    url = f"{args.postgres}/{args.database}"
    data = prepare_database(args, url)
    env = server_environment(url)
    setup_django(env)
    data.verified_classifications = bulk_registry.verify_classifications()
    log(f"data: {data.verified_classifications} stored size classes agree with "
        "services.classifications_for")
    target = choose_target(args)
    creds, ids, postgresql = persona_credentials(target), detail_ids(), server_version()
    from django.db import connections

    connections.close_all()
    load_before = uptime()  # what the scenarios start with, after the data work
    rows = run_scenarios(args, env, target, creds, ids)
    meta = {
        "uptime": {"before": load_before, "after": uptime()},
        "rows": args.rows, "data": asdict(data), "target": target, "postgresql": postgresql,
        "server": {"wsgi": args.wsgi, "workers": args.workers,
                   "worker_class": args.worker_class, "threads": args.threads,
                   "cores": os.cpu_count()},
        "load": {"client": args.client, "concurrency": args.concurrency,
                 "duration_s": args.duration, "warmup_s": args.warmup},
        "goal": {"list_rps_at_least": TARGET_RPS, "list_p95_ms_below": TARGET_P95_MS},
    }
    report(args, meta, rows)
    failed = any(r.errors for r in rows) or (
        args.fail_on_miss and any(r.target == "MISS" for r in rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
