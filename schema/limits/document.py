"""Measure an operation's shape (depth, aliases, directives, root fields) before it is validated.

These checks run before graphql-core's validation so that a hostile document costs a walk, not a
validation pass per copy. They must survive documents validation would reject (fragment cycles,
unknown fragments), so every walk is cycle-safe and stops once a limit is passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
)
from graphql.language.lexer import Lexer

from resolvers.errors import ErrorCode

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_directives: int
    max_root_fields: int


def limit_error(limit: str, maximum: int, actual: int | None, message: str, node: Any = None) -> GraphQLError:
    extensions: dict[str, Any] = {"code": ErrorCode.OPERATION_LIMIT_EXCEEDED.value, "limit": limit, "maximum": maximum}
    if actual is not None:
        extensions["actual"] = actual
    return GraphQLError(message, nodes=[node] if node is not None else None, extensions=extensions)


def scan_text(query: str, limits: Limits) -> GraphQLError | None:
    """Count tokens and brace nesting without building an AST.

    The parser recurses once per nesting level, so a document of a thousand nested braces must be
    refused before it is parsed; the nesting allowed here is generous (arguments can nest objects)
    and the exact depth is checked on the AST afterwards.
    """
    lexer = Lexer(Source(query))
    tokens = nesting = 0
    brace_limit = 3 * limits.max_depth + 10
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            tokens += 1
            if tokens > limits.max_tokens:
                return limit_error("tokens", limits.max_tokens, None,
                                   f"The document has more than {limits.max_tokens} tokens.")
            if token.kind is TokenKind.BRACE_L:
                nesting += 1
                if nesting > brace_limit:
                    return limit_error("depth", limits.max_depth, None,
                                       f"The operation is nested deeper than the maximum depth of {limits.max_depth}.")
            elif token.kind is TokenKind.BRACE_R:
                nesting -= 1
            token = lexer.advance()
    except GraphQLError:
        return None  # a syntax error: the parser reports it with its position
    return None


class _Shape:
    """One walk of an operation, fragments expanded, with memoized fragment results."""

    def __init__(self, document: DocumentNode, limits: Limits) -> None:
        self.limits = limits
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.aliases = 0
        self.directives = 0
        self.repeated: Any = None
        self._depth_memo: dict[str, int] = {}
        self._visiting: set[str] = set()

    def count(self, node: Any) -> None:
        names = [d.name.value for d in node.directives or ()]
        self.directives += len(names)
        if self.repeated is None and len(names) != len(set(names)):
            self.repeated = node

    def walk(self, selection_set: SelectionSetNode, depth: int) -> int:
        """Deepest field level below `depth`; counts aliases and directives on the way."""
        deepest = depth
        for selection in selection_set.selections:
            self.count(selection)
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    self.aliases += 1
                if selection.name.value in INTROSPECTION_FIELDS:
                    # Introspection is answered from a cached schema; GraphiQL's own query nests
                    # `ofType` deeper than any data query, so it is left out of depth.
                    continue
                level = depth + 1
                if selection.selection_set is not None and level <= self.limits.max_depth:
                    level = self.walk(selection.selection_set, level)
                deepest = max(deepest, level)
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.walk(selection.selection_set, depth))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, depth + self.fragment_depth(selection.name.value))
        return deepest

    def fragment_depth(self, name: str) -> int:
        if name in self._depth_memo:
            return self._depth_memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._visiting:
            return 0  # unknown or cyclic: validation reports it
        # Memoized, so a fragment's aliases and directives count once however often it is spread
        # (copies of one fragment at one level merge into the same response keys).
        self._visiting.add(name)
        self.count(fragment)
        depth = self.walk(fragment.selection_set, 0)
        self._visiting.discard(name)
        self._depth_memo[name] = depth
        return depth


def root_field_count(operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]) -> int:
    seen: set[str] = set()

    def count(selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:
                    seen.add(name)
                    total += count(fragments[name].selection_set)
        return total

    return count(operation.selection_set)


def check_operation(document: DocumentNode, operation: OperationDefinitionNode, limits: Limits) -> GraphQLError | None:
    """The first limit the operation passes, as a typed error; None when it fits."""
    shape = _Shape(document, limits)
    shape.count(operation)
    depth = shape.walk(operation.selection_set, 0)
    if depth > limits.max_depth:
        return limit_error("depth", limits.max_depth, None,
                           f"The operation is nested deeper than the maximum depth of {limits.max_depth}.", operation)
    if shape.repeated is not None:
        # One error for the whole document: graphql-core would answer once per repeated copy.
        return GraphQLError("A directive is repeated at one location.", nodes=[shape.repeated],
                            extensions={"code": ErrorCode.BAD_USER_INPUT.value})
    if shape.aliases > limits.max_aliases:
        return limit_error("aliases", limits.max_aliases, shape.aliases,
                           f"The operation uses {shape.aliases} aliases; at most {limits.max_aliases} are allowed.", operation)
    if shape.directives > limits.max_directives:
        return limit_error("directives", limits.max_directives, shape.directives,
                           f"The operation uses {shape.directives} directives; at most {limits.max_directives} are allowed.", operation)
    roots = root_field_count(operation, shape.fragments)
    if roots > limits.max_root_fields:
        return limit_error("rootFields", limits.max_root_fields, roots,
                           f"The operation selects {roots} root fields; at most {limits.max_root_fields} are allowed.", operation)
    return None
