"""The synthetic benchmark data set: sizes, shape, bookkeeping, and the emptiness guard."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from tortoise.context import tortoise_test_context

from gateway.seed.demo import seed_demo
from gateway.seed.synthetic import seed_synthetic
from models import MODEL_MODULES
from models.account import LedgerEntry, Wallet
from models.coupons import Coupon, CouponKind, CouponOperation, CouponOperationType, CouponQuota, CouponStatus, CouponUsage
from models.customers import AssociationType, Customer
from models.members import Account, AccountKind, PresetRole, Role
from models.partners import Partner
from models.tasks import Task, TaskDetail, TaskStatus

NOW = datetime(2025, 3, 14, tzinfo=UTC)


async def test_size_twelve_counts():
    async with tortoise_test_context(MODEL_MODULES):
        counts = await seed_synthetic(12, NOW)
        expected = {
            "Partner": 12, "Account": 276, "Customer": 120, "CouponQuota": 24, "Coupon": 600,
            "Task": 120, "TaskDetail": 240, "Wallet": 12,
        }
        for name, count in expected.items():
            assert counts[name] == count, name
        assert await Partner.all().count() == 12
        assert await Account.filter(partner_id__isnull=False).count() == 240
        # Three customers of each partner sign in with their own accounts.
        assert await Account.filter(kind=AccountKind.CUSTOMER).count() == 36
        assert counts["OnBehalfAuthorization"] == 36 and counts["OnBehalfOrder"] == 48 and counts["AssociationRecord"] == 132
        assert await Coupon.all().count() == 600
        assert await Customer.all().count() == 120
        assert await Task.all().count() == 120 and await TaskDetail.all().count() == 240
        assert await Wallet.all().count() == 12
        assert await CouponUsage.all().count() == counts["CouponUsage"]
        assert await CouponOperation.all().count() == counts["CouponOperation"]
        # Preset roles and staff come along when missing.
        assert await Role.filter(preset__isnull=False).count() == len(PresetRole)
        assert await Account.filter(kind=AccountKind.STAFF).count() == 4
        assert await Account.exists(name="staff.operations")


async def test_shape():
    async with tortoise_test_context(MODEL_MODULES):
        await seed_synthetic(12, NOW)
        partners = await Partner.all().order_by("id")
        assert [p.identities for p in partners[:4]] == [["DISTRIBUTOR"]] + [["RESELLER"]] * 3
        assert partners[10].identities == ["DISTRIBUTOR"] and partners[11].parent_distributor_id == partners[10].id
        for reseller in partners[1:4]:
            assert reseller.parent_distributor_id == partners[0].id
        for partner in partners:
            accounts = await Account.filter(partner=partner).prefetch_related("roles")
            kinds = Counter(a.kind for a in accounts)
            assert kinds == {AccountKind.MAIN_ACCOUNT: 1, AccountKind.ORGANISATION_MEMBER: 19}
            names = {a.name for a in accounts}
            assert f"p{partner.id}.admin" in names and f"p{partner.id}.m19" in names
            for account in accounts:
                assert len(account.roles) == (0 if account.kind == AccountKind.MAIN_ACCOUNT else 1)
            assert await CouponQuota.filter(partner=partner).count() == 2
        kinds = set(await Coupon.all().values_list("kind", flat=True))
        assert kinds == set(CouponKind)
        assert set(await Coupon.all().values_list("status", flat=True)) == set(CouponStatus)
        assert set(await Task.all().values_list("status", flat=True)) == set(TaskStatus)


async def test_bookkeeping():
    async with tortoise_test_context(MODEL_MODULES):
        await seed_synthetic(12, NOW)
        quotas = {q.id: q for q in await CouponQuota.all()}
        expected = defaultdict(lambda: Decimal("0.00"))
        usage = defaultdict(list)
        for record in await CouponUsage.all():
            usage[record.coupon_id].append(record.amount)
        issues = Counter(await CouponOperation.filter(type=CouponOperationType.ISSUE).values_list("coupon_id", flat=True))
        for coupon in await Coupon.all().prefetch_related("customer"):
            assert 1 <= len(usage[coupon.id]) <= 2
            assert sum(usage[coupon.id], Decimal("0.00")) == coupon.used_amount
            if coupon.status == CouponStatus.USED:
                assert coupon.used_amount == coupon.face_value
            assert issues[coupon.id] == 1
            assert coupon.customer.association_type == AssociationType.RESALE
            assert coupon.customer.partner_id == coupon.partner_id == quotas[coupon.quota_id].partner_id
            quota = quotas[coupon.quota_id]
            assert quota.valid_from <= coupon.valid_from < coupon.expires_at <= quota.valid_until
            live = coupon.status in (CouponStatus.AVAILABLE, CouponStatus.USED)
            expected[coupon.quota_id] += coupon.face_value if live else coupon.used_amount
        for quota in quotas.values():
            if quota.parent_quota_id:
                expected[quota.parent_quota_id] += quota.total
        for quota in quotas.values():
            assert quota.used == expected[quota.id] and quota.used <= quota.total
        for wallet in await Wallet.all():
            last = await LedgerEntry.filter(wallet=wallet).order_by("-id").first()
            assert last.balance_after == wallet.balance


async def test_guard_and_allow_existing():
    async with tortoise_test_context(MODEL_MODULES):
        await seed_demo(NOW)
        with pytest.raises(RuntimeError, match="database already has data"):
            await seed_synthetic(3, NOW)
        before = await Account.all().count()
        counts = await seed_synthetic(3, NOW, allow_existing=True)
        assert counts["Account"] == 69
        # Staff and preset roles were reused, not duplicated.
        assert await Account.all().count() == before + 69
        assert await Role.filter(preset__isnull=False).count() == len(PresetRole)
        # Rows created afterwards the ordinary way get fresh ids.
        partner = await Partner.create(name="Created Later", region="cn-north-4", identities=["SOLUTION_PROVIDER"])
        assert partner.id == await Partner.all().count()


async def test_two_hundred_partners_is_fast():
    async with tortoise_test_context(MODEL_MODULES):
        started = time.perf_counter()
        counts = await seed_synthetic(200, NOW)
        assert time.perf_counter() - started < 30
        assert counts["Coupon"] == 10_000 and counts["Account"] == 4_600
