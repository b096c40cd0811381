"""Tables for the terminal, the JSON file, and the before/after comparison of two JSON files."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

COLUMNS = [  # (header, width, row -> text)
    ("query", 5, lambda r: r["query"]),
    ("conc", 4, lambda r: str(r["concurrency"])),
    ("target", 12, lambda r: r["target"]),
    ("req/s", 8, lambda r: f"{r['rps']:.1f}"),
    ("p50 ms", 8, lambda r: f"{r['p50_ms']:.1f}"),
    ("p99 ms", 8, lambda r: f"{r['p99_ms']:.1f}"),
    ("1-req ms", 8, lambda r: f"{r['solo_ms']:.1f}"),
    ("SQL/req", 7, lambda r: "-" if r["sql_statements"] is None else str(r["sql_statements"])),
    ("RSS MB", 7, lambda r: f"{r['peak_rss_mb']:.0f}"),
    ("gw/ref", 6, lambda r: "-" if r.get("ratio") is None else f"{r['ratio']:.3f}"),
    ("errors", 6, lambda r: str(error_count(r)) if error_count(r) else "-"),
]


def error_count(row: dict[str, Any]) -> int:
    return row["non_2xx"] + row["socket_errors"] + row["timeouts"] + row["user_errors"] + row["graphql_errors"]


def error_note(row: dict[str, Any]) -> str | None:
    parts = [f"{row[key]} {label}" for key, label in (
        ("non_2xx", "non-2xx"), ("socket_errors", "socket errors"), ("timeouts", "timeouts"),
        ("user_errors", "userErrors answers"), ("graphql_errors", "GraphQL-error answers"),
    ) if row[key]]
    if not parts:
        return None
    if logged := row.get("server_exceptions"):
        sample = "; the server logged: " + " / ".join(list(logged)[:2])
    else:
        sample = f"; first answer: {row['error_sample'][:200]}" if row.get("error_sample") else ""
    return (f"{row['backend']} w{row['workers']} {row['query']} c{row['concurrency']} {row['target']}: "
            f"{', '.join(parts)} of {row['requests']} requests{sample}")


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """gateway req/s ÷ reference req/s for the same backend, workers, query, concurrency and round."""
    reference = {(*_pair(r), r.get("round", 1)): r for r in rows if r["target"] == "reference"}
    for row in rows:
        twin = reference.get((*_pair(row), row.get("round", 1))) if row["target"].startswith("gateway") else None
        row["ratio"] = row["rps"] / twin["rps"] if twin and twin["rps"] else None


def _pair(row: dict[str, Any]) -> tuple:
    return row["backend"], row["workers"], row["query"], row["concurrency"]


def tracing_costs(rows: list[dict[str, Any]]) -> list[str]:
    """With several tracing modes (`--traces off,noop`): what each costs against the first, from
    the requests/s of all rounds (the modes took turns, so drift hits them alike)."""
    modes = list(dict.fromkeys(r["target"] for r in rows if r["target"].startswith("gateway:")))
    if len(modes) < 2:
        return []
    out = []
    for pair in dict.fromkeys(_pair(r) for r in rows):
        rps = {m: {r.get("round", 1): r["rps"] for r in rows if _pair(r) == pair and r["target"] == m} for m in modes}
        base = rps[modes[0]]
        if not base or not all(base.values()):
            continue
        mean_base = statistics.mean(base.values())
        for mode in modes[1:]:
            if not rps[mode]:
                continue
            mean = statistics.mean(rps[mode].values())
            # Round by round, the two measured minutes apart at most: steadier when the machine drifts.
            paired = statistics.median(1 - rps[mode][n] / base[n] for n in base if n in rps[mode])
            out.append(f"{pair[0]} w{pair[1]} {pair[2]} c{pair[3]}: {mode} {mean:.1f} req/s against {modes[0]} "
                       f"{mean_base:.1f} over {len(base)} round(s): costs {(1 - mean / mean_base) * 100:+.1f} % "
                       f"(median of the rounds' {paired * 100:+.1f} %)")
    return out


def _line(cells: list[str]) -> str:
    return "  ".join(cell.ljust(width) if i < 3 else cell.rjust(width)
                     for i, (cell, (_, width, _)) in enumerate(zip(cells, COLUMNS, strict=False)))


def tables(run: dict[str, Any]) -> str:
    out: list[str] = []
    rows = run["results"]
    groups = list(dict.fromkeys((r["backend"], r["workers"]) for r in rows))
    for backend, workers in groups:
        out.append(f"\n{backend}, --workers {workers}")
        out.append(_line([h for h, _, _ in COLUMNS]))
        for row in (r for r in rows if (r["backend"], r["workers"]) == (backend, workers)):
            out.append(_line([fmt(row) for _, _, fmt in COLUMNS]))
    if costs := tracing_costs(rows):
        out.append("\nTracing costs (1 - req/s ÷ req/s of the first mode):")
        out.extend(f"  - {c}" for c in costs)
    notes = [n for n in (error_note(r) for r in rows) if n] + run.get("notes", [])
    out.append("\nNotes:" if notes else "\nNotes: no errors.")
    out.extend(f"  - {n}" for n in notes)
    return "\n".join(out)


def header(run: dict[str, Any]) -> str:
    m = run["machine"]
    s = run["settings"]
    return (f"commit {m['git_commit']}{' (working tree has changes)' if m['git_dirty'] else ''}, "
            f"{m['nproc']} CPUs, Python {m['python']}, {m['wrk']}\n"
            f"seed --size {s['seed_size']}, {s['duration_s']} s per measurement after a {s['warmup_s']} s warm-up, "
            f"wrk -t {s['wrk_threads']}, GATEWAY_TRACES={','.join(_list(s.get('traces', 'off')))}, {s.get('rounds', 1)} round(s), gw/ref = gateway req/s / reference req/s")


def _list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value  # result files before --traces took a list


def write(run: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, indent=2, default=str) + "\n")


def _pct(before: float | None, after: float | None) -> str:
    if not before or after is None:
        return "-"
    return f"{(after - before) / before * 100:+.1f}%"


def compare(path_a: Path, path_b: Path) -> str:
    """Before (A) and after (B), row by row; Δ% > 0 is better for req/s, worse for latency and memory."""
    a, b = (json.loads(Path(p).read_text()) for p in (path_a, path_b))
    def key(r: dict) -> tuple:
        return r["backend"], r["workers"], r["query"], r["concurrency"], r["target"], r.get("round", 1)

    rows_a, rows_b = {key(r): r for r in a["results"]}, {key(r): r for r in b["results"]}
    out = [f"A: {path_a} (commit {a['machine']['git_commit']}, {a['started_at']})",
           f"B: {path_b} (commit {b['machine']['git_commit']}, {b['started_at']})",
           "Δ% = (B - A) / A: positive is better for req/s; negative is better for p50, p99, 1-req and RSS."]
    if a["machine"]["nproc"] != b["machine"]["nproc"] or a["settings"] != b["settings"]:
        out.append("Warning: the runs differ in machine or settings; compare with care.")
    metrics = [("req/s", "rps"), ("p50 ms", "p50_ms"), ("p99 ms", "p99_ms"), ("1-req ms", "solo_ms")]
    head = ["backend", "w", "query", "conc", "target", "round"]
    for label, _ in metrics:
        head += [f"{label} A→B", "Δ%"]
    head += ["SQL A→B", "RSS MB A→B"]
    table = [head]
    for k in [k for k in rows_a if k in rows_b]:
        ra, rb = rows_a[k], rows_b[k]
        row = [k[0], str(k[1]), k[2], str(k[3]), k[4], str(k[5])]
        for _, field in metrics:
            row += [f"{ra.get(field, 0):.1f}→{rb.get(field, 0):.1f}", _pct(ra.get(field), rb.get(field))]
        row += [f"{_dash(ra['sql_statements'])}→{_dash(rb['sql_statements'])}", f"{ra['peak_rss_mb']:.0f}→{rb['peak_rss_mb']:.0f}"]
        table.append(row)
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for row in table:
        out.append("  ".join(c.ljust(w) if i < 6 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))))
    only = [f"{'/'.join(map(str, k))} only in {'A' if k in rows_a else 'B'}"
            for k in [*rows_a, *rows_b] if (k in rows_a) != (k in rows_b)]
    out.extend(only)
    return "\n".join(out)


def _dash(value: Any) -> str:
    return "-" if value is None else str(value)
