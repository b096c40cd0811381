"""Input checks shared by the services: collect every problem, then refuse once."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, overload

from resolvers.errors import Refusal, Refusals, UserErrorCode
from resolvers.money import MAX_AMOUNT

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class NotGiven:
    """An optional input the caller left out, where leaving it out differs from sending null."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


class Checks:
    def __init__(self) -> None:
        self.refusals: list[Refusal] = []

    def fail(self, code: UserErrorCode, message: str, *field: str) -> None:
        self.refusals.append(Refusal(code, message, list(field) or None))

    # A required value that fails comes back empty (text) or zero (amount): `done()` refuses before
    # it is used, and the callers get a type without None.
    @overload
    def text(self, value: str | None, field: str, *, max_length: int, required: Literal[True] = True) -> str: ...
    @overload
    def text(self, value: str | None, field: str, *, max_length: int, required: bool) -> str | None: ...

    def text(self, value: str | None, field: str, *, max_length: int, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.fail(UserErrorCode.REQUIRED, f"`{field}` is required.", field)
                return ""
            return None
        value = value.strip()
        if required and not value:
            self.fail(UserErrorCode.REQUIRED, f"`{field}` must not be empty.", field)
        elif len(value) > max_length:
            self.fail(UserErrorCode.TOO_LONG, f"`{field}` is longer than {max_length} characters.", field)
        return value

    @overload
    def amount(self, value: Decimal | None, *path: str, required: Literal[True] = True, allow_zero: bool = False) -> Decimal: ...
    @overload
    def amount(self, value: Decimal | None, *path: str, required: bool, allow_zero: bool = False) -> Decimal | None: ...

    def amount(self, value: Decimal | None, *path: str, required: bool = True, allow_zero: bool = False) -> Decimal | None:
        """A money input: finite, above 0 (or 0 too), at most two decimals, at most MAX_AMOUNT.
        `path` is the input field (e.g. "allocations", "0", "amount")."""
        field = path[-1]
        floor = "0 or more" if allow_zero else "greater than 0"
        if value is None:
            if required:
                self.fail(UserErrorCode.REQUIRED, f"`{field}` is required.", *path)
        elif not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
            self.fail(UserErrorCode.INVALID, f"`{field}` must be {floor}.", *path)
        elif value > MAX_AMOUNT:
            self.fail(UserErrorCode.LIMIT_EXCEEDED, f"`{field}` must not exceed {MAX_AMOUNT}.", *path)
        elif value != value.quantize(CENT):
            self.fail(UserErrorCode.INVALID, f"`{field}` must be an amount with at most two decimals.", *path)
        else:
            return value.quantize(CENT)
        return ZERO if required or value is not None else None

    def done(self) -> None:
        if self.refusals:
            raise Refusals(self.refusals)
