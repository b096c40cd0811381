"""Slow and stalled uploads cost a socket, never an operation slot; a client that leaves is one log line.

A live server (the stall happens between uvicorn and the app, which an in-process client cannot
show): fifty authenticated clients send their headers and `{"query":` and then nothing. A normal
query meanwhile answers about as fast as without them; once the body deadline passes, each stalled
client gets 408 TIMEOUT. A client that disconnects mid-body leaves one log line and no traceback.
"""

from __future__ import annotations

import json
import socket
import statistics
import time
from pathlib import Path

import httpx

from tests.live_server import HOST, LiveServer, live_server

STALLED = 50
BODY_DEADLINE = 4
QUERY = {"query": "{ viewer { account { name } } }"}


def stalled_upload(server: LiveServer, token: str) -> socket.socket:
    """Headers promising a 200-byte JSON body, and the body's first bytes only."""
    sock = socket.create_connection((HOST, server.port), timeout=BODY_DEADLINE + 10)
    sock.sendall((f"POST /graphql HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
                  "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n").encode() + b'{"query":')
    return sock


def answer_of(sock: socket.socket) -> tuple[int, dict]:
    received = b""
    while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def query_times(server: LiveServer, token: str, count: int = 7) -> list[float]:
    times = []
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = client.post(server.url, json=QUERY)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200 and response.json()["data"]["viewer"]["account"]["name"] == "distributor.admin"
    return times


def test_stalled_uploads_do_not_hold_operation_slots(tmp_path: Path) -> None:
    with live_server(tmp_path, body_timeout_seconds=str(BODY_DEADLINE), max_concurrent_operations="8") as server:
        token = server.token()
        quiet = statistics.median(query_times(server, token))
        stalled = [stalled_upload(server, token) for _ in range(STALLED)]
        try:
            time.sleep(0.5)  # every stalled request has reached the app and is waiting for its body
            busy = query_times(server, token)
            assert statistics.median(busy) <= quiet + 0.1, (quiet, busy)
            assert max(busy) < 1, busy  # before: each query waited for the operation deadline (30 s)
            answers = [answer_of(sock) for sock in stalled]
        finally:
            for sock in stalled:
                sock.close()
        assert {status for status, _ in answers} == {408}
        codes = {error["extensions"]["code"] for _, body in answers for error in body["errors"]}
        assert codes == {"TIMEOUT"}
        assert f"did not arrive within {BODY_DEADLINE} seconds" in answers[0][1]["errors"][0]["message"]
        assert query_times(server, token, 1)  # and it keeps serving


def test_a_client_leaving_mid_body_is_one_log_line(tmp_path: Path) -> None:
    with live_server(tmp_path) as server:
        server.new_output()
        sock = stalled_upload(server, server.token())
        time.sleep(0.3)
        sock.close()
        deadline = time.monotonic() + 10
        log = ""
        while "went away" not in log and time.monotonic() < deadline:
            time.sleep(0.1)
            log += server.new_output()
        assert query_times(server, server.token(), 1)
        log += server.new_output()
    lines = [line for line in log.splitlines() if "went away" in line]
    assert len(lines) == 1, log
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log
