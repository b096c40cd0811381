"""GraphQL over HTTP, as the GraphQL-over-HTTP specification describes it, on strawberry's ASGI view.

- Answers application/graphql-response+json or application/json, as `Accept` asks (none: JSON);
  anything else is 406.
- POST bodies are application/json (UTF-8) only, else 415; GET takes `query`, `operationName`,
  `variables` and `extensions` from the query string and never runs a mutation (405, Allow: POST).
- The text a request runs may be named by its hash (`extensions.persistedQuery`), and a
  trusted-documents gateway runs nothing else (gateway/documents/): decided before parsing.
- Malformed requests (JSON that does not parse, a body that is not an object, a `query`,
  `operationName`, `variables` or `extensions` of the wrong type) are 400.
- With application/graphql-response+json, a request that fails before execution (syntax,
  validation, variable coercion, an operation refused whole) has no `data` entry and a 4xx/5xx
  status; with application/json it is 200, as legacy clients expect.
- The body, its JSON nesting and the variables are bounded (gateway/request_limits.py), and the
  body must arrive within its own deadline (408), so a slow or stalled upload costs a socket and
  never an operation slot (those are taken once the body is in, see gateway/app.py).
- A client that goes away before its body arrived is one log line, not a traceback.

Every refusal is a typed GraphQL error (gateway/http_refusals.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from gateway.auth import wants_graphiql_page
from gateway.config import Settings
from gateway.documents import Documents
from gateway.http_refusals import RequestRefused, refusal_from_http_exception
from gateway.media_types import GRAPHQL_RESPONSE_JSON, JSON, REQUEST_MEDIA_TYPE, negotiate, parse_media_type, response_content_type
from gateway.request_limits import check_json_depth, check_variables_size, limit_body
from resolvers.errors import ErrorCode
from schema.context import GatewayContext

# A request that fails before execution, answered as application/graphql-response+json: 400
# unless its error says who should act (the caller's credentials, a limit, the server).
_REQUEST_ERROR_STATUS = {
    ErrorCode.UNAUTHENTICATED.value: 401,
    ErrorCode.FORBIDDEN.value: 403,
    ErrorCode.RATE_LIMITED.value: 429,
    ErrorCode.INTERNAL_SERVER_ERROR.value: 500,
    ErrorCode.TIMEOUT.value: 504,
}
_UTF8 = ("utf-8", "utf8")
log = logging.getLogger("gateway.transport")


def is_request_error(response: GraphQLHTTPResponse) -> bool:
    """No data and no error with a path: nothing was executed (GraphQL spec, "request error")."""
    errors = response.get("errors") or []
    return response.get("data") is None and bool(errors) and all("path" not in e for e in errors)  # type: ignore[operator]


def request_error_status(errors: Sequence[object]) -> int:
    code = (errors[0].get("extensions") or {}).get("code") if isinstance(errors[0], dict) else None
    return _REQUEST_ERROR_STATUS.get(str(code), 400)


def _bad_request(message: str) -> RequestRefused:
    return RequestRefused(400, ErrorCode.BAD_REQUEST, message)


def _optional(data: dict[str, Any], key: str, kind: type, description: str) -> Any:
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        raise _bad_request(f"The request's `{key}` must be {description} or null.")
    return value


class GraphQLOverHTTP(GraphQL):
    def __init__(self, schema: BaseSchema, settings: Settings, *, graphql_ide: str | None = "graphiql",
                 documents: Documents | None = None) -> None:
        super().__init__(schema, graphql_ide=graphql_ide, allow_queries_via_get=True)  # type: ignore[arg-type]
        self.settings = settings
        self.documents = documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=limit_body(receive, self.settings.max_body_bytes))
        try:
            response = await self.run(request)
        except RequestRefused as refusal:
            response = refusal.response(self._media_type(request))
        except HTTPException as exc:
            response = refusal_from_http_exception(exc).response(self._media_type(request))
        except ClientDisconnect:
            # Nobody is left to answer; nothing ran (the body is read before anything executes).
            log.info("client went away before sending its whole request body (request %s)",
                     scope.get("state", {}).get("request_id"))
            return
        await response(scope, receive, send)

    def _media_type(self, request: Request) -> str:
        negotiated = getattr(request.state, "graphql_media_type", None)
        return negotiated or negotiate(request.headers.get("accept")) or JSON

    async def run(self, request: Request, context: Any = UNSET, root_value: Any = UNSET) -> Response:  # type: ignore[override]
        if self.is_websocket_request(request):
            return await super().run(request, context, root_value)  # type: ignore[return-value]  # strawberry's websocket answer
        if wants_graphiql_page(request):
            request.state.graphiql_page = True  # a page, not an operation: the metrics leave it out
            if not self.graphql_ide:
                raise RequestRefused(404, ErrorCode.NOT_FOUND, "GraphiQL is turned off on this gateway.")
            return await self.render_graphql_ide(request)
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None:
            raise RequestRefused(406, ErrorCode.NOT_ACCEPTABLE,
                                 f"The response can only be {GRAPHQL_RESPONSE_JSON} or {JSON}; the Accept header allows neither.")
        request.state.graphql_media_type = media_type
        return await super().run(request, context, root_value)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # Decided in `run` with the same rule the authentication middleware uses to let the page through.
        return False

    def decode_json(self, data: str | bytes) -> object:
        check_json_depth(data, self.settings.max_json_depth)
        return orjson.loads(data)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if request.method == "GET":
            params = request.query_params
            data: Any = {"query": params.get("query"), "operationName": params.get("operationName")}
            for key in ("variables", "extensions"):
                if raw := params.get(key):
                    data[key] = self.parse_json(raw)
        else:
            media_type, params = parse_media_type(request.content_type or "")
            if media_type != REQUEST_MEDIA_TYPE or params.get("charset", "utf-8").lower() not in _UTF8:
                raise RequestRefused(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                                     f"Send the request as `Content-Type: {REQUEST_MEDIA_TYPE}` (UTF-8).")
            data = self.parse_json(await self._read_body(request))
        if isinstance(data, list):
            raise _bad_request("Batched requests are not supported; send one operation per request.")
        if not isinstance(data, dict):
            raise _bad_request("The request body must be a JSON object.")
        variables = _optional(data, "variables", dict, "an object")
        check_variables_size(variables, self.settings.max_variables_bytes)
        return GraphQLRequestData(
            query=_optional(data, "query", str, "a string"),
            variables=variables,
            operation_name=_optional(data, "operationName", str, "a string"),
            extensions=_optional(data, "extensions", dict, "an object"),
        )

    async def _read_body(self, request: AsyncHTTPRequestAdapter) -> bytes:
        seconds = self.settings.body_timeout_seconds
        try:
            async with asyncio.timeout(seconds):
                return await request.get_body()
        except TimeoutError:
            raise RequestRefused(408, ErrorCode.TIMEOUT, f"The request body did not arrive within {seconds:g} seconds.",
                                 headers={"Connection": "close"}) from None

    async def execute_operation(self, request: Request, request_adapter: AsyncHTTPRequestAdapter,  # type: ignore[override]
                                request_data: GraphQLRequestData, context: Any, root_value: Any,
                                sub_response: Response) -> Any:
        # Which text runs is decided before an operation slot is taken and before anything parses
        # it: a persisted query's hash is looked up, a trusted-documents gateway refuses the rest.
        if self.documents is not None:
            request_data, prepared = await self.documents.resolve(request_data)
            if isinstance(context, GatewayContext):
                context.document = prepared
        return await super().execute_operation(request, request_adapter, request_data, context, root_value, sub_response)

    async def execute_single(self, request: Request, request_adapter: AsyncHTTPRequestAdapter,
                             sub_response: Response, context: Any, root_value: Any,
                             request_data: GraphQLRequestData) -> ExecutionResult:
        try:
            return await super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)
        except HTTPException as exc:
            cause = exc.__cause__
            if (isinstance(cause, InvalidOperationTypeError) and cause.operation_type is OperationType.MUTATION
                    and request_adapter.method == "GET"):
                raise RequestRefused(405, ErrorCode.METHOD_NOT_ALLOWED, "Mutations need POST; GET runs queries only.",
                                     headers={"Allow": "POST"}) from exc
            raise

    async def get_sub_response(self, request: Request) -> Response:  # type: ignore[override]
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = getattr(request.state, "graphql_media_type", None) or JSON
        return sub_response

    def create_response(self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
                        sub_response: Response) -> Response:
        media_type = sub_response.media_type or JSON
        status = 200
        if media_type == GRAPHQL_RESPONSE_JSON and isinstance(response_data, dict) and is_request_error(response_data):
            response_data = {key: value for key, value in response_data.items() if key != "data"}  # type: ignore[assignment]
            status = request_error_status(response_data.get("errors") or [])
        response = Response(self.encode_json(response_data), status_code=sub_response.status_code or status,
                            media_type=response_content_type(media_type))
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response
