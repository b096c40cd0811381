"""Processes, ports, HTTP probes, memory sampling and wrk: everything that touches the OS.

Every process is started in its own session so that stopping it can signal the whole group
(uvicorn's worker children included), and so that a Ctrl-C in the terminal reaches only the
benchmark, whose `finally` then stops them in order.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Self

HOST = "127.0.0.1"
BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
LUA_SCRIPT = BENCH_DIR / "post.lua"
RESULT_PREFIX = "BENCH_RESULT "
# The last line of a logged traceback, e.g. "sqlite3.OperationalError: database is locked".
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception): .*$", re.MULTILINE)


class BenchError(RuntimeError):
    """A failure worth one clear line to the user rather than a traceback."""


def free_port() -> int:
    # The port is free when we look; a clash before the server binds shows up as a start failure.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run(cmd: list[str], env: dict[str, str], timeout: float) -> str:
    """A short command (migrate, seed, token); its stdout, or BenchError with its output."""
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO_DIR, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{' '.join(cmd)} took longer than {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


class Processes:
    """The long-running processes of one benchmark run; `stop_all` in a finally block."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.running: list[tuple[subprocess.Popen, str]] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - the child owns it until it exits
        try:
            proc = subprocess.Popen(cmd, env=env, cwd=REPO_DIR, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        self.running.append((proc, name))
        return proc

    def log_size(self, name: str) -> int:
        path = self.log_dir / f"{name}.log"
        return path.stat().st_size if path.exists() else 0

    def exceptions_since(self, name: str, offset: int) -> dict[str, int]:
        """'Type: message' of the exceptions a server logged after `offset`, most frequent first."""
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return {}
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read().decode(errors="replace")
        found = Counter(m.group(0)[:160] for m in EXCEPTION_LINE.finditer(text))
        return dict(found.most_common())

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self, proc: subprocess.Popen) -> None:
        self.running = [(p, n) for p, n in self.running if p is not proc]
        _stop_group(proc)

    def stop_all(self) -> None:
        while self.running:
            self.stop(self.running[-1][0])


def _stop_group(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM to the whole group, SIGKILL to whatever is left after `grace` seconds."""
    _signal_group(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        # The leader may be gone while its children still hold the port and memory.
        if proc.poll() is not None and not _group_alive(proc.pid):
            return
        time.sleep(0.1)
    _signal_group(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def http(url: str, body: bytes | None = None, token: str | None = None, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"the server behind {url} exited with {proc.returncode} while starting")
        try:
            if http(url, timeout=2.0)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"{url} did not answer within {timeout:.0f} s")


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def process_tree(root: int) -> list[int]:
    """The root and all its descendants (uvicorn's supervisor and its worker processes)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; the fields after the last ")" do not.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_idle(root_pid: int, timeout: float = 120.0, interval: float = 0.1) -> float:
    """Wait until the server tree stops using CPU; the seconds waited.

    wrk abandons its in-flight requests when it stops, but the server still works through them
    (50 queued GraphQL requests can be seconds of work); the next measurement must not pay for them.
    """
    started = time.monotonic()
    idle_ticks = max(1.0, os.sysconf("SC_CLK_TCK") * interval * 0.1)  # at most 10 % of one CPU
    quiet = 0
    last = sum(_cpu_ticks(pid) for pid in process_tree(root_pid))
    while time.monotonic() - started < timeout and quiet < 2:
        time.sleep(interval)
        now = sum(_cpu_ticks(pid) for pid in process_tree(root_pid))
        quiet = quiet + 1 if now - last <= idle_ticks else 0
        last = now
    return time.monotonic() - started


class RssSampler:
    """Peak of the summed VmRSS of a process tree, sampled every 0.2 s while in the `with` block."""

    def __init__(self, root_pid: int, interval: float = 0.2) -> None:
        self.root_pid, self.interval = root_pid, interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            total = sum(_rss_kb(pid) for pid in process_tree(self.root_pid))
            self.peak_kb = max(self.peak_kb, total)
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if not path:
        return "missing"
    done = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10, check=False)
    return (done.stdout + done.stderr).splitlines()[0].strip() if (done.stdout + done.stderr) else "unknown"


@dataclass
class WrkResult:
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    bytes: int
    non_2xx: int
    socket_errors: int
    timeouts: int
    user_errors: int
    graphql_errors: int
    error_sample: str  # the start of the first answer with errors or userErrors


def run_wrk(url: str, body: str, token: str | None, connections: int, seconds: float, *, check_body: bool = False,
            threads: int = 2) -> WrkResult:
    env = {**os.environ, "BENCH_BODY": body, "BENCH_TOKEN": token or "", "BENCH_CHECK_BODY": "1" if check_body else "0"}
    # A generous timeout: wrk's 2 s default would drop the slowest answers from the percentiles.
    cmd = [wrk_path() or "wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
           "--timeout", "30s", "--latency", "-s", str(LUA_SCRIPT), url]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=seconds + 60)
    finally:
        if proc.poll() is None:
            _stop_group(proc, grace=2.0)
    line = next((ln for ln in out.splitlines() if ln.startswith(RESULT_PREFIX)), None)
    if proc.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({proc.returncode}) against {url}:\n{out}{err}")
    r = json.loads(line.removeprefix(RESULT_PREFIX))
    duration = r["duration_us"] / 1e6
    return WrkResult(
        requests=r["requests"], duration_s=duration, rps=r["requests"] / duration if duration else 0.0,
        p50_ms=r["p50_us"] / 1000, p90_ms=r["p90_us"] / 1000, p99_ms=r["p99_us"] / 1000, max_ms=r["max_us"] / 1000,
        bytes=r["bytes"], non_2xx=r["errors_status"], socket_errors=r["errors_connect"] + r["errors_read"] + r["errors_write"],
        timeouts=r["errors_timeout"], user_errors=r["user_errors"], graphql_errors=r["graphql_errors"],
        error_sample=r["error_sample"],
    )
