"""Input checks shared by the services: collect every problem, then refuse once."""

from __future__ import annotations

from resolvers.errors import Refusal, Refusals, UserErrorCode


class Checks:
    def __init__(self) -> None:
        self.refusals: list[Refusal] = []

    def fail(self, code: UserErrorCode, message: str, *field: str) -> None:
        self.refusals.append(Refusal(code, message, list(field) or None))

    def text(self, value: str | None, field: str, *, max_length: int, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.fail(UserErrorCode.REQUIRED, f"`{field}` is required.", field)
            return None
        value = value.strip()
        if required and not value:
            self.fail(UserErrorCode.REQUIRED, f"`{field}` must not be empty.", field)
        elif len(value) > max_length:
            self.fail(UserErrorCode.TOO_LONG, f"`{field}` is longer than {max_length} characters.", field)
        return value

    def done(self) -> None:
        if self.refusals:
            raise Refusals(self.refusals)
