"""Prometheus metrics: what is counted (families.py), where requests are measured (requests.py, fed by
the access-log middleware), the database pool's gauges (database.py), how a scrape is answered
(exposition.py) and how `serve` makes its workers report one view (processes.py).

`serve --workers N` runs prometheus_client in multiprocess mode: each worker writes its values to
files in a directory of its own start, and a scrape sums them. Without that directory (tests, an
app run by another server) the values live in the process, in prometheus_client's default registry.
"""
