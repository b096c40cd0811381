"""coupon-desk: a partner's own tool on the Partner Gateway API, written the way a partner would.

It signs in with an API key, lists the partner's coupons page by page with cursors, and issues
vouchers idempotently: every attempt of one `issue` sends the same idempotency key, so a retry
after a lost answer, a 5xx or a 429 can never issue twice. A 429 is waited out for as long as the
gateway's `Retry-After` says; other transient failures back off exponentially with jitter.

    export PARTNER_GATEWAY_URL=http://127.0.0.1:8000/graphql
    export PARTNER_GATEWAY_API_KEY=pgk_...        # apiKeyCreate's secret
    python coupon_desk.py coupons --status AVAILABLE --page-size 50
    python coupon_desk.py issue --quota <CouponQuota id> --customer <Customer id> --face-value 500.00 --key issue-2026-12-07-001

`coupons` prints one JSON object per coupon (JSON lines); `issue` prints the issued coupons as one
JSON object. Progress and retries go to stderr. Exit status: 0 done, 1 refused (the userErrors are
printed), 2 the gateway could not be reached or kept failing.

Needs: gql[httpx] and tenacity (requirements.txt beside this file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportError, TransportQueryError, TransportServerError
from gql.transport.httpx import HTTPXTransport
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

COUPONS = gql("""
query CouponDeskCoupons($first: Int!, $after: String, $filter: CouponFilter) {
  viewer {
    partner {
      coupons(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id kind status issuedAt expiresAt
          faceValue { amount currency }
          balance { amount currency }
          customer { id name }
          quota { id }
        }
      }
    }
  }
}
""")

ISSUE = gql("""
mutation CouponDeskIssue($input: CouponIssueInput!) {
  couponIssue(input: $input) {
    coupons { id status faceValue { amount currency } customer { id } quota { id available { amount } } }
    userErrors { field code message }
  }
}
""")

RATE_LIMITED = "RATE_LIMITED"
# Failures of the gateway's, not of the request: the same request may well succeed later (a mutation
# too, since it carries its idempotency key).
SERVER_TROUBLE = {"INTERNAL_SERVER_ERROR", "TIMEOUT"}


class Refused(Exception):
    """The gateway said no for a reason retrying cannot change."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(p.get("message")) for p in problems))
        self.problems = problems


@dataclass
class Gateway:
    """One API key's connection to the gateway, with the retry policy every call shares."""

    url: str
    api_key: str
    attempts: int = 6
    max_backoff: float = 30.0

    def __post_init__(self) -> None:
        self.transport = HTTPXTransport(url=self.url, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=30)
        self.client = Client(transport=self.transport)

    def execute(self, document: GraphQLRequest, variables: dict[str, Any]) -> dict[str, Any]:
        retrying = Retrying(
            retry=retry_if_exception(is_transient), wait=self._wait, stop=stop_after_attempt(self.attempts),
            before_sleep=self._say_retrying, reraise=True,
        )
        try:
            return retrying(self.client.execute, GraphQLRequest(document, variable_values=variables))
        except TransportQueryError as error:
            raise Refused(error.errors or [{"message": str(error)}]) from error

    def _retry_after(self, error: BaseException) -> float | None:
        """The seconds the gateway asked us to wait (429's Retry-After), if it asked."""
        if not _is_rate_limited(error):
            return None
        # The transport keeps the last answer's headers; this tool sends one request at a time.
        header = (self.transport.response_headers or {}).get("Retry-After")
        if header is not None:
            return float(header)
        retry = (_first_error(error).get("extensions") or {}).get("retryAfter")
        return float(retry) if retry is not None else None

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = self._retry_after(error) if error else None
        if asked is not None:
            return asked
        return wait_exponential_jitter(multiplier=0.5, max=self.max_backoff)(state)

    def _say_retrying(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0
        reason = "rate limited" if error is not None and _is_rate_limited(error) else f"{type(error).__name__}: {error}"
        print(f"coupon-desk: {reason}; retrying in {wait:.1f} s (attempt {state.attempt_number + 1} of {self.attempts})",
              file=sys.stderr)


def _first_error(error: BaseException) -> dict[str, Any]:
    errors = getattr(error, "errors", None) or [{}]
    return errors[0] if isinstance(errors[0], dict) else {}


def _is_rate_limited(error: BaseException) -> bool:
    return isinstance(error, TransportQueryError) and (_first_error(error).get("extensions") or {}).get("code") == RATE_LIMITED


def is_transient(error: BaseException) -> bool:
    """Worth another attempt: a 429 that says when, the gateway's own trouble, or a connection that failed."""
    if isinstance(error, TransportQueryError):
        extensions = _first_error(error).get("extensions") or {}
        if extensions.get("code") == RATE_LIMITED:
            # Without retryAfter the operation costs more than the whole budget: it can never run.
            return extensions.get("retryAfter") is not None
        return extensions.get("code") in SERVER_TROUBLE
    if isinstance(error, TransportServerError):
        return error.code is None or error.code >= 500
    return isinstance(error, (TransportError, httpx.TransportError))


def coupons(gateway: Gateway, *, page_size: int, criteria: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every coupon the filter matches, one page per request, following `endCursor`."""
    after: str | None = None
    pages = 0
    while True:
        page = gateway.execute(COUPONS, {"first": page_size, "after": after, "filter": criteria or None})["viewer"]["partner"]["coupons"]
        pages += 1
        yield from page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            print(f"coupon-desk: {page['totalCount']} coupons in {pages} pages", file=sys.stderr)
            return
        after = page["pageInfo"]["endCursor"]


def issue(gateway: Gateway, *, quota: str, customers: list[str], face_value: str, key: str,
          verification_code: str | None = None) -> list[dict[str, Any]]:
    """Issue one voucher per customer; every attempt carries `key`, so the gateway applies it once."""
    answer = gateway.execute(ISSUE, {"input": {
        "quotaId": quota, "customerIds": customers, "faceValue": face_value, "idempotencyKey": key,
        **({"verificationCode": verification_code} if verification_code else {}),
    }})["couponIssue"]
    if answer["userErrors"]:
        raise Refused(answer["userErrors"])
    return answer["coupons"]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="coupon-desk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("PARTNER_GATEWAY_URL", "http://127.0.0.1:8000/graphql"))
    parser.add_argument("--attempts", type=int, default=6, help="tries per request before giving up (default 6)")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("coupons", help="list coupons as JSON lines")
    listing.add_argument("--page-size", type=int, default=50, help="coupons per request, 1-100 (default 50)")
    listing.add_argument("--status", help="AVAILABLE, USED, EXPIRED or RECLAIMED")
    listing.add_argument("--quota", help="only coupons from this quota id")
    issuing = commands.add_parser("issue", help="issue a voucher to each customer, idempotently")
    issuing.add_argument("--quota", required=True, help="the CouponQuota id to issue from")
    issuing.add_argument("--customer", action="append", required=True, help="a resale customer's id (repeat for more)")
    issuing.add_argument("--face-value", required=True, help="each voucher's value, e.g. 500.00")
    issuing.add_argument("--key", help="idempotency key: the same key again replays the first answer (default: a new one, printed)")
    issuing.add_argument("--verification-code", help="the one-time code, when the partner has codes switched on")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    api_key = os.environ.get("PARTNER_GATEWAY_API_KEY")
    if not api_key:
        print("coupon-desk: set PARTNER_GATEWAY_API_KEY to an API key (apiKeyCreate's secret)", file=sys.stderr)
        return 2
    gateway = Gateway(args.url, api_key, attempts=args.attempts)
    try:
        if args.command == "coupons":
            criteria = {name: value for name, value in (("status", args.status), ("quotaId", args.quota)) if value}
            for coupon in coupons(gateway, page_size=args.page_size, criteria=criteria):
                print(json.dumps(coupon, ensure_ascii=False))
        else:
            key = args.key or f"coupon-desk-{uuid.uuid4()}"
            if not args.key:
                print(f"coupon-desk: idempotency key {key} (pass it as --key to retry safely)", file=sys.stderr)
            issued = issue(gateway, quota=args.quota, customers=args.customer, face_value=args.face_value, key=key,
                           verification_code=args.verification_code)
            print(json.dumps({"idempotencyKey": key, "coupons": issued}, ensure_ascii=False))
    except Refused as refusal:
        print(json.dumps({"refused": refusal.problems}, ensure_ascii=False))
        return 1
    except (TransportError, httpx.TransportError) as error:
        print(f"coupon-desk: the gateway did not answer usefully: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
