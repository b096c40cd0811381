"""What a scrape answers, wherever it is asked: every worker's values summed when `serve` runs
workers (multiprocess mode), this process's own otherwise; and GATEWAY_METRICS_PORT's listener,
prometheus_client's own HTTP server in `serve`'s master process, which records nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from gateway.metrics.processes import forget_dead_workers, multiprocess_directory


class _Workers(Collector):
    """Every worker's values, summed (prometheus_client's MultiProcessCollector), once the gauges of
    dead workers are dropped."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.files = MultiProcessCollector(None, path)

    def collect(self) -> Iterable[Metric]:
        forget_dead_workers(self.path)
        return self.files.collect()


def registry() -> Collector:
    path = multiprocess_directory()
    if path is None:
        return REGISTRY
    # A registry of the files alone: the process's own registry would add this worker's values twice.
    workers = CollectorRegistry()
    workers.register(_Workers(path))
    return workers


def render(accept: str | None) -> tuple[bytes, str]:
    """The exposition Prometheus asked for (OpenMetrics or the text format) and its content type."""
    encode, content_type = choose_encoder(accept or "")
    return encode(registry()), content_type


def serve_on_port(host: str, port: int) -> Callable[[], None]:
    """prometheus_client's HTTP server in a daemon thread of this process; returns how to stop it."""
    server, thread = start_http_server(port, addr=host, registry=registry())

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
