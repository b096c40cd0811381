"""Publish the models' enums in the schema, each value with its description.

The models own the values and descriptions (see `models.base.DescribedEnum`); this turns
them into GraphQL enums without a second list to keep in step.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from models import account, audit, coupons, customers, experts, invitations, members, partners, solutions, tasks


def publish(enum_cls: type[Enum], description: str) -> type[Enum]:
    strawberry.enum(enum_cls, description=description)
    for value in enum_cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = enum_cls[value.name].description  # type: ignore[attr-defined]
    return enum_cls


PartnerIdentity = publish(partners.PartnerIdentity, "A partner identity (合作伙伴身份); a partner holds one or more.")
IdentityGroup = publish(partners.IdentityGroup, "The group of partner identities that decides default permissions.")
ProgramCode = publish(partners.ProgramCode, "A partner program a partner may join.")
RealNameStatus = publish(partners.RealNameStatus, "Real-name verification status (实名认证).")
AccountKind = publish(members.AccountKind, "What kind of account a person signs in with.")
AccountStatus = publish(members.AccountStatus, "Whether an account may sign in.")
StaffRole = publish(members.StaffRole, "A platform staff role.")
PresetRole = publish(members.PresetRole, "A preset partner role.")
InvitationStatus = publish(invitations.InvitationStatus, "Where an invitation stands.")
InviteeIdentifierType = publish(invitations.InviteeIdentifierType, "How an invitee is identified.")
SpecialistStatus = publish(experts.SpecialistStatus, "Where a project-specialist proposal stands.")
ExpertStage = publish(experts.ExpertStage, "The stage of an expert application.")
SolutionStatus = publish(solutions.SolutionStatus, "Publication status of a solution.")
CoSaleStatus = publish(solutions.CoSaleStatus, "Listing status of a co-sale product.")
CouponKind = publish(coupons.CouponKind, "The three kinds of coupon.")
QuotaStatus = publish(coupons.QuotaStatus, "Status of a coupon quota; only NORMAL issues coupons.")
CouponStatus = publish(coupons.CouponStatus, "Status of an issued coupon.")
CouponOperationType = publish(coupons.CouponOperationType, "The kind of a coupon operation record.")
OperationResult = publish(coupons.OperationResult, "Outcome of a coupon operation.")
TaskKind = publish(tasks.TaskKind, "The kind of marketing task (营销任务).")
TaskStrategy = publish(tasks.TaskStrategy, "The strategy a marketing task follows.")
TaskStatus = publish(tasks.TaskStatus, "Where a marketing task stands.")
AssociationType = publish(customers.AssociationType, "How a customer is associated with its partner.")
LedgerEntryKind = publish(account.LedgerEntryKind, "What moved money in the account ledger.")
AuditOutcome = publish(audit.AuditOutcome, "The outcome recorded in an audit record.")


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Ascending: smallest or oldest first.")
    DESC = strawberry.enum_value("DESC", description="Descending: largest or newest first.")
