"""`python -m bench`: load-test the gateway against a one-SQL-statement reference endpoint.

    python -m bench                         # SQLite and PostgreSQL (when it answers), 7 to 8 minutes
    python -m bench --quick                 # smoke run: one worker, 10 connections, 3 s per measurement
    python -m bench --compare A.json B.json # before/after table

See bench/README.md for what is measured and what each column means.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import corpus, report
from bench.runner import (
    HOST,
    REPO_DIR,
    BenchError,
    Processes,
    RssSampler,
    free_port,
    http,
    run,
    run_wrk,
    wait_idle,
    wait_ready,
    wrk_path,
    wrk_version,
)

# Fixed so that tokens printed by `partner-gateway token` verify in the server; never a real secret.
JWT_SECRET = "bench-only-not-a-secret-0123456789abcdef"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
# Upper bound on couponIssue answers per second when checking that the quota lasts the run.
ISSUE_RATE_CEILING = 1000
MAX_WINDOW_S = 30
TRACES_MODES = ("off", "noop", "console", "otlp")


@dataclass
class Settings:
    backends: list[str]
    workers: list[int]
    concurrency: list[int]
    duration_s: int
    warmup_s: int
    seed_size: int
    wrk_threads: int = 2
    # GATEWAY_TRACES of the gateway under test (off, noop, console, otlp); with two or more, one
    # gateway per mode, taking turns with each other and the reference: what tracing costs.
    traces: list[str] = field(default_factory=lambda: ["off"])
    queries: list[str] = field(default_factory=lambda: [q.key for q in corpus.QUERIES])
    # Each measurement this many times, the targets taking turns in a rotating order.
    rounds: int = 1

    def measurements_per_backend(self) -> int:
        targets = sum(len(self.traces) + (1 if q.reference_path else 0) for q in corpus.QUERIES if q.key in self.queries)
        return len(self.workers) * len(self.concurrency) * targets * self.rounds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smoke run: --workers 1, --concurrency 10, 3 s per measurement (about 1 minute per backend)")
    p.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres (default: both; postgres is skipped when it does not answer)")
    p.add_argument("--duration", type=int, help="seconds per measurement (default 5, --quick 3)")
    p.add_argument("--warmup", type=int, default=1, help="seconds of warm-up load before each measurement (default 1)")
    p.add_argument("--workers", default=None, help="comma-separated server worker counts (default 1,2; --quick 1)")
    p.add_argument("--concurrency", default=None, help="comma-separated wrk connection counts (default 10,50; --quick 10)")
    p.add_argument("--queries", default=",".join(q.key for q in corpus.QUERIES), help="subset of Q1..Q6 (default all)")
    p.add_argument("--size", type=int, default=200, help="partner-gateway seed --size (default 200)")
    p.add_argument("--postgres-url", default=POSTGRES_URL, help=f"an existing database to connect through (default {POSTGRES_URL})")
    p.add_argument("--traces", default="off",
                   help="GATEWAY_TRACES of the gateway: off (default), noop (every span recorded, then dropped), console, otlp; "
                        "comma-separated (off,noop) for one gateway per mode, taking turns: the cost of tracing")
    p.add_argument("--rounds", type=int, default=1, help="each measurement this many times, the targets taking turns (default 1)")
    p.add_argument("--out", type=Path, help="result JSON (default bench/results/<timestamp>.json)")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("A.json", "B.json"), help="print a before/after table and exit")
    return p.parse_args(argv)


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def settings_from(args: argparse.Namespace) -> Settings:
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(backends) - {"sqlite", "postgres"}:
        raise SystemExit(f"unknown backend(s): {', '.join(sorted(unknown))}")
    queries = [q.strip().upper() for q in args.queries.split(",") if q.strip()]
    if unknown := set(queries) - {q.key for q in corpus.QUERIES}:
        raise SystemExit(f"unknown query(ies): {', '.join(sorted(unknown))}")
    traces = list(dict.fromkeys(t.strip().lower() for t in args.traces.split(",") if t.strip())) or ["off"]
    if unknown := set(traces) - set(TRACES_MODES):
        raise SystemExit(f"unknown --traces mode(s): {', '.join(sorted(unknown))}")
    return Settings(
        backends=backends,
        workers=_ints(args.workers or ("1" if args.quick else "1,2")),
        concurrency=_ints(args.concurrency or ("10" if args.quick else "10,50")),
        duration_s=args.duration or (3 if args.quick else 5),
        warmup_s=args.warmup,
        seed_size=args.size,
        queries=queries,
        traces=traces,
        rounds=max(1, args.rounds),
    )


# --- machine and databases ---------------------------------------------------------------------

def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO_DIR, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_facts() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in _read_lines("/proc/cpuinfo") if ln.startswith("model name")), "unknown")
    mem = next((ln.split(":", 1)[1].strip() for ln in _read_lines("/proc/meminfo") if ln.startswith("MemTotal")), "unknown")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version(),
        "git_commit": _git("rev-parse", "--short", "HEAD") or "unknown",
        # Changes outside bench/ mean the numbers are not those of the commit alone.
        "git_dirty": bool(_git("status", "--porcelain", "--", ".", ":(exclude)bench")),
        "load_average_at_start": os.getloadavg(),
    }


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


async def _pg(url: str, sql: str) -> str:
    import asyncpg

    connection = await asyncpg.connect(url, timeout=5)
    try:
        return str(await connection.fetchval(sql))
    finally:
        await connection.close()


def postgres_version(url: str) -> str | None:
    try:
        return asyncio.run(asyncio.wait_for(_pg(url, "SHOW server_version"), 10))
    except Exception:
        return None


@contextlib.contextmanager
def database(backend: str, tmp: Path, postgres_url: str) -> Iterator[str]:
    """A fresh, empty database for one backend, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite://{tmp / 'bench.db'}"
        return
    name = f"bench_{secrets.token_hex(4)}"
    asyncio.run(_pg(postgres_url, f'CREATE DATABASE "{name}"'))
    try:
        parts = urlsplit(postgres_url)
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        # FORCE: a server that did not stop in time must not keep the database alive.
        asyncio.run(_pg(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def gateway_cli() -> list[str]:
    """`partner-gateway` as this interpreter runs it from this checkout (the processes start in
    REPO_DIR): an installed console script may be another checkout's, which would be measured instead."""
    return [sys.executable, "-m", "gateway"]


def gateway_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "GATEWAY_DATABASE_URL": url,
        "GATEWAY_JWT_SECRET": JWT_SECRET,
        "GATEWAY_SQL_STATEMENT_HEADER": "true",
        "GATEWAY_LOG_LEVEL": "WARNING",
        # wrk sends thousands of requests a second from one address as one account: rate limits would
        # answer most of them with 429 and the benchmark would measure the refusals.
        "GATEWAY_RATE_LIMIT_ENABLED": "false",
        # Off unless a gateway is started with a mode (`measure`), so that a GATEWAY_TRACES of the
        # caller's never slips into a run unnoticed.
        "GATEWAY_TRACES": "off",
    }


# --- one backend -------------------------------------------------------------------------------

@dataclass
class Backend:
    name: str
    url: str
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)
    issue: tuple[str, Decimal, str] | None = None  # quota id, available at start, customer id
    facts: dict = field(default_factory=dict)


def prepare(backend: Backend, settings: Settings) -> None:
    cli = gateway_cli()
    started = time.monotonic()
    run([*cli, "migrate"], backend.env, timeout=300)
    backend.facts["seed"] = run([*cli, "seed", "--size", str(settings.seed_size)], backend.env, timeout=600).strip()
    backend.facts["migrate_and_seed_s"] = round(time.monotonic() - started, 1)
    backend.tokens = {account: run([*cli, "token", account], backend.env, timeout=60).strip() for account in corpus.ACCOUNTS}
    print(f"[{backend.name}] migrated and seeded --size {settings.seed_size} in {backend.facts['migrate_and_seed_s']} s", flush=True)


def graphql(url: str, query: corpus.Query | str, token: str, variables: dict | None = None) -> tuple[int, dict[str, str], dict]:
    body = query.body(variables) if isinstance(query, corpus.Query) else json.dumps({"query": query, "variables": variables})
    status, headers, raw = http(url, body.encode(), token)
    try:
        return status, headers, json.loads(raw)
    except ValueError:
        return status, headers, {"raw": raw[:500].decode(errors="replace")}


def first_difference(a, b, path: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{path or '/'}: {str(a)[:60]!r} vs {str(b)[:60]!r}"
    if isinstance(a, dict):
        for k in dict.fromkeys([*a, *b]):
            if (d := first_difference(a.get(k), b.get(k), f"{path}/{k}")) is not None:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        return next((d for i, (x, y) in enumerate(zip(a, b, strict=False)) if (d := first_difference(x, y, f"{path}/{i}"))), None)
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def solo_ms(url: str, body: str, token: str | None, n: int = 5) -> float:
    """Median time of n requests one after another: the cost of one request on an idle server."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        http(url, body.encode(), token)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def check_answers(backend: Backend, gw_url: str, ref_url: str, bodies: dict[str, str],
                  notes: list[str]) -> dict[tuple[str, str], dict]:
    """Per query and target: the answer must be clean (and the reference's equal to the gateway's);
    X-SQL-Statements of one request (a query's second: its caller's principal cached, as under
    load); the median time of a request alone."""
    facts: dict[tuple[str, str], dict] = {}
    for q in (q for q in corpus.QUERIES if q.key in bodies):
        token = backend.tokens[q.account]
        status, headers, raw = http(gw_url, bodies[q.key].encode(), token)
        answer = json.loads(raw) if raw.startswith(b"{") else {}
        payload = (answer.get("data") or {}).get("couponIssue") if q.mutation else None
        if status != 200 or "errors" in answer or not answer.get("data") or (q.mutation and (not payload or payload["userErrors"])):
            raise BenchError(f"{q.key} as {q.account} does not answer cleanly (HTTP {status}): {raw[:600]!r}")
        if not q.mutation:
            # Under load a caller's principal is cached after its first request: count one after it.
            _, headers, _ = http(gw_url, bodies[q.key].encode(), token)
        count = headers.get("x-sql-statements")
        if count is None:
            notes.append(f"{backend.name}: no X-SQL-Statements header on {q.key} (GATEWAY_SQL_STATEMENT_HEADER not honoured?)")
        facts[q.key, "gateway"] = {"sql_statements": int(count) if count is not None else None,
                                   "solo_ms": solo_ms(gw_url, bodies[q.key], token)}
        if q.reference_path:
            url = ref_url + q.reference_path
            ref_status, _, ref_raw = http(url, bodies[q.key].encode())
            reference = json.loads(ref_raw) if ref_status == 200 else {"status": ref_status}
            # `extensions` (the operation's cost) is the gateway's own metadata, not data the reference has.
            data_only = {k: v for k, v in answer.items() if k != "extensions"}
            if (diff := first_difference(data_only, reference)) is not None:
                notes.append(f"{backend.name}: the reference answer to {q.key} differs from the gateway's at {diff}")
            facts[q.key, "reference"] = {"sql_statements": 1, "solo_ms": solo_ms(url, bodies[q.key], None)}
    return facts


def find_issue_target(backend: Backend, gw_url: str, settings: Settings, notes: list[str]) -> None:
    _, _, answer = graphql(gw_url, corpus.ISSUE_TARGET, backend.tokens[corpus.ISSUER])
    try:
        backend.issue = corpus.pick_issue_target(answer)
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"cannot set up Q4 ({corpus.ISSUER}): {exc}") from exc
    quota_id, available, _ = backend.issue
    planned_s = len(settings.workers) * len(settings.concurrency) * (settings.duration_s + settings.warmup_s)
    needed = corpus.ISSUE_FACE_VALUE * ISSUE_RATE_CEILING * planned_s
    backend.facts["q4_quota"] = {"id": quota_id, "available_at_start": str(available), "worst_case_need": str(needed)}
    if available < needed:
        notes.append(
            f"{backend.name}: Q4's quota holds {available}, enough for {available / corpus.ISSUE_FACE_VALUE:.0f} issues; "
            f"{ISSUE_RATE_CEILING}/s for {planned_s} s would need {needed}. If Q4 shows userErrors (INSUFFICIENT_FUNDS), "
            "raise the quota total in gateway/seed/synthetic.py (_coupons: quota.total = used * 3/2 rounded up to 10,000)."
        )


def quota_left(backend: Backend, gw_url: str) -> str | None:
    assert backend.issue is not None
    _, _, answer = graphql(gw_url, corpus.QUOTA_LEFT, backend.tokens[corpus.ISSUER], {"id": backend.issue[0]})
    node = (answer.get("data") or {}).get("node") or {}
    return (node.get("available") or {}).get("amount")


def round_s(solo_ms: float, connections: int, workers: int) -> float:
    """About how long one request takes when `connections` requests share the server's CPUs."""
    # Workers share the CPUs with wrk and the database: count each one after the first as half.
    speedup = 1 + 0.5 * (min(workers, os.cpu_count() or 1) - 1)
    return connections * solo_ms / 1000 / speedup


def window(settings: Settings, one_round_s: float) -> int:
    """The measurement's length: --duration, or longer for a slow request under many connections.

    The server interleaves the requests in flight, so with 50 connections the first answers come
    only after about 50 x the time of one request; a window shorter than a few such rounds counts
    almost none and reports a throughput near zero. Three rounds, at most MAX_WINDOW_S.
    """
    return max(settings.duration_s, min(MAX_WINDOW_S, math.ceil(3 * one_round_s)))


@dataclass
class Target:
    name: str  # gateway or reference
    url: str
    proc: subprocess.Popen
    log: str  # its log's name in Processes


def measure_one(backend: Backend, settings: Settings, workers: int, q: corpus.Query, connections: int, target: Target,
                body: str, facts: dict, procs: Processes, notes: list[str]) -> dict:
    token = backend.tokens[q.account]
    label = f"{backend.name} w{workers} {q.key} c{connections} {target.name}"
    if settings.warmup_s:
        # At most 10 connections: enough to warm pools and caches, and the requests wrk abandons
        # at its end are few, so the wait for the server to drain them is short.
        run_wrk(target.url, body, token, min(connections, 10), settings.warmup_s, check_body=q.mutation,
                threads=settings.wrk_threads)
        wait_idle(target.proc.pid)
    one_round = round_s(facts["solo_ms"], connections, workers)
    seconds = window(settings, one_round)
    log_offset = procs.log_size(target.log)
    with RssSampler(target.proc.pid) as rss:
        w = run_wrk(target.url, body, token, connections, seconds, check_body=q.mutation, threads=settings.wrk_threads)
    drained = wait_idle(target.proc.pid)
    if seconds > settings.duration_s:
        notes.append(f"{label}: measured over {seconds} s, not {settings.duration_s} s: "
                     f"one round of {connections} requests takes about {one_round:.1f} s")
    if w.requests < 2 * connections:
        notes.append(f"{label}: only {w.requests} requests in {seconds} s, so its numbers are rough (try a longer --duration)")
    row = {
        "backend": backend.name, "workers": workers, "query": q.key, "title": q.title, "concurrency": connections,
        "target": target.name, **facts, "peak_rss_mb": round(rss.peak_kb / 1024, 1),
        **{k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(w).items()},
        "bytes_per_request": round(w.bytes / w.requests) if w.requests else 0, "drain_s": round(drained, 1),
        # Masked as INTERNAL_SERVER_ERROR in the answers; the server log says what went wrong.
        "server_exceptions": procs.exceptions_since(target.log, log_offset),
    }
    print(f"[{label}] {w.rps:8.1f} req/s  p50 {w.p50_ms:8.1f} ms  p99 {w.p99_ms:8.1f} ms  RSS {row['peak_rss_mb']:4.0f} MB"
          + (f"  errors {report.error_count(row)}" if report.error_count(row) else ""), flush=True)
    return row


def gateway_name(settings: Settings, traces: str) -> str:
    """The gateway's target name: `gateway`, or `gateway:noop` when several tracing modes take turns."""
    return "gateway" if len(settings.traces) == 1 else f"gateway:{traces}"


def measure(backend: Backend, settings: Settings, workers: int, procs: Processes, results: list[dict], notes: list[str]) -> None:
    """Start the gateway (one per tracing mode) and the reference with `workers` workers, check
    them, run every measurement."""
    cli = gateway_cli()
    gateways: list[Target] = []
    started: list[subprocess.Popen] = []
    ref_name = f"{backend.name}-reference-w{workers}"
    try:
        for traces in settings.traces:
            name, port = gateway_name(settings, traces), free_port()
            log = f"{backend.name}-{name.replace(':', '-')}-w{workers}"
            proc = procs.start(log, [*cli, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
                               {**backend.env, "GATEWAY_TRACES": traces})
            started.append(proc)
            wait_ready(f"http://{HOST}:{port}/healthz", proc)
            gateways.append(Target(name, f"http://{HOST}:{port}/graphql", proc, log))
        ref_port = free_port()
        ref = procs.start(ref_name, [sys.executable, "-m", "uvicorn", "bench.reference:app", "--host", HOST,
                                     "--port", str(ref_port), "--workers", str(workers), "--log-level", "warning",
                                     "--no-access-log"], backend.env)
        started.append(ref)
        ref_base = f"http://{HOST}:{ref_port}"
        wait_ready(ref_base + "/healthz", ref)
        gw_url = gateways[0].url
        queries = [q for q in corpus.QUERIES if q.key in settings.queries]
        if backend.issue is None and any(q.mutation for q in queries):
            find_issue_target(backend, gw_url, settings, notes)
        bodies = {q.key: q.body(corpus.issue_variables(backend.issue[0], backend.issue[2]) if q.mutation else None)
                  for q in queries}
        facts = {gw.name: check_answers(backend, gw.url, ref_base, bodies, notes) for gw in gateways}
        for proc in started:
            wait_idle(proc.pid)
        for q in queries:
            for connections in settings.concurrency:
                # The gateways and the reference take turns, so drift on the machine hits them all alike;
                # each round starts with the next one, so none is always the first after a pause.
                targets = list(gateways)
                if q.reference_path:
                    targets.append(Target("reference", ref_base + q.reference_path, ref, ref_name))
                for round_no in range(settings.rounds):
                    shift = round_no % len(targets)
                    for target in targets[shift:] + targets[:shift]:
                        fact = facts[gateways[0].name][q.key, "reference"] if target.name == "reference" \
                            else facts[target.name][q.key, "gateway"]
                        row = measure_one(backend, settings, workers, q, connections, target, bodies[q.key], fact, procs, notes)
                        results.append({**row, "round": round_no + 1})
        if backend.issue is not None:
            backend.facts["q4_quota"][f"available_after_workers_{workers}"] = quota_left(backend, gw_url)
    except BenchError:
        for name in [gw.log for gw in gateways] + [ref_name]:
            if tail := procs.log_tail(name):
                print(f"--- last lines of {name}.log ---\n{tail}", file=sys.stderr)
        raise
    finally:
        for proc in started:
            procs.stop(proc)


# --- main --------------------------------------------------------------------------------------

def _interrupt(signum, frame):
    # SIGTERM takes the same path as Ctrl-C, through every finally block.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        print(report.compare(*args.compare))
        return 0
    if not wrk_path():
        print("wrk is not installed. Install it with:  apt-get install -y wrk", file=sys.stderr)
        return 2
    settings = settings_from(args)
    signal.signal(signal.SIGTERM, _interrupt)
    # Also when started in the background by a shell that ignores SIGINT for its jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    started_at, started = datetime.now(UTC), time.monotonic()
    out = args.out or REPO_DIR / "bench" / "results" / f"{started_at:%Y%m%d-%H%M%S}.json"
    run_data: dict = {"started_at": started_at.isoformat(timespec="seconds"), "machine": machine_facts(),
                      "settings": asdict(settings), "backends": {}, "notes": [], "results": [], "complete": False}
    notes, results = run_data["notes"], run_data["results"]
    per_backend = settings.measurements_per_backend() * (settings.duration_s + settings.warmup_s)
    print(f"commit {run_data['machine']['git_commit']}; {settings.measurements_per_backend()} measurements per backend, "
          f"about {per_backend / 60:.1f} min of load per backend", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="partner-gateway-bench-"))
    procs = Processes(tmp)
    status = 0
    try:
        for name in settings.backends:
            if name == "postgres":
                version = postgres_version(args.postgres_url)
                if version is None:
                    notes.append(f"postgres: skipped, nothing answers at {args.postgres_url}")
                    print(notes[-1], flush=True)
                    continue
            with database(name, tmp, args.postgres_url) as url:
                backend = Backend(name, url, gateway_env(url))
                backend.facts["server_version"] = version if name == "postgres" else sqlite3.sqlite_version
                run_data["backends"][name] = backend.facts
                prepare(backend, settings)
                for workers in settings.workers:
                    measure(backend, settings, workers, procs, results, notes)
                if quota := backend.facts.get("q4_quota"):
                    left = [v for k, v in quota.items() if k.startswith("available_after")]
                    notes.append(f"{name}: Q4 issued from quota {quota['id']}: {quota['available_at_start']} available "
                                 f"at start, {left[-1] if left else '?'} left at the end")
        run_data["complete"] = True
    except KeyboardInterrupt:
        print("\nInterrupted; stopping servers.", file=sys.stderr)
        notes.append("interrupted: partial results")
        status = 130
    except BenchError as exc:
        print(f"\nbench failed: {exc}", file=sys.stderr)
        notes.append(f"failed: {exc}")
        status = 1
    finally:
        procs.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    run_data["wall_seconds"] = round(time.monotonic() - started, 1)
    run_data["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report.add_ratios(results)
    if results:
        print("\n" + report.header(run_data))
        print(report.tables(run_data))
        report.write(run_data, out)
        print(f"\nWrote {out} ({run_data['wall_seconds'] / 60:.1f} min wall time)")
    return status


if __name__ == "__main__":
    sys.exit(main())
