"""The benchmark's report (bench/report.py): ratios pair rows of the same round, and with several
tracing modes the run ends with what each costs against the first."""

from __future__ import annotations

from typing import Any

from bench import report


def row(target: str, rps: float, round_no: int) -> dict[str, Any]:
    return {"backend": "sqlite", "workers": 1, "query": "Q1", "concurrency": 10, "target": target, "rps": rps,
            "round": round_no}


def test_each_gateway_is_compared_with_the_reference_of_its_own_round() -> None:
    rows = [row("gateway:off", 300, 1), row("gateway:noop", 280, 1), row("reference", 600, 1),
            row("gateway:off", 330, 2), row("reference", 660, 2), row("gateway:noop", 320, 2)]
    report.add_ratios(rows)
    assert [r["ratio"] for r in rows] == [0.5, 280 / 600, None, 0.5, None, 320 / 660]


def test_tracing_costs_compare_each_mode_with_the_first_over_all_rounds() -> None:
    rows = [row("gateway:off", 300, 1), row("gateway:noop", 285, 1), row("gateway:off", 400, 2),
            row("gateway:noop", 392, 2), row("gateway:off", 200, 3), row("gateway:noop", 198, 3)]
    [line] = report.tracing_costs(rows)
    # Means 300 and 291.7: 2.8 %; rounds 5 %, 2 %, 1 %: median 2 %.
    assert line == ("sqlite w1 Q1 c10: gateway:noop 291.7 req/s against gateway:off 300.0 over 3 round(s): "
                    "costs +2.8 % (median of the rounds' +2.0 %)")


def test_one_mode_has_no_tracing_costs() -> None:
    assert report.tracing_costs([row("gateway", 300, 1), row("reference", 600, 1)]) == []
