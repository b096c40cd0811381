"""Keyset cursors (resolvers/pagination.py): paging forward or backward reads the whole list once, in
order, whatever rows are inserted or deleted meanwhile; forged cursors and cursors of another order
are refused with BAD_USER_INPUT.

The orders exercised are the awkward ones: decimals (text on SQLite, where "10.00" < "9.00" as text),
ties broken by the id, descending keys, and a nullable key (NULL sorts last on PostgreSQL and first
on SQLite).
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from models.certificates import Certificate, CertificateKind
from models.coupons import Coupon
from resolvers.errors import BadUserInput
from resolvers.pagination import PageRequest, paginate, paginate_children
from tests.factories.coupons import Issuer, create_coupon, create_issuer
from tests.factories.partners import create_partner
from tests.graphql import GraphQLClient

FACES = ["9.00", "10.00", "100.00", "10.00", "9.50", "1000.00", "10.00", "0.50"]
COUPONS = """query($first: Int, $after: String, $last: Int, $before: String, $order: CouponOrder) {
  viewer { partner { coupons(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    edges { cursor node { id faceValue { amount } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"""
MEMBERS = "{ viewer { partner { members(first: 2) { edges { cursor } } } } }"


async def issuer_with_coupons() -> Issuer:
    issuer = await create_issuer(total="100000.00", customers=2)
    base = datetime.now(UTC) + timedelta(days=10)
    for n, face in enumerate(FACES):
        await create_coupon(issuer.quota, issuer.customers[n % 2], face=face, expires_at=base + timedelta(days=n % 3))
    return issuer


async def certificates_with_nulls() -> list[int]:
    """Two partners' certificates, some without an end of validity, several ending at the same time."""
    partners = [await create_partner(), await create_partner()]
    at = datetime(2027, 1, 1, tzinfo=UTC)
    ends = [None, at, at + timedelta(days=1), None, at, None, at + timedelta(days=2)]
    for n, end in enumerate(ends * 2):
        await Certificate.create(number=f"T-{uuid.uuid4().hex[:20]}", partner=partners[n % 2], kind=CertificateKind.PROGRAM,
                                 subject="Test", valid_from=at - timedelta(days=365), valid_until=end)
    return [p.id for p in partners]


async def _whole(queryset: Any, ordering: list[str]) -> list[int]:
    return list(await queryset.order_by(*ordering).values_list("id", flat=True))


async def _paged(queryset: Any, ordering: list[str], *, backward: bool, size: int = 2) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        request = PageRequest(last=size, before=cursor) if backward else PageRequest(first=size, after=cursor)
        page = await paginate(queryset, request, ordering, fields=["id"], count=False)
        ids = [r["id"] for r in page.rows]
        seen = ids + seen if backward else seen + ids
        more = page.has_previous if backward else page.has_next
        if not more:
            return seen
        cursor = page.cursors[0] if backward else page.cursors[-1]


COUPON_ORDERS = [["face_value", "id"], ["-face_value", "id"], ["-face_value", "-id"], ["expires_at", "face_value", "id"],
                 ["-expires_at", "id"]]
CERTIFICATE_ORDERS = [["valid_until", "id"], ["-valid_until", "id"], ["-valid_until", "-id"]]


@pytest.mark.parametrize("ordering", COUPON_ORDERS, ids=",".join)
@pytest.mark.parametrize("backward", [False, True], ids=["forward", "backward"])
async def test_paging_coupons_reads_the_whole_list_in_order(gql: GraphQLClient, ordering: list[str], backward: bool) -> None:
    issuer = await issuer_with_coupons()
    coupons = Coupon.filter(partner_id=issuer.partner.id)
    assert await _paged(coupons, ordering, backward=backward) == await _whole(coupons, ordering)


@pytest.mark.parametrize("ordering", CERTIFICATE_ORDERS, ids=",".join)
@pytest.mark.parametrize("backward", [False, True], ids=["forward", "backward"])
async def test_a_nullable_key_pages_like_any_other(gql: GraphQLClient, ordering: list[str], backward: bool) -> None:
    partners = await certificates_with_nulls()
    certificates = Certificate.filter(partner_id__in=partners)
    assert await _paged(certificates, ordering, backward=backward) == await _whole(certificates, ordering)


@pytest.mark.parametrize("ordering", CERTIFICATE_ORDERS, ids=",".join)
async def test_nested_pages_follow_the_same_cursors(gql: GraphQLClient, ordering: list[str]) -> None:
    """The batched pages of many parents (one windowed statement) page like a single list."""
    partners = await certificates_with_nulls()
    for parent in partners:
        whole = await _whole(Certificate.filter(partner_id=parent), ordering)
        seen: list[int] = []
        cursor = None
        while True:
            pages = await paginate_children(Certificate.all(), "partner_id", partners, PageRequest(first=2, after=cursor), ordering,
                                            fields=["id"], count=False)
            page = pages[parent]
            seen += [r["id"] for r in page.rows]
            if not page.has_next:
                break
            cursor = page.cursors[-1]
        assert seen == whole
        backward: list[int] = []
        cursor = None
        while True:
            page = (await paginate_children(Certificate.all(), "partner_id", partners, PageRequest(last=3, before=cursor), ordering,
                                            fields=["id"], count=True))[parent]
            assert page.total == len(whole)
            backward = [r["id"] for r in page.rows] + backward
            if not page.has_previous:
                break
            cursor = page.cursors[0]
        assert backward == whole


async def _page(gql: GraphQLClient, issuer: Issuer, **variables: Any) -> dict[str, Any]:
    return (await gql.as_(issuer.name, COUPONS, variables)).ok()["viewer"]["partner"]["coupons"]


@pytest.mark.parametrize("backward", [False, True], ids=["forward", "backward"])
async def test_rows_inserted_and_deleted_while_paging_skip_and_repeat_nothing(gql: GraphQLClient, backward: bool) -> None:
    """Between every two pages a coupon is issued that sorts before the position, one that sorts
    after it, and one already seen is deleted: every coupon there from start to end is read once."""
    issuer = await issuer_with_coupons()
    order = {"field": "FACE_VALUE", "direction": "ASC"}
    before = {c.id for c in await Coupon.filter(partner_id=issuer.partner.id)}
    seen: list[str] = []
    amounts: list[Decimal] = []
    deleted: set[int] = set()
    cursor = None
    for _step in range(30):
        if backward:
            page = await _page(gql, issuer, last=2, before=cursor, order=order)
        else:
            page = await _page(gql, issuer, first=2, after=cursor, order=order)
        edges = page["edges"]
        nodes = [e["node"] for e in edges]
        seen = [n["id"] for n in nodes] + seen if backward else seen + [n["id"] for n in nodes]
        got = [Decimal(n["faceValue"]["amount"]) for n in nodes]
        amounts = got + amounts if backward else amounts + got
        more = page["pageInfo"]["hasPreviousPage"] if backward else page["pageInfo"]["hasNextPage"]
        if not more:
            break
        cursor = page["pageInfo"]["startCursor"] if backward else page["pageInfo"]["endCursor"]
        assert cursor == (edges[0]["cursor"] if backward else edges[-1]["cursor"])
        await create_coupon(issuer.quota, issuer.customers[0], face="0.10")  # sorts before everything
        await create_coupon(issuer.quota, issuer.customers[1], face="5000.00")  # sorts after everything
        victim = int(base64.b64decode(seen[len(seen) // 2]).decode().split(":")[1])
        if victim not in deleted:
            await Coupon.filter(id=victim).update(status="USED")  # still listed: changed, not deleted
        spare = await create_coupon(issuer.quota, issuer.customers[0], face="10.00")
        await spare.delete()  # inserted and gone between two pages
        deleted.add(spare.id)
    else:
        pytest.fail("paging did not end")
    ids = [int(base64.b64decode(g).decode().split(":")[1]) for g in seen]
    assert len(ids) == len(set(ids)), "an item was repeated"
    assert before <= set(ids), "an item there from start to end was skipped"
    assert amounts == sorted(amounts)


async def test_cursors_of_another_order_or_forged_are_refused(gql: GraphQLClient) -> None:
    issuer = await issuer_with_coupons()
    by_face = await _page(gql, issuer, first=2, order={"field": "FACE_VALUE", "direction": "ASC"})
    cursor = by_face["pageInfo"]["endCursor"]
    [version, tag, values] = json.loads(base64.urlsafe_b64decode(cursor))
    members_cursor = (await gql.as_(issuer.name, MEMBERS)).ok()["viewer"]["partner"]["members"]["edges"]

    def forged(*parts: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()

    refused = {
        "another direction": (cursor, {"field": "FACE_VALUE", "direction": "DESC"}),
        "another field": (cursor, {"field": "EXPIRES_AT", "direction": "ASC"}),
        "the default order": (cursor, None),
        "garbage": ("not a cursor", None),
        "an offset cursor of old": (base64.urlsafe_b64encode(b"cursor:3").decode(), None),
        "wrong value type": (forged(version, tag, ["ten", values[1]]), {"field": "FACE_VALUE", "direction": "ASC"}),
        "too few values": (forged(version, tag, values[:1]), {"field": "FACE_VALUE", "direction": "ASC"}),
        "another version": (forged(version + 1, tag, values), {"field": "FACE_VALUE", "direction": "ASC"}),
        "not finite": (forged(version, tag, ["NaN", values[1]]), {"field": "FACE_VALUE", "direction": "ASC"}),
    }
    if members_cursor:
        refused["another list"] = (members_cursor[0]["cursor"], {"field": "FACE_VALUE", "direction": "ASC"})
    for what, (value, order) in refused.items():
        for argument in ("after", "before"):
            variables: dict[str, Any] = {argument: value, "order": order, "first" if argument == "after" else "last": 2}
            response = await gql.as_(issuer.name, COUPONS, variables)
            assert response.codes == ["BAD_USER_INPUT"], (what, argument, response.errors)
            assert response.errors[0]["extensions"]["argument"] == argument, what
    # The forged shape with honest values pages: a cursor is a position, not a secret.
    honest = await _page(gql, issuer, first=2, after=forged(version, tag, values), order={"field": "FACE_VALUE", "direction": "ASC"})
    assert honest["edges"] and honest["pageInfo"]["hasPreviousPage"]


async def test_a_bad_cursor_is_refused_before_any_query(gql: GraphQLClient) -> None:
    with pytest.raises(BadUserInput):
        PageRequest(first=1, after="%%%").bounded(Certificate.all(), ())
