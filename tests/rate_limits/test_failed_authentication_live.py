"""Live: 1,000 bad tokens from one address throttle the guessing, not the colleague with a valid token."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx

from tests.live_server import live_server

BAD_TOKENS = 1_100  # the default budget is 1,000 failures in a burst
QUERY = {"query": "{ viewer { account { name } } }"}


async def test_a_valid_token_is_served_after_a_thousand_bad_ones_from_its_address(tmp_path: Path) -> None:
    # The default burst of 1,000; a refill slow enough that the count below is exact.
    with live_server(tmp_path, failed_authentication_refill_per_second="0.001") as server:
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=50, keepalive_expiry=1)) as http:
            async def guess(n: int) -> int:
                bad = {"Authorization": f"Bearer not-a-token-{n}"}
                return (await http.post(server.url, json=QUERY, headers=bad)).status_code

            statuses: Counter[int] = Counter()
            for start in range(0, BAD_TOKENS, 50):
                statuses.update(await asyncio.gather(*(guess(n) for n in range(start, min(start + 50, BAD_TOKENS)))))
            assert statuses == {401: 1_000, 429: BAD_TOKENS - 1_000}, statuses

            valid = await http.post(server.url, json=QUERY, headers={"Authorization": f"Bearer {server.token()}"})
            assert valid.status_code == 200, valid.text
            assert valid.json()["data"]["viewer"]["account"]["name"] == "distributor.admin"
            assert (await guess(-1)) == 429  # and the guessing stays throttled
