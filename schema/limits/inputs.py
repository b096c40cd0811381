"""Input text every database can store: no NUL character (U+0000).

PostgreSQL refuses NUL in text and JSON, and the refusal would come from the driver mid-request
(the audit record stores the input); it is checked once here, for literals and variables alike.
"""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit

from resolvers.errors import ErrorCode

NUL = "\x00"


class _FindNul(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: StringValueNode | None = None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        if NUL in node.value:
            self.found = node
            return Visitor.BREAK
        return None


def _contains_nul(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return NUL in value
    if depth > 64:  # the transport already bounds JSON nesting; this only keeps recursion finite
        return False
    if isinstance(value, dict):
        return any(_contains_nul(k, depth + 1) or _contains_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v, depth + 1) for v in value)
    return False


def nul_error(query: str, document: DocumentNode, variables: dict[str, Any] | None) -> GraphQLError | None:
    node = None
    # A literal NUL can only come from an escape sequence (the lexer rejects the raw character).
    if "\\u" in query:
        finder = _FindNul()
        visit(document, finder)
        node = finder.found
    if node is None and not (variables and _contains_nul(variables)):
        return None
    return GraphQLError("Text may not contain the NUL character (U+0000).", nodes=[node] if node else None,
                        extensions={"code": ErrorCode.BAD_USER_INPUT.value})
