"""Worker processes and their metric files (prometheus_client's multiprocess mode).

`serve` makes a fresh, empty directory for each start and names it in PROMETHEUS_MULTIPROC_DIR
before anything imports prometheus_client, so that its workers (which inherit the variable) write
their values there, and a scrape, in whichever worker or in the master, adds them up. Counters
and histograms of a worker that died stay in the sum, so totals never go back; the gauges of
a dead worker are dropped (`livesum`). The directory goes when the server stops.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_directory() -> str | None:
    """Where this process's workers keep their metrics; None: in the process itself."""
    return os.environ.get(MULTIPROC_DIR) or None


@contextlib.contextmanager
def workers_directory() -> Iterator[Path]:
    """A new directory for the workers' metric files while the block runs (the server's lifetime).

    Call it before prometheus_client is imported in this process: with one worker, uvicorn serves
    in this very process, and prometheus_client picks its storage when it is first imported.
    """
    path = Path(tempfile.mkdtemp(prefix="partner-gateway-metrics-"))
    previous = os.environ.get(MULTIPROC_DIR)
    os.environ[MULTIPROC_DIR] = str(path)
    try:
        yield path
    finally:
        if previous is None:
            os.environ.pop(MULTIPROC_DIR, None)
        else:
            os.environ[MULTIPROC_DIR] = previous
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process now holds the number; not one of our workers' files, but keep it
    return True


def forget_dead_workers(path: str) -> None:
    """Drop the live gauges of workers that are gone: uvicorn restarts a worker that died without
    telling anyone, so the files are checked against the running processes at every scrape."""
    from prometheus_client.multiprocess import mark_process_dead

    for file in glob.glob(os.path.join(path, "gauge_live*_*.db")):
        pid = Path(file).stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            mark_process_dead(int(pid), path)


def forget_this_worker() -> None:
    """A worker stopping: its gauges leave the sum now, not at the next scrape."""
    path = multiprocess_directory()
    if path is not None:
        from prometheus_client.multiprocess import mark_process_dead

        mark_process_dead(os.getpid(), path)
