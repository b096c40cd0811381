"""`serve --workers 2` reports one view of its metrics, summed over both workers (prometheus_client's
multiprocess mode), on /metrics for the metrics token and on GATEWAY_METRICS_PORT, and keeps the
counts of a worker that died while dropping its gauges.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.live_server import HOST, LiveServer, free_port, live_server

METRICS_TOKEN = "Vb6nQ2xLr8Tz4Wc1Km7Hd3Jf9Gs5Pa0Ue2Yo8Ei6Rt"
REQUESTS = 48
QUERY = "query LiveProbe { viewer { account { name } } }"


def requests_total(text: str) -> float:
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples if sample.name == "gateway_graphql_requests_total")


def gauge(text: str, name: str) -> float:
    [found] = [sample.value for family in text_string_to_metric_families(text) for sample in family.samples if sample.name == name]
    return found


def per_worker(directory: Path) -> dict[int, float]:
    """Each worker's own request count, read from its file as a scrape reads them all."""
    counts = {}
    for file in directory.glob("counter_*.db"):
        merged = MultiProcessCollector.merge([str(file)])
        counts[int(file.stem.split("_")[1])] = sum(
            sample.value for metric in merged for sample in metric.samples if sample.name == "gateway_graphql_requests_total")
    return counts


async def send_spread(server: LiveServer, directory: Path) -> int:
    """At least REQUESTS queries, a dozen at a time, each on a connection of its own, until both
    workers have served some (the kernel hands connections to whichever accepts first, and a fast
    worker may accept a few dozen in a row); how many were sent."""
    headers = {"Authorization": f"Bearer {server.token()}", "Connection": "close"}
    sent = 0
    async with httpx.AsyncClient(timeout=30) as http:
        while sent < REQUESTS or len([n for n in per_worker(directory).values() if n]) < 2:
            assert sent < 50 * REQUESTS, f"one worker served all {sent} requests: {per_worker(directory)}"
            answers = await asyncio.gather(*(http.post(server.url, json={"query": QUERY}, headers=headers) for _ in range(12)))
            assert [answer.status_code for answer in answers] == [200] * 12, [answer.text for answer in answers]
            sent += 12
    return sent


async def scrape(server: LiveServer, metrics_port: int) -> tuple[str, str]:
    async with httpx.AsyncClient(timeout=30) as http:
        own = await http.get(f"{server.base_url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        port = await http.get(f"http://{HOST}:{metrics_port}/metrics")
    assert own.status_code == port.status_code == 200, own.text + port.text
    return own.text, port.text


async def test_two_workers_report_one_sum(tmp_path: Path) -> None:
    metrics_port = free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with live_server(tmp_path, workers=2, other_env={"TMPDIR": str(temporary)}, metrics_token=METRICS_TOKEN,
                     metrics_port=str(metrics_port)) as server:
        [directory] = temporary.glob("partner-gateway-metrics-*")
        sent = await send_spread(server, directory)
        async with httpx.AsyncClient(timeout=30) as http:
            partner = await http.get(f"{server.base_url}/metrics", headers={"Authorization": f"Bearer {server.token()}"})
        assert partner.status_code == 401 and "gateway_" not in partner.text

        workers = per_worker(directory)
        assert len([count for count in workers.values() if count]) == 2, workers  # both workers served some
        assert sum(workers.values()) == sent
        await asyncio.sleep(1.5)  # each worker samples its connection gauges every second
        own, port = await scrape(server, metrics_port)
        assert requests_total(own) == requests_total(port) == sent
        # Reads only: one SQLite connection per worker (its read-only one; Tortoise's opens with a
        # first write), added up.
        assert gauge(own, "gateway_database_connections_open") == gauge(port, "gateway_database_connections_open") == 2

        # A worker killed: uvicorn starts another; the dead one's counts stay, its gauges go.
        victim = max(workers, key=lambda pid: workers[pid])
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (directory / f"gauge_livesum_{victim}.db").exists():
            assert time.monotonic() < deadline, "the dead worker's gauges stayed"
            await scrape(server, metrics_port)
            await asyncio.sleep(0.5)
        own, port = await scrape(server, metrics_port)
        assert requests_total(own) == requests_total(port) == sent
    assert not directory.exists()  # gone with the server
