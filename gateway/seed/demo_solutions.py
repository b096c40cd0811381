"""Demo solutions and their co-sale product listings."""

from __future__ import annotations

from gateway.seed.demo_context import DemoContext
from models.solutions import CoSaleProduct, CoSaleStatus, Solution, SolutionStatus

PDM_CONTACT = "Sun Hao (sun.hao@cloud.example.com)"

# handle -> [(name, summary, industries, status)]
SOLUTIONS: dict[str, list[tuple[str, str, list[str], SolutionStatus]]] = {
    "distributor": [
        ("Retail Omnichannel Cloud", "Store, e-commerce and membership systems on one cloud back end.",
         ["Retail"], SolutionStatus.PUBLISHED),
        ("SME Office Cloud Bundle", "Mail, desktop cloud and backup for small and medium enterprises.",
         ["Professional services", "Education"], SolutionStatus.DRAFT),
        ("Legacy ERP Hosting", "Lift-and-shift hosting for on-premises ERP systems.",
         ["Manufacturing"], SolutionStatus.ARCHIVED),
    ],
    "provider": [
        ("Smart Factory MES", "Manufacturing execution with IoT data collection and quality tracing.",
         ["Manufacturing"], SolutionStatus.PUBLISHED),
        ("Cold-Chain Logistics Tracking", "Temperature and location tracking for cold-chain fleets.",
         ["Logistics", "Food"], SolutionStatus.DRAFT),
        ("On-Premises Data Warehouse Migration", "Migrating Teradata-style warehouses to a cloud data warehouse.",
         ["Finance"], SolutionStatus.ARCHIVED),
    ],
    "provider2": [
        ("Clinic Appointment SaaS", "Appointments, e-prescriptions and follow-ups for private clinics.",
         ["Healthcare"], SolutionStatus.PUBLISHED),
        ("K-12 Homework Platform", "Homework assignment and grading for primary and secondary schools.",
         ["Education"], SolutionStatus.DRAFT),
        ("Desktop CRM Connector", "Sync for a desktop CRM product, retired with its host product.",
         ["Retail"], SolutionStatus.ARCHIVED),
    ],
    "service": [
        ("Managed Kubernetes Operations", "24x7 operations of container clusters with monthly reviews.",
         ["Internet", "Finance"], SolutionStatus.PUBLISHED),
        ("Cloud Cost Optimisation Review", "A four-week review of spend with a savings plan.",
         ["Cross-industry"], SolutionStatus.DRAFT),
        ("Data-Centre Exit Assessment", "Assessment of data-centre exit readiness.",
         ["Cross-industry"], SolutionStatus.ARCHIVED),
    ],
}

# handle -> [(solution index, product name, status, requested days ago, listed days ago, delisted days ago, reason)]
CO_SALE: dict[str, list[tuple[int, str, CoSaleStatus, int, int | None, int | None, str]]] = {
    "distributor": [
        (0, "Omnichannel POS Cloud Edition", CoSaleStatus.LISTED, 120, 105, None, ""),
        (0, "Membership Marketing Add-on", CoSaleStatus.REQUESTED, 6, None, None, ""),
        (0, "In-Store Analytics Pack", CoSaleStatus.REJECTED, 60, None, None,
         "Overlaps with an existing marketplace listing; please differentiate the offer."),
        (2, "ERP Hosting Starter", CoSaleStatus.DELISTED, 400, 380, 90, ""),
    ],
    "provider": [
        (0, "MES Standard Edition (50 stations)", CoSaleStatus.LISTED, 200, 185, None, ""),
        (0, "MES Quality Tracing Module", CoSaleStatus.REQUESTED, 3, None, None, ""),
        (0, "MES Edge Gateway Bundle", CoSaleStatus.REJECTED, 45, None, None,
         "The hardware part cannot be sold through co-sale; list the software only."),
        (2, "Warehouse Migration Assessment", CoSaleStatus.DELISTED, 300, 280, 40, ""),
    ],
    "service": [
        (0, "Kubernetes Operations Basic (monthly)", CoSaleStatus.LISTED, 150, 140, None, ""),
    ],
}


async def seed_solutions(ctx: DemoContext) -> None:
    for handle, specs in SOLUTIONS.items():
        solutions = []
        for i, (name, summary, industries, status) in enumerate(specs):
            solutions.append(await Solution.create(
                partner=ctx.partners[handle], name=name, summary=summary, industries=industries, status=status,
                pdm_contact=PDM_CONTACT, created_at=ctx.at(days=-500 + 30 * i),
            ))
        for index, name, listing_status, requested, listed, delisted, reason in CO_SALE.get(handle, []):
            await CoSaleProduct.create(
                solution=solutions[index],
                name=name,
                status=listing_status,
                rejection_reason=reason,
                requested_at=ctx.at(days=-requested),
                listed_at=ctx.at(days=-listed) if listed is not None else None,
                delisted_at=ctx.at(days=-delisted) if delisted is not None else None,
                created_at=ctx.at(days=-requested),
            )
