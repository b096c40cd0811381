"""Reseller invitations a caller may read, and the rules of the reseller channel that only read.

An invitation is the business of both partners it names: the distributor that sent it and the
partner invited. Neither can read the other's company data (the invitee is no reseller of the
distributor yet), so each side learns the other's name from the invitation itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import Q

from models.channel import ResellerInvitation
from models.partners import Partner, PartnerProgram, ProgramCode
from models.partners import PartnerIdentity as I
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped


def _sent_or_received(principal: Principal) -> Q:
    """A partner's members read what their partner sent or received; customers and personal
    accounts read none (a customer principal carries no partner of its own to match)."""
    if principal.partner_id is None or principal.is_customer:
        return Q(id__in=[])
    return Q(distributor_id=principal.partner_id) | Q(invitee_id=principal.partner_id)


readable_reseller_invitations = scoped(ResellerInvitation, tenant=None, staff=Permission.RESELLER_VIEW, also=_sent_or_received)


async def partner_names(ids: Sequence[int]) -> list[str | None]:
    """The names of these partners, in order: shown on an invitation to both sides, though
    neither may read the other partner (the name is all an invitation reveals of it)."""
    names = dict(await Partner.filter(id__in=list(set(ids))).values_list("id", "name"))
    return [names.get(pk) for pk in ids]


def partner_name_sql(partner_id: str) -> str:
    """`partner_names` in SQL for one row's `partner_id` expression ('' when it names no partner)."""
    return f'COALESCE((SELECT "name" FROM "{Partner._meta.db_table}" WHERE "id" = {partner_id}), \'\')'


async def _in_program(partner_id: int, program: ProgramCode, now: datetime) -> bool:
    """Whether the partner holds `program` now: joined, and not expired."""
    return await PartnerProgram.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now),
                                       partner_id=partner_id, program=program).exists()


NOT_INVITABLE = ("No partner you may invite has this ID: a reseller (or a solution provider whose program has expired) "
                 "in the reseller program, in your region, and managed by no distributor.")


async def _sp_program_expired(partner_id: int, now: datetime) -> bool:
    """A solution provider may become a reseller once it had a solution-provider program that is over."""
    return await PartnerProgram.filter(partner_id=partner_id, program=ProgramCode.SOLUTION_PROVIDER_PROGRAM,
                                       expires_at__lte=now).exists() and not await _in_program(
        partner_id, ProgramCode.SOLUTION_PROVIDER_PROGRAM, now)


async def why_not_invitable(distributor: Partner, invitee: Partner, now: datetime) -> str | None:
    """docs/domain.md §2: why `invitee` may not become `distributor`'s reseller now, said to the
    invitee's own admin; None if it may.

    It holds RESELLER, or SOLUTION_PROVIDER with an expired solution-provider program (the two never
    coexist: accepting turns the one into the other); never DISTRIBUTOR. It is in the distribution
    (reseller) program now, in the distributor's region, and managed by no distributor.
    """
    identities = set(invitee.identities)
    if invitee.parent_distributor_id is not None:
        return "Your partner is already managed by a distributor."
    if I.DISTRIBUTOR.value in identities or not identities & {I.RESELLER.value, I.SOLUTION_PROVIDER.value}:
        return "Only a reseller, or a solution provider whose program has expired, can become a reseller."
    if I.SOLUTION_PROVIDER.value in identities and not await _sp_program_expired(invitee.id, now):
        return "A solution provider becomes a reseller only once its solution-provider program has expired."
    if not await _in_program(invitee.id, ProgramCode.DISTRIBUTION_PROGRAM, now):
        return "Your partner is not in the reseller (distribution) program."
    if invitee.region != distributor.region:
        return f"A reseller works in its distributor's region ({distributor.region}); your partner is in {invitee.region}."
    return None


async def check_invitee(distributor: Partner, invitee: Partner, now: datetime, *, field: str, accepting: bool = False) -> None:
    """Refused at input `field` unless `invitee` may become `distributor`'s reseller. The invitee's
    admin, accepting, is told why (managed already: CONFLICT, another invitation won); the
    distributor, inviting, learns nothing of a partner it may not invite (NOT_FOUND, as for a missing
    ID: it cannot read other partners), except that one is its reseller already."""
    reason = await why_not_invitable(distributor, invitee, now)
    if reason is None:
        return
    if accepting:
        code = Code.CONFLICT if invitee.parent_distributor_id is not None else Code.NOT_ALLOWED
        raise Refusal(code, reason, [field])
    if invitee.parent_distributor_id == distributor.id:
        raise Refusal(Code.CONFLICT, f"{invitee.name} is already your reseller.", [field])
    raise Refusal(Code.NOT_FOUND, NOT_INVITABLE, [field])


def reseller_identities(identities: Sequence[str]) -> list[str]:
    """The identities of a partner that became a reseller: SOLUTION_PROVIDER gives way to RESELLER
    (a partner never holds both); the others stay, in their order."""
    kept = [i for i in identities if i != I.SOLUTION_PROVIDER.value]
    return kept if I.RESELLER.value in kept else [*kept, I.RESELLER.value]
