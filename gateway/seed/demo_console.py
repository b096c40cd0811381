"""Demo data of the rest of the console: twelve months of customer consumption (with Yanxuan goods),
certificates for every joined program and development path, news in every status, real-name
verifications, and cloud-lab applications in every status.

Runs last and draws nothing from the shared random generator.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from gateway.seed.common import month_label
from gateway.seed.demo_context import DemoContext
from models.certificates import Certificate, CertificateKind
from models.cloudlab import CloudLabApplication, CloudLabBeneficiary, CloudLabStatus
from models.dashboard import ConsumptionRecord
from models.members import Account, AccountKind
from models.news import NewsArticle, NewsCategory, NewsRead, NewsStatus
from models.partners import IDENTITY_GROUP, IdentityGroup, PartnerIdentity, PartnerProgram, RealNameStatus
from models.realname import RealNameType, RealNameVerification
from resolvers.certificates.queries import certificate_number

MONTHS = 12
PRODUCTS = ("ECS", "RDS for MySQL", "OBS", "CDN", "CCE")
YANXUAN_PRODUCT = "Yanxuan office suite"
CONSUMING = ("distributor", "reseller1", "reseller2", "reseller3")

NEWS = [
    ("Partner Conference 2026: registration opens", "Join us in Shenzhen for three days of partner sessions.",
     "Registration for the annual partner conference is open. Sessions cover distribution, solutions and cloud labs.",
     NewsCategory.EVENT, NewsStatus.PUBLISHED, 3),
    ("Distribution program policy update", "New rebate tiers for distributors from next quarter.",
     "The distribution program introduces new rebate tiers. Resellers keep their quota allocation rules.",
     NewsCategory.PROGRAM, NewsStatus.PUBLISHED, 12),
    ("GaussDB enterprise edition released", "A new release with better analytics performance.",
     "The enterprise edition of GaussDB is released today. Partners can resell it through the distribution program.",
     NewsCategory.PRODUCT, NewsStatus.PUBLISHED, 30),
    ("Maintenance window on Saturday", "The console is read-only for two hours.",
     "Scheduled maintenance: the partner console is read-only on Saturday from 02:00 to 04:00 UTC.",
     NewsCategory.ANNOUNCEMENT, NewsStatus.PUBLISHED, 45),
    ("Draft: cloud lab season two", "Not yet published.", "Cloud lab season two brings new hands-on labs.",
     NewsCategory.EVENT, NewsStatus.DRAFT, 0),
    ("Withdrawn: early pricing notice", "Published by mistake.", "This pricing notice was withdrawn.",
     NewsCategory.ANNOUNCEMENT, NewsStatus.WITHDRAWN, 20),
]


async def seed_consumption(ctx: DemoContext) -> None:
    """Each resale customer of the distributor and its resellers, every month of the last twelve:
    a deterministic amount per product, and some Yanxuan goods, which count as consumption only."""
    rows = []
    for handle in CONSUMING:
        for c, customer in enumerate(ctx.resale_customers(handle)):
            for m in range(MONTHS):
                for p, product in enumerate(PRODUCTS[: 2 + c % 3]):
                    amount = Decimal(1000 + 137 * c + 91 * m + 250 * p).quantize(Decimal("0.01"))
                    rows.append(ConsumptionRecord(partner_id=customer.partner_id, customer_id=customer.id, product=product,
                                                  month=month_label(ctx.now, m), amount=amount))
                if (c + m) % 4 == 0:
                    rows.append(ConsumptionRecord(partner_id=customer.partner_id, customer_id=customer.id, product=YANXUAN_PRODUCT,
                                                  month=month_label(ctx.now, m), amount=Decimal("480.00"), yanxuan=True))
    await ConsumptionRecord.bulk_create(rows)


async def seed_certificates(ctx: DemoContext) -> None:
    """A certificate for every program a partner joined (held by the account that joined it) and for
    every development path it holds (held by its main account)."""
    rows = []
    for program in await PartnerProgram.all().order_by("id"):
        rows.append(Certificate(number=certificate_number(CertificateKind.PROGRAM, program.program.value, program.partner_id,
                                                          program.joined_at),
                                partner_id=program.partner_id, kind=CertificateKind.PROGRAM, subject=program.program.value,
                                holder_id=program.joined_by_id, valid_from=program.joined_at, valid_until=program.expires_at))
    for partner in ctx.partners.values():
        main = await Account.filter(partner_id=partner.id, kind=AccountKind.MAIN_ACCOUNT).first()
        for identity in partner.identities:
            if IDENTITY_GROUP[PartnerIdentity(identity)] is IdentityGroup.PATH:
                issued = partner.created_at + timedelta(days=30)
                rows.append(Certificate(number=certificate_number(CertificateKind.DEVELOPMENT_PATH, identity, partner.id, issued),
                                        partner_id=partner.id, kind=CertificateKind.DEVELOPMENT_PATH, subject=identity,
                                        holder_id=main.id if main else None, valid_from=issued,
                                        valid_until=issued + timedelta(days=730)))
    await Certificate.bulk_create(rows)


async def seed_news(ctx: DemoContext) -> None:
    author = ctx.account("staff.operations")
    articles = []
    for title, summary, body, category, status, days_ago in NEWS:
        articles.append(await NewsArticle.create(
            title=title, summary=summary, body=body, category=category, status=status, author=author,
            published_at=ctx.at(days=-days_ago) if status is not NewsStatus.DRAFT else None,
            created_at=ctx.at(days=-days_ago - 1),
        ))
    # The distributor's admin has read the two oldest published articles.
    for article in articles[2:4]:
        await NewsRead.create(article=article, account=ctx.account("distributor.admin"))


async def seed_real_names(ctx: DemoContext) -> None:
    for s, partner in enumerate(ctx.partners.values()):
        await RealNameVerification.create(
            partner=partner, type=RealNameType.ENTERPRISE, verified_name=partner.name, certificate_number=f"91{s + 1:04d}0000MA0{s:02d}XY7Q",
            status=partner.real_name_status, verified_at=partner.created_at + timedelta(days=3)
            if partner.real_name_status is RealNameStatus.VERIFIED else None,
        )
    for name in ("distributor.engineer1", "service.engineer1", "person.alice"):
        account = ctx.account(name)
        await RealNameVerification.create(account=account, type=RealNameType.INDIVIDUAL, verified_name=account.display_name,
                                          certificate_number=f"1101011990010{account.id:05d}", verified_at=ctx.at(days=-200))


async def seed_cloud_lab(ctx: DemoContext) -> None:
    """Summit (a service partner) in every status; one application is pending."""
    summit = ctx.partners["service"]
    admin, operations = ctx.account("service.admin"), ctx.account("staff.operations")
    engineers = [ctx.account(f"service.engineer{k}") for k in range(1, 7)]
    plans = [
        (CloudLabStatus.BENEFIT_ISSUED, engineers[:3], 500, 120, ""),
        (CloudLabStatus.REJECTED, engineers[3:4], 2000, 80, "Exceeds this quarter's lab budget; apply for at most 1000 points."),
        (CloudLabStatus.BENEFIT_ISSUED, engineers[3:5], 800, 60, ""),
        (CloudLabStatus.SUBMITTED, engineers[4:6], 300, 2, ""),
    ]
    for status, members, points, days_ago, reason in plans:
        application = await CloudLabApplication.create(
            partner=summit, status=status, purpose="Hands-on labs for the migration practice.", points_per_member=points,
            applied_by=admin, reviewed_by=operations if status is not CloudLabStatus.SUBMITTED else None,
            rejection_reason=reason, reviewed_at=ctx.at(days=-days_ago + 1) if status is not CloudLabStatus.SUBMITTED else None,
            issued_at=ctx.at(days=-days_ago + 2) if status is CloudLabStatus.BENEFIT_ISSUED else None,
            created_at=ctx.at(days=-days_ago),
        )
        await CloudLabBeneficiary.bulk_create([
            CloudLabBeneficiary(application=application, account=member,
                                points_credited=points if status is CloudLabStatus.BENEFIT_ISSUED else 0)
            for member in members
        ])


async def seed_console(ctx: DemoContext) -> None:
    await seed_consumption(ctx)
    await seed_certificates(ctx)
    await seed_news(ctx)
    await seed_real_names(ctx)
    await seed_cloud_lab(ctx)
