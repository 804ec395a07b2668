"""Closed-loop HTTP load on loopback: `wrk` when installed, else a Python client in its own process.

Both take a fixed concurrency (connections that each send the next request when the previous
answer arrives), stop at a fixed duration or request budget, whichever comes first, and report
the same figures: requests, requests per second, latency percentiles and errors (failed
connections, timeouts and every non-2xx answer).

Run as a script it is the Python client: `python loadgen.py SPEC.json` prints one JSON line.
"""

import http.client
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Load:
    """One measured run: where to send what, how hard and for how long."""

    base_url: str  # http://127.0.0.1:PORT
    paths: tuple[str, ...]  # one path, or many picked at random (detail pages)
    headers: dict[str, str]
    duration: float
    concurrency: int
    max_requests: int
    timeout: float = 10.0


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run(load: Load, client: str = "auto") -> Result:
    """Apply the load with `client` ('wrk', 'python' or 'auto': wrk when it is on PATH)."""
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    return _run_wrk(load) if client == "wrk" else _run_python(load)


# --- wrk ---------------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = %(paths)s
local headers = %(headers)s
local budget = %(budget)d
local done_here = 0
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

init = function(args)
  math.randomseed(os.time() * 100 + seed)
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

response = function(status, hdrs, body)
  done_here = done_here + 1
  if done_here >= budget then wrk.thread:stop() end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, \\"p95_us\\": %%d, " ..
    "\\"p99_us\\": %%d, \\"errors\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # JSON string escapes are valid Lua string escapes for ASCII


def _lua_table(items) -> str:
    if isinstance(items, dict):
        return "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}"
                               for k, v in items.items()) + "}"
    return "{" + ", ".join(_lua_string(i) for i in items) + "}"


def _run_wrk(load: Load) -> Result:
    threads = min(2, load.concurrency)
    script = WRK_SCRIPT % {"paths": _lua_table(load.paths), "headers": _lua_table(load.headers),
                           "budget": max(1, load.max_requests // threads)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-") as lua:
        lua.write(script)
        lua.flush()
        command = ["wrk", f"-t{threads}", f"-c{load.concurrency}", f"-d{load.duration:g}s",
                   f"--timeout={load.timeout:g}s", "-s", lua.name, load.base_url]
        finished = subprocess.run(command, capture_output=True, text=True, check=False,
                                  timeout=load.duration + load.timeout + 30)
    line = next((ln for ln in finished.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if finished.returncode != 0 or line is None:
        output = finished.stderr or finished.stdout
        raise RuntimeError(f"wrk failed ({finished.returncode}): {output}")
    data = json.loads(line.removeprefix("RESULT "))
    return Result(requests=data["requests"], seconds=data["duration_us"] / 1e6,
                  p50_ms=data["p50_us"] / 1000, p95_ms=data["p95_us"] / 1000,
                  p99_ms=data["p99_us"] / 1000, errors=data["errors"])


# --- the Python client -------------------------------------------------------------------------

def _run_python(load: Load) -> Result:
    """The client runs in a child process, so its GIL and its CPU show up apart from ours."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="bench-") as spec:
        json.dump(asdict(load), spec)
        spec.flush()
        finished = subprocess.run([sys.executable, str(Path(__file__).resolve()), spec.name],
                                  capture_output=True, text=True, check=False,
                                  timeout=load.duration + load.timeout + 30)
    if finished.returncode != 0:
        raise RuntimeError(f"load client failed: {finished.stderr}")
    return Result(**json.loads(finished.stdout))


def _percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


class _Worker(threading.Thread):
    """One connection: request, read the whole answer, repeat; reconnect when the server closes."""

    def __init__(self, load: Load, deadline: float, budget: "_Budget", seed: int) -> None:
        super().__init__(daemon=True)
        self.load, self.deadline, self.budget = load, deadline, budget
        self.random = random.Random(seed)
        self.latencies: list[float] = []
        self.errors = 0

    def run(self) -> None:
        target = urlsplit(self.load.base_url)
        conn = None
        while time.perf_counter() < self.deadline and self.budget.take():
            conn = conn or http.client.HTTPConnection(target.hostname, target.port,
                                                      timeout=self.load.timeout)
            started = time.perf_counter()
            try:
                conn.request("GET", self.random.choice(self.load.paths), headers=self.load.headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.errors += 1
                conn.close()
                conn = None
                continue
            self.latencies.append(time.perf_counter() - started)
            if not 200 <= response.status < 300:
                self.errors += 1
            if response.will_close:
                conn.close()
                conn = None
        if conn:
            conn.close()


class _Budget:
    def __init__(self, total: int) -> None:
        self.left, self.lock = total, threading.Lock()

    def take(self) -> bool:
        with self.lock:
            self.left -= 1
            return self.left >= 0


def measure_here(load: Load) -> Result:
    started = time.perf_counter()
    budget = _Budget(load.max_requests)
    workers = [_Worker(load, started + load.duration, budget, seed)
               for seed in range(load.concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(load.duration + load.timeout + 5)
    seconds = time.perf_counter() - started
    latencies = sorted(x * 1000 for w in workers for x in w.latencies)
    return Result(requests=len(latencies), seconds=seconds,
                  p50_ms=_percentile(latencies, 50), p95_ms=_percentile(latencies, 95),
                  p99_ms=_percentile(latencies, 99), errors=sum(w.errors for w in workers))


if __name__ == "__main__":
    spec = json.loads(Path(sys.argv[1]).read_text())
    spec["paths"], spec["headers"] = tuple(spec["paths"]), dict(spec["headers"])
    print(json.dumps(asdict(measure_here(Load(**spec)))))
