"""The metric families. Importing this module creates them, so PROMETHEUS_MULTIPROC_DIR, when a
server uses it, is set before (gateway/metrics/processes.py); prometheus_client chooses between
in-process and per-worker file storage when it is first imported.

Every label has a small, fixed set of values, except `operation`, which gateway/metrics/requests.py
bounds: nothing is labelled by caller, credential, address or query text.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Stand-ins that no GraphQL name can be (names are letters, digits and underscores).
ANONYMOUS = "(anonymous)"
NONE = "(none)"
OTHER = "(other)"

# Seconds; up to the default operation deadline (30 s).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
STATEMENT_BUCKETS = (0, 1, 2, 3, 5, 10, 20, 50, 100)
# Cost points; up to the default budget (10,000).
COST_BUCKETS = (1, 10, 50, 100, 500, 1_000, 2_500, 5_000, 10_000)

REQUESTS = Counter(
    "gateway_graphql_requests", "GraphQL requests over HTTP, by operation, operation type and outcome.",
    ["operation", "type", "outcome"])
DURATION = Histogram(
    "gateway_graphql_request_duration_seconds", "From a GraphQL request's arrival to its answer's last byte.",
    ["operation", "type"], buckets=DURATION_BUCKETS)
SQL_STATEMENTS = Histogram(
    "gateway_graphql_sql_statements", "SQL statements one GraphQL request sent, authentication included.",
    ["type"], buckets=STATEMENT_BUCKETS)
COST = Histogram(
    "gateway_graphql_operation_cost", "The cost of each validated operation (extensions.cost.requested).",
    ["type"], buckets=COST_BUCKETS)
EXECUTIONS = Counter(
    "gateway_graphql_executions", "Queries that reached execution, by executor: compiled (one SQL statement) or standard.",
    ["executor"])
OPERATION_LIMIT_REFUSALS = Counter(
    "gateway_operation_limit_refusals", "Operations refused by an operation limit or the cost budget, by limit.", ["limit"])
RATE_LIMIT_REFUSALS = Counter(
    "gateway_rate_limit_refusals", "Requests refused by a rate limit, by the budget that refused them.", ["limit"])
AUTHENTICATION_FAILURES = Counter(
    "gateway_authentication_failures", "Requests whose credentials were missing or not valid, by the kind presented.",
    ["credential"])
# livesum: the workers' values added up, a dead worker's left out.
CONNECTIONS_IN_USE = Gauge(
    "gateway_database_connections_in_use", "Database connections running a statement or a transaction.",
    multiprocess_mode="livesum")
CONNECTIONS_OPEN = Gauge(
    "gateway_database_connections_open", "Database connections open (PostgreSQL: in the pools; SQLite: up to two per worker, its writes' and its reads').",
    multiprocess_mode="livesum")
