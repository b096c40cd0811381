"""`python -m bench.profile`: the corpus queries in-process, without HTTP sockets or wrk.

    python -m bench.profile                          # Q1,Q2,Q5 x 50 on a fresh PostgreSQL database
    python -m bench.profile --queries Q1 -n 200 --profile
    python -m bench.profile --database-url postgres://postgres@127.0.0.1:5432/bench_profile --keep

Each request goes through the whole ASGI app (authentication, strawberry, resolvers, the database
driver, JSON encoding) called as a coroutine, one after another, so ms/request is the server's own
cost of one request with nothing queued. `--profile` wraps the timed loop in pyinstrument
(`pip install pyinstrument`) and prints its tree; `--profile-html PATH` writes the HTML view.

The database is seeded as the benchmark seeds it (`partner-gateway migrate` and `seed --size`).
Without `--database-url` a fresh PostgreSQL database is created through `--postgres-url` and
dropped afterwards; with it, the database is used as is and seeded only when it has no partners,
and `--keep` leaves it for the next run (seeding 200 partners takes a while).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import corpus
from bench.__main__ import JWT_SECRET, POSTGRES_URL, _pg, gateway_cli, gateway_env
from bench.runner import BenchError, run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--queries", default="Q1,Q2,Q5", help="subset of the read queries Q1,Q2,Q3,Q5,Q6 (default Q1,Q2,Q5)")
    p.add_argument("-n", "--requests", type=int, default=50, help="timed requests per query (default 50)")
    p.add_argument("--warmup", type=int, default=5, help="untimed requests per query first (default 5)")
    p.add_argument("--size", type=int, default=200, help="seed size for a fresh database (default 200)")
    p.add_argument("--postgres-url", default=POSTGRES_URL, help="where to create the fresh database")
    p.add_argument("--database-url", help="use this database instead of a fresh one (seeded when empty)")
    p.add_argument("--keep", action="store_true", help="with --database-url: never drop it (the default for a given URL)")
    p.add_argument("--traces", default="off", choices=["off", "noop", "console", "otlp"],
                   help="GATEWAY_TRACES of the app (default off; noop: spans recorded, then dropped)")
    p.add_argument("--profile", action="store_true", help="print a pyinstrument tree of the timed requests")
    p.add_argument("--profile-all", action="store_true", help="show library frames too")
    p.add_argument("--layers", action="store_true", help="with --profile: also the share of time spent in each layer")
    p.add_argument("--profile-html", type=Path, help="also write pyinstrument's HTML view here")
    return p.parse_args(argv)


def _asgi_request(path: str, body: bytes, token: str) -> tuple[dict, object]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"profile.local"), (b"content-type", b"application/json"),
                    (b"authorization", f"Bearer {token}".encode()), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # no disconnect while the answer is being made
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return scope, receive


async def call(app, body: bytes, token: str) -> tuple[int, bytes, dict[str, str]]:
    scope, receive = _asgi_request("/graphql", body, token)
    status, chunks, headers = 0, [], {}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers.update({k.decode().lower(): v.decode() for k, v in message.get("headers", [])})
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks), headers


async def measure(url: str, queries: list[corpus.Query], tokens: dict[str, str], args: argparse.Namespace) -> None:
    from gateway.app import create_app, settle_memory
    from gateway.config import Settings
    from gateway.database import open_database

    settings = Settings(database_url=url, jwt_secret=JWT_SECRET, sql_statement_header=True, log_level="WARNING",
                        rate_limit_enabled=False, traces=args.traces)  # as the benchmark runs it
    app = create_app(settings, manage_database=False)
    profiler = None
    if args.profile or args.profile_html:
        try:
            from pyinstrument import Profiler
        except ImportError as exc:
            raise BenchError("--profile needs pyinstrument: pip install pyinstrument") from exc
        profiler = Profiler(async_mode="disabled", interval=0.0005)
    async with open_database(settings, loop_reads=True):  # as the server opens it
        settle_memory()  # and as it starts serving (gateway/app.py's lifespan)
        for q in queries:
            body, token = q.body().encode(), tokens[q.account]
            status, raw, headers = await call(app, body, token)
            answer = json.loads(raw)
            if status != 200 or answer.get("errors"):
                raise BenchError(f"{q.key} does not answer cleanly (HTTP {status}): {raw[:400]!r}")
            for _ in range(args.warmup):
                await call(app, body, token)
            if profiler is not None:
                profiler.start()
            times = []
            cpu_started = time.process_time()
            for _ in range(args.requests):
                started = time.perf_counter()
                _, _, headers = await call(app, body, token)  # the count shown: a request's under load
                times.append((time.perf_counter() - started) * 1000)
            cpu_ms = (time.process_time() - cpu_started) * 1000 / args.requests
            if profiler is not None:
                profiler.stop()
            times.sort()
            # CPU ms is this process's own time (the gateway's share, without the database's): the
            # steadier number on a machine shared with other work.
            print(f"{q.key:3} {statistics.mean(times):7.2f} ms/request  cpu {cpu_ms:6.2f}  p50 {statistics.median(times):6.2f}  "
                  f"p90 {times[int(len(times) * 0.9) - 1]:6.2f}  min {times[0]:6.2f}  "
                  f"SQL {headers.get('x-sql-statements', '?'):>2}  {len(raw)} bytes  ({q.title})", flush=True)
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=args.profile_all))
        if args.layers:
            print_layers(profiler.last_session)
        if args.profile_html:
            args.profile_html.write_text(profiler.output_html())
            print(f"wrote {args.profile_html}")


# Where a sample's own time is spent, by the file of the innermost frame: first match wins.
LAYERS = [
    ("graphql-core (execution, completion)", ("/graphql/",)),
    ("strawberry (resolver wrappers, types, HTTP view)", ("/strawberry/",)),
    ("tortoise + pypika (query building)", ("/tortoise/", "/pypika")),
    ("asyncpg / aiosqlite (driver)", ("/asyncpg/", "/aiosqlite/", "sqlite3")),
    ("starlette (HTTP, middleware)", ("/starlette/",)),
    ("gateway/ (auth, limits, transport)", ("/gateway/",)),
    ("schema/ (types, relay, row building, one-pass lists)", ("/schema/",)),
    ("resolvers/ (scoping, pagination, rows)", ("/resolvers/",)),
    ("orjson (answer encoding)", ("orjson",)),
    ("event loop and the rest", ("",)),
]


def print_layers(session) -> None:
    totals = {name: 0.0 for name, _ in LAYERS}

    def visit(frame) -> None:
        own = frame.time - sum(child.time for child in frame.children)
        # Synthetic "[self]" leaves and built-ins (`<built-in>`) count for the code that called them.
        owner = frame
        while owner.parent is not None and (owner.is_synthetic or not owner.file_path or owner.file_path.startswith("<")):
            owner = owner.parent
        path = owner.file_path or ""
        for name, needles in LAYERS:
            if any(n in path for n in needles):
                totals[name] += max(own, 0.0)
                break
        for child in frame.children:
            visit(child)

    root = session.root_frame()
    if root is None:
        return
    visit(root)
    whole = sum(totals.values()) or 1.0
    print("own time by layer:")
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * seconds / whole:5.1f} %  {name}")


def seed_if_empty(url: str, size: int) -> None:
    env = gateway_env(url)
    cli = gateway_cli()
    run([*cli, "migrate"], env, timeout=300)
    try:
        run([*cli, "seed", "--size", str(size)], env, timeout=900)
        print(f"seeded --size {size}", flush=True)
    except BenchError as exc:
        if "already has partners" not in str(exc):
            raise


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = [k.strip().upper() for k in args.queries.split(",") if k.strip()]
    queries = [q for q in corpus.QUERIES if q.key in wanted and not q.mutation]
    if len(queries) != len(wanted):
        raise SystemExit(f"unknown or mutating queries in {args.queries!r} (Q4 changes data; use python -m bench)")
    fresh = args.database_url is None
    url = args.database_url
    if fresh:
        name = f"bench_{secrets.token_hex(4)}"
        asyncio.run(_pg(args.postgres_url, f'CREATE DATABASE "{name}"'))
        url = urlunsplit(urlsplit(args.postgres_url)._replace(path=f"/{name}"))
    try:
        seed_if_empty(url, args.size)
        env = gateway_env(url)
        tokens = {account: run([*gateway_cli(), "token", account], env, timeout=60).strip() for account in corpus.ACCOUNTS}
        try:
            import uvloop

            uvloop.run(measure(url, queries, tokens, args))
        except ImportError:
            asyncio.run(measure(url, queries, tokens, args))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if fresh and not args.keep:
            asyncio.run(_pg(args.postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
