"""The reference endpoint: what Q1 and Q2 cost when the database builds the whole answer.

One SQL statement per request returns the JSON document, byte-for-byte the shape of the
gateway's answer (same rows, order, masking, ID encoding and number and time formats), so
`gateway ÷ reference` measures what GraphQL, the ORM, authorization and N+1 round trips add.
No authentication, no GraphQL, no ORM. Served by uvicorn like the gateway:

    GATEWAY_DATABASE_URL=sqlite:///tmp/x.db python -m uvicorn bench.reference:app --port 8001

The connection setup matches the gateway's: one aiosqlite connection per process for SQLite
(Tortoise's SQLite client also holds one), an asyncpg pool of GATEWAY_DATABASE_POOL_SIZE for
PostgreSQL.
"""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.corpus import READER

# --- PostgreSQL --------------------------------------------------------------------------------

# Python's isoformat(): microseconds only when there are any, and always the UTC offset.
_PG_TIME = """(to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
  || CASE WHEN extract(microseconds FROM {c})::bigint % 1000000 <> 0
          THEN to_char({c} AT TIME ZONE 'UTC', '.US') ELSE '' END || '+00:00')"""

PG_Q1 = """
SELECT json_build_object('data', json_build_object('partners', json_build_object('nodes',
         COALESCE(json_agg(json_build_object('name', p.name, 'members', json_build_object('nodes', m.nodes))
                           ORDER BY p.name, p.id), '[]'::json))))::text
FROM (SELECT id, name FROM partner ORDER BY name, id LIMIT 50) AS p
CROSS JOIN LATERAL (
  SELECT COALESCE(json_agg(json_build_object(
           'name', a.name,
           -- Staff see e-mail addresses masked, as resolvers/members/masking.py mask_email does.
           'email', CASE WHEN a.email = '' THEN ''
                         WHEN position('@' IN a.email) > 0
                         THEN left(a.email, 1) || '***@' || substr(a.email, position('@' IN a.email) + 1)
                         ELSE '***' END)
         ORDER BY a.name, a.id), '[]'::json) AS nodes
  FROM (SELECT id, name, email FROM account WHERE partner_id = p.id ORDER BY name, id LIMIT 20) AS a
) AS m
"""

# No foreign-key column has an index (coupon_usage.coupon_id included), so the usage records
# of the 50 coupons are read in one pass and numbered, not looked up once per coupon.
PG_Q2 = f"""
WITH me AS (
  SELECT p.id, p.name FROM account AS a JOIN partner AS p ON p.id = a.partner_id WHERE a.name = $1
), c AS MATERIALIZED (
  SELECT id, status, expires_at, face_value, issued_at FROM coupon
  WHERE partner_id = (SELECT id FROM me) ORDER BY issued_at DESC, id LIMIT 50
), u AS MATERIALIZED (
  SELECT coupon_id, order_id, amount, row_number() OVER (PARTITION BY coupon_id ORDER BY used_at, id) AS n
  FROM coupon_usage WHERE coupon_id IN (SELECT id FROM c)
)
SELECT json_build_object('data', json_build_object('viewer', json_build_object('partner', json_build_object(
  'name', me.name,
  'coupons', json_build_object('nodes', (
    SELECT COALESCE(json_agg(json_build_object(
             'id', encode(convert_to('Coupon:' || c.id, 'UTF8'), 'base64'),
             'status', CASE WHEN c.status = 'AVAILABLE' AND c.expires_at < now() THEN 'EXPIRED' ELSE c.status END,
             'faceValue', json_build_object('amount', c.face_value::text),
             'usageRecords', json_build_object('nodes', (
               SELECT COALESCE(json_agg(json_build_object('orderId', u.order_id,
                                                          'amount', json_build_object('amount', u.amount::text))
                                        ORDER BY u.n), '[]'::json)
               FROM u WHERE u.coupon_id = c.id AND u.n <= 10)))
           ORDER BY c.issued_at DESC, c.id), '[]'::json)
    FROM c)),
  'tasks', json_build_object('nodes', (
    SELECT COALESCE(json_agg(json_build_object('name', t.name, 'status', t.status,
                                               'deadline', {_PG_TIME.format(c="t.deadline")})
                             ORDER BY t.deadline, t.id), '[]'::json)
    FROM (SELECT id, name, status, deadline FROM task WHERE partner_id = me.id ORDER BY deadline, id LIMIT 20) AS t))
))))::text
FROM me
"""

# --- SQLite ------------------------------------------------------------------------------------

# json() marks a subquery's text as JSON again: SQLite drops that mark at subquery boundaries.
# json_group_array keeps the order of the ordered subquery it reads.
SQLITE_Q1 = """
SELECT json_object('data', json_object('partners', json_object('nodes', json_group_array(json_object(
  'name', p.name,
  'members', json_object('nodes', json((
    SELECT json_group_array(json_object(
             'name', a.name,
             'email', CASE WHEN a.email = '' THEN ''
                           WHEN instr(a.email, '@') > 0
                           THEN substr(a.email, 1, 1) || '***@' || substr(a.email, instr(a.email, '@') + 1)
                           ELSE '***' END))
    FROM (SELECT name, email FROM account WHERE partner_id = p.id ORDER BY name, id LIMIT 20) AS a))))))))
FROM (SELECT id, name FROM partner ORDER BY name, id LIMIT 50) AS p
"""

# Tortoise stores SQLite times as 'YYYY-MM-DD HH:MM:SS[.ffffff]+00:00', so text order is time order.
# Usage records in one pass, as in PG_Q2.
SQLITE_Q2 = """
WITH me AS (
  SELECT p.id, p.name FROM account AS a JOIN partner AS p ON p.id = a.partner_id WHERE a.name = ?
), c AS MATERIALIZED (
  SELECT id, status, expires_at, face_value, issued_at FROM coupon
  WHERE partner_id = (SELECT id FROM me) ORDER BY issued_at DESC, id LIMIT 50
), u AS MATERIALIZED (
  SELECT coupon_id, order_id, amount, row_number() OVER (PARTITION BY coupon_id ORDER BY used_at, id) AS n
  FROM coupon_usage WHERE coupon_id IN (SELECT id FROM c)
)
SELECT json_object('data', json_object('viewer', json_object('partner', json_object(
  'name', me.name,
  'coupons', json_object('nodes', json((
    SELECT json_group_array(json_object(
             'id', b64('Coupon:' || c.id),
             'status', CASE WHEN c.status = 'AVAILABLE' AND c.expires_at < strftime('%Y-%m-%d %H:%M:%f', 'now')
                            THEN 'EXPIRED' ELSE c.status END,
             'faceValue', json_object('amount', c.face_value),
             'usageRecords', json_object('nodes', json((
               SELECT json_group_array(json_object('orderId', u.order_id, 'amount', json_object('amount', u.amount)))
               FROM (SELECT order_id, amount FROM u WHERE u.coupon_id = c.id AND u.n <= 10 ORDER BY u.n) AS u)))))
    FROM (SELECT * FROM c ORDER BY issued_at DESC, id) AS c))),
  'tasks', json_object('nodes', json((
    SELECT json_group_array(json_object('name', t.name, 'status', t.status, 'deadline', replace(t.deadline, ' ', 'T')))
    FROM (SELECT name, status, deadline FROM task WHERE partner_id = me.id ORDER BY deadline, id LIMIT 20) AS t)))
))))
FROM me
"""


def _b64(text: str) -> str:
    # SQLite has no base64; relay global IDs are base64("Type:pk").
    return base64.b64encode(text.encode()).decode()


class Database:
    async def one(self, route: str) -> str: ...

    async def close(self) -> None: ...


class Postgres(Database):
    def __init__(self, pool) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, url: str) -> Postgres:
        import asyncpg

        size = int(os.environ.get("GATEWAY_DATABASE_POOL_SIZE", "10"))
        return cls(await asyncpg.create_pool(url, min_size=1, max_size=size))

    async def one(self, route: str) -> str:
        if route == "q1":
            return await self.pool.fetchval(PG_Q1)
        return await self.pool.fetchval(PG_Q2, READER)

    async def close(self) -> None:
        await self.pool.close()


class Sqlite(Database):
    def __init__(self, connection) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, path: str) -> Sqlite:
        import aiosqlite

        connection = await aiosqlite.connect(path, isolation_level=None)
        await connection.create_function("b64", 1, _b64, deterministic=True)
        return cls(connection)

    async def one(self, route: str) -> str:
        sql, params = (SQLITE_Q1, ()) if route == "q1" else (SQLITE_Q2, (READER,))
        async with self.connection.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        return row[0]

    async def close(self) -> None:
        await self.connection.close()


async def open_database(url: str) -> Database:
    if url.startswith("sqlite://"):
        return await Sqlite.open(url.removeprefix("sqlite://"))
    if url.startswith(("postgres://", "postgresql://")):
        return await Postgres.open(url)
    raise ValueError(f"unsupported database URL: {url}")


def create_app() -> Starlette:
    state: dict[str, Database] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        state["db"] = await open_database(os.environ.get("GATEWAY_DATABASE_URL", "sqlite://partner-gateway.db"))
        try:
            yield
        finally:
            await state["db"].close()

    async def answer(request: Request) -> Response:
        text = await state["db"].one(request.url.path.strip("/"))
        if text is None:
            return Response(b'{"data":null}', status_code=404, media_type="application/json")
        return Response(text.encode(), media_type="application/json")

    async def healthz(_: Request) -> Response:
        return Response(b"ok", media_type="text/plain")

    return Starlette(
        routes=[Route("/q1", answer, methods=["GET", "POST"]), Route("/q2", answer, methods=["GET", "POST"]),
                Route("/healthz", healthz, methods=["GET"])],
        lifespan=lifespan,
    )


app = create_app()
