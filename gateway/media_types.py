"""Media types of GraphQL over HTTP: what a request may send and which answer a client accepts."""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
# Only JSON request bodies are parsed (GraphQL over HTTP, "application/json" request encoding).
REQUEST_MEDIA_TYPE = JSON

# What an `Accept` entry resolves to. Wildcards get application/json: the spec's legacy default,
# understood by every client that predates application/graphql-response+json.
_ANSWER_FOR = {
    GRAPHQL_RESPONSE_JSON: GRAPHQL_RESPONSE_JSON,
    JSON: JSON,
    "application/*": JSON,
    "*/*": JSON,
}


def parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    """`"Application/JSON; charset=UTF-8"` -> `("application/json", {"charset": "UTF-8"})`."""
    essence, *raw_params = value.split(";")
    params: dict[str, str] = {}
    for raw in raw_params:
        name, _, param_value = raw.partition("=")
        params[name.strip().lower()] = param_value.strip().strip('"')
    return essence.strip().lower(), params


def _quality(params: dict[str, str]) -> float:
    try:
        return float(params.get("q", "1"))
    except ValueError:
        return 0.0


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts none we produce.

    No `Accept` (or an empty one) means application/json, as the spec asks of servers during the
    watershed. Among acceptable entries the highest `q` wins, then an explicit type over a
    wildcard, then the client's order.
    """
    if accept is None or not accept.strip():
        return JSON
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for position, entry in enumerate(accept.split(",")):
        essence, params = parse_media_type(entry)
        answer = _ANSWER_FOR.get(essence)
        quality = _quality(params)
        if answer is None or quality <= 0:
            continue
        rank = (quality, 0 if "*" in essence else 1, -position)
        if best is None or rank > best:
            best, chosen = rank, answer
    return chosen


def response_content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"
