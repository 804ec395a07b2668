"""Where the cores went during a run, from /proc (Linux): the gunicorn tree, PostgreSQL, the rest.

The figures show whether a run was limited by the application or by the database, and whether
something else on the machine was competing for it.
"""

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name ([1] ppid, [11] utime, [12] stime,
    [13] cutime, [14] cstime), or [] when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _process_seconds(pid: int) -> float:
    stat = _stat(pid)
    return (int(stat[11]) + int(stat[12])) / CLOCK_TICKS if stat else 0.0


def _process_tree_seconds(pid: int) -> float:
    """CPU seconds of the gunicorn master and its (live) workers."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return sum(_process_seconds(p) for p in [pid, *map(int, children)])


def _postgres_seconds() -> tuple[dict[int, float], float]:
    """CPU seconds of each PostgreSQL server process by pid, and what the postmaster's ended
    children (backends, parallel workers) used in total."""
    live, ended = {}, 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
        except OSError:
            continue
        stat = _stat(int(entry.name))
        if not stat:
            continue
        live[int(entry.name)] = (int(stat[11]) + int(stat[12])) / CLOCK_TICKS
        if not _is_postgres(int(stat[1])):  # the postmaster: it reaps every other process
            ended += (int(stat[13]) + int(stat[14])) / CLOCK_TICKS
    return live, ended


def _is_postgres(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
    except OSError:
        return False


@dataclass
class CpuSample:
    busy: float
    app: float
    db: dict[int, float]
    db_ended: float

    @classmethod
    def take(cls, server_pid: int) -> "CpuSample":
        live, ended = _postgres_seconds()
        return cls(machine_busy_seconds(), _process_tree_seconds(server_pid), live, ended)

    def db_since(self, before: "CpuSample", only: set[int] | None = None) -> float:
        """PostgreSQL CPU between two samples, including processes that started or ended; with
        `only`, those backends alone (the server's own connections, not every database's work
        on a shared machine)."""
        if only is not None:
            return sum(s - before.db.get(pid, 0.0) for pid, s in self.db.items() if pid in only)
        lived = sum(s - before.db.get(pid, 0.0) for pid, s in self.db.items())
        gone = sum(s for pid, s in before.db.items() if pid not in self.db)
        return lived + (self.db_ended - before.db_ended) - gone


def wait_until_quiet(limit: float, idle_cores: float = 0.25) -> None:
    """Wait (at most `limit` seconds) until the machine, with our server idle, is idle too."""
    deadline = time.monotonic() + limit
    waited = False
    while True:
        busy = machine_busy_seconds()
        time.sleep(1)
        if machine_busy_seconds() - busy < idle_cores or time.monotonic() >= deadline:
            break
        if not waited:
            print("  waiting for other work on the machine to finish ...", file=sys.stderr,
                  flush=True)
            waited = True
