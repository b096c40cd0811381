"""The root mutation: each domain contributes its mutations by inheritance."""

from __future__ import annotations

import strawberry

from schema.account.mutations import AccountMutations
from schema.channel.mutations import ChannelMutations
from schema.cloudlab.mutations import CloudLabMutations
from schema.coupons.mutations import CouponMutations
from schema.customers.mutations import CustomerMutations
from schema.experts.mutations import ExpertMutations
from schema.incentives.mutations import IncentiveMutations
from schema.invitations.mutations import InvitationMutations
from schema.members.mutations import MemberMutations
from schema.news.mutations import NewsMutations
from schema.partners.mutations import PartnerMutations
from schema.safeguards.mutations import SafeguardMutations
from schema.solutions.mutations import SolutionMutations
from schema.tasks.mutations import TaskMutations


@strawberry.type(description="Every change: one `input`, a payload with the changed object and `userErrors`.")
class Mutation(
    MemberMutations, InvitationMutations, ExpertMutations, SolutionMutations,
    CouponMutations, CustomerMutations, TaskMutations, AccountMutations, IncentiveMutations, SafeguardMutations, ChannelMutations,
    NewsMutations, CloudLabMutations, PartnerMutations,
):
    pass
