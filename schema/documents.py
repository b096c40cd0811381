"""Documents prepared once, before any request: parsed, measured, validated, their permissions listed.

The gateway prepares every document of a trusted-documents manifest at start-up (gateway/documents/)
and hands the prepared one to the operation through the context. `OperationLimits` then takes the
parsed document instead of parsing the text and skips the checks that depend on the text alone
(token count, depth, aliases, directives, root fields, validation); what depends on the request
still runs per request: variables, cost, rate limits, the caller's permissions, execution.

The permissions are listed per operation, over every field it could select whatever `@skip` and
`@include` say: a caller holding one of each field's permissions is authorized without walking the
operation (schema/permissions/enforcement.py); any other caller is walked as usual, since which
field it may not read, and where, depends on it and on the variables.
"""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, parse, specified_rules, validate
from strawberry.schema.schema import MaybeNullValidationRule, OneOfInputValidationRule

from schema.limits.document import check_operation, scan_text
from schema.permissions.enforcement import requirements
from schema.permissions.policy import policy_for
from schema.settings import SchemaSettings

VALIDATION_RULES = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)


class DocumentRejected(ValueError):
    """A document that no request could run: a syntax or validation error, or a limit it exceeds."""


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    text: str
    document: DocumentNode
    # Per operation (by its name, None for the anonymous one): for every field the operation could select, the permissions of which a
    # caller needs one (an empty tuple for a field nobody may read).
    needs: dict[str | None, frozenset[tuple[str, ...]]]

    def authorizes(self, operation: OperationDefinitionNode, permissions: frozenset[str]) -> bool:
        """True when a caller with `permissions` may read everything the operation could select."""
        needs = self.needs.get(operation.name.value if operation.name else None)
        if needs is None:
            return False
        return all(any(p in permissions for p in alternatives) for alternatives in needs)


def _message(error: GraphQLError) -> str:
    where = f" (line {error.locations[0].line})" if error.locations else ""
    return f"{error.message}{where}"


def prepare(schema: strawberry.Schema, text: str, settings: SchemaSettings) -> PreparedDocument:
    """Parse, measure and validate `text` against `schema`, or raise DocumentRejected."""
    gql_schema = schema._schema
    if settings.limits_enabled and (too_big := scan_text(text, settings.limits)) is not None:
        raise DocumentRejected(_message(too_big))
    try:
        document = parse(text)
    except GraphQLError as syntax:
        raise DocumentRejected(f"syntax error: {_message(syntax)}") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if settings.limits_enabled:
        for operation in operations:
            if (over := check_operation(document, operation, settings.limits)) is not None:
                raise DocumentRejected(_message(over))
    errors = validate(gql_schema, document, VALIDATION_RULES, max_errors=settings.max_validation_errors)
    if errors:
        raise DocumentRejected("; ".join(_message(e) for e in errors))
    policy = policy_for(gql_schema).fields
    needs = {op.name.value if op.name else None: requirements(gql_schema, policy, document, op) for op in operations}
    return PreparedDocument(text, document, needs)
