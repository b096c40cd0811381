"""Customer insight (企业百科) and prospects, and the pickup coupons partners' customers hold, on SQLite
and PostgreSQL."""

from __future__ import annotations

from models.coupons import CouponKind
from models.customers import CustomerKind, EnterpriseProfile, Prospect
from models.partners import PartnerIdentity as I
from models.partners import RealNameStatus
from resolvers.permissions.catalog import Permission
from tests.callers import Caller, mutate
from tests.customers.support import create_world
from tests.factories import create_coupon, create_customer, create_issuer, create_member_with_grants, create_partner, unique
from tests.graphql import gid

PROFILE = """basics { name creditCode legalRepresentative registeredCapital foundedOn nationalIndustry website }
  cloudAdoption { walletSizeBand activity currentServiceProvider }
  companyDevelopment { financing { round amount date investors } products brands rankings { name year position } }
  intellectualProperty { softwareCopyrights { title registrationNumber registeredOn } patents { title number kind grantedOn } }"""
SEARCH = "query($name: String!) { enterprises(first: 10, filter: {name: $name}) { totalCount nodes { id name " + PROFILE + " } } }"
INSIGHT = "query($id: ID!) { node(id: $id) { ... on Customer { insight { name " + PROFILE + " } } } }"
PICKUP = """query($status: CouponStatus) { viewer { partner { customerPickupCoupons(status: $status) { faceValue { amount }
  balance { amount } status issuerName customer { id name } } } } }"""


async def _profile(name: str | None = None) -> EnterpriseProfile:
    return await EnterpriseProfile.create(
        name=name or unique("Insight Enterprise"), credit_code=unique("9133")[-18:], wallet_size_band="1M-5M CNY/year",
        cloud_activity="HIGH", current_service_provider="Another cloud", financing=[
            {"round": "Series B", "amount": "80 million CNY", "date": "2024-04-01", "investors": ["North Fund"]}],
        products=["Cold chain"], brands=["Frost"], rankings=[{"name": "Top 50", "year": 2025, "position": 7}],
        software_copyrights=[{"title": "Fleet V2", "registration_number": "2025SR0001", "registered_on": "2025-02-01"}],
        patents=[{"title": "A cooling method", "number": "CN1234567A", "kind": "INVENTION", "granted_on": None}],
    )


async def test_search_and_every_section(gql, as_distributor_sa: Caller) -> None:
    profile = await _profile()
    found = (await as_distributor_sa.query(SEARCH, {"name": profile.name[-10:].lower()})).ok()["enterprises"]
    [shown] = found["nodes"]
    assert shown["basics"]["creditCode"] == profile.credit_code
    assert shown["cloudAdoption"] == {"walletSizeBand": "1M-5M CNY/year", "activity": "HIGH", "currentServiceProvider": "Another cloud"}
    assert shown["companyDevelopment"]["financing"] == [{"round": "Series B", "amount": "80 million CNY", "date": "2024-04-01",
                                                         "investors": ["North Fund"]}]
    assert shown["companyDevelopment"]["rankings"] == [{"name": "Top 50", "year": 2025, "position": 7}]
    assert shown["intellectualProperty"]["patents"][0]["grantedOn"] is None
    short = await as_distributor_sa.query(SEARCH, {"name": "a"})
    assert short.codes == ["BAD_USER_INPUT"]


async def test_insight_of_associated_verified_enterprise_customers_only(gql) -> None:
    world = await create_world(gql)
    profile, other_profile = await _profile(), await _profile()
    verified = await create_customer(world.partner, enterprise=profile, kind=CustomerKind.ENTERPRISE,
                                     real_name_status=RealNameStatus.VERIFIED)
    unverified = await create_customer(world.partner, enterprise=other_profile, kind=CustomerKind.ENTERPRISE,
                                       real_name_status=RealNameStatus.PENDING)
    # A member who reads customers but holds no customer.insight.view: its own verified customers only.
    reader = Caller(gql, (await create_member_with_grants([Permission.CUSTOMER_VIEW.value], world.partner)).name)
    seen = (await reader.query(INSIGHT, {"id": gid("Customer", verified.id)})).ok()["node"]["insight"]
    assert seen["name"] == profile.name and seen["cloudAdoption"]["activity"] == "HIGH"
    assert (await reader.query(INSIGHT, {"id": gid("Customer", unverified.id)})).ok()["node"]["insight"] is None
    assert (await reader.query(SEARCH, {"name": profile.name})).codes == ["FORBIDDEN"]
    # Another partner's member with the permission finds the enterprise by name, not the customer.
    outsider = Caller(gql, (await create_member_with_grants([Permission.CUSTOMER_INSIGHT_VIEW.value], "Lattice Solutions")).name)
    assert (await outsider.query(SEARCH, {"name": other_profile.name})).ok()["enterprises"]["totalCount"] == 1
    assert (await outsider.query(INSIGHT, {"id": gid("Customer", verified.id)})).codes == ["FORBIDDEN"]  # no customer.view


async def test_register_a_prospect_once(gql) -> None:
    world = await create_world(gql)
    profile, served = await _profile(), await _profile()
    await create_customer(world.partner, enterprise=served)
    enterprise_id = gid("EnterpriseProfile", profile.id)
    registered = await mutate(world.admin, "prospectRegister", {"enterpriseId": enterprise_id, "note": "Met at the summit."})
    assert registered.codes == [] and registered["prospect"]["note"] == "Met at the summit."
    before = await Prospect.filter(partner_id=world.partner.id).count()
    for values, code in (({"enterpriseId": enterprise_id}, "CONFLICT"),
                         ({"enterpriseId": gid("EnterpriseProfile", served.id)}, "CONFLICT"),
                         ({"enterpriseId": gid("EnterpriseProfile", 987654321)}, "NOT_FOUND"),
                         ({"enterpriseId": enterprise_id, "note": "x" * 501}, "TOO_LONG")):
        assert (await mutate(world.admin, "prospectRegister", values)).codes == [code], values
    assert await Prospect.filter(partner_id=world.partner.id).count() == before == 1
    listed = (await world.admin.query("{ viewer { partner { prospects(first: 5) { nodes { enterprise { name } "
                                      "registeredBy { name } } } } } }")).ok()["viewer"]["partner"]["prospects"]["nodes"]
    assert listed == [{"enterprise": {"name": profile.name}, "registeredBy": {"name": world.admin.name}}]


async def test_pickup_coupons_the_customers_hold(gql) -> None:
    world = await create_world(gql)
    gov = await create_issuer(I.GOV_CLOUD_PARTNER, kind=CouponKind.PICKUP, total="900.00", customers=0)
    held_at_gov = await create_customer(gov.partner, customer_account=world.customer_account, whitelisted=True)
    stranger = await create_customer(gov.partner, whitelisted=True)
    await create_coupon(gov.quota, held_at_gov, face="300.00", used="120.00")
    await create_coupon(gov.quota, stranger, face="200.00")
    shown = (await world.admin.query(PICKUP)).ok()["viewer"]["partner"]["customerPickupCoupons"]
    assert shown == [{"faceValue": {"amount": "300.00"}, "balance": {"amount": "180.00"}, "status": "AVAILABLE",
                      "issuerName": gov.partner.name, "customer": {"id": world.customer_id, "name": world.resale.name}}]
    assert (await world.admin.query(PICKUP, {"status": "USED"})).ok()["viewer"]["partner"]["customerPickupCoupons"] == []
    # The issuer itself holds no coupon.pickup.view (it sees its coupons as their issuer).
    assert (await Caller(gql, gov.account.name).query(PICKUP)).codes == ["FORBIDDEN"]
    # Nobody else's customers: another partner sees nothing of these.
    other = await create_world(gql)
    assert (await other.admin.query(PICKUP)).ok()["viewer"]["partner"]["customerPickupCoupons"] == []
    path = Caller(gql, (await create_issuer(I.SOFTWARE_PARTNER, customers=0)).account.name)
    assert (await path.query(PICKUP)).codes == ["FORBIDDEN"]
    assert await create_partner(I.SOLUTION_PROVIDER) is not None
