"""Publish the models' enums in the schema, each value with its description.

The models own the values and descriptions (see `models.base.DescribedEnum`); this turns
them into GraphQL enums without a second list to keep in step.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

from models import (
    account,
    audit,
    certificates,
    channel,
    cloudlab,
    coupons,
    customers,
    experts,
    incentives,
    invitations,
    members,
    news,
    partners,
    realname,
    solutions,
    tasks,
)

E = TypeVar("E", bound=Enum)


def publish(enum_cls: type[E], description: str) -> type[E]:
    strawberry.enum(enum_cls, description=description)
    for value in enum_cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = enum_cls[value.name].description  # type: ignore[attr-defined]
    return enum_cls


# Every model enum the API shows, with its type description (its values carry their own).
PUBLISHED: dict[type[Enum], str] = {
    partners.PartnerIdentity: "A partner identity (合作伙伴身份); a partner holds one or more.",
    partners.IdentityGroup: "The group of partner identities that decides default permissions.",
    partners.ProgramCode: "A partner program a partner may join.",
    partners.RealNameStatus: "Real-name verification status (实名认证).",
    members.AccountKind: "What kind of account a person signs in with.",
    members.AccountStatus: "Whether an account may sign in.",
    members.StaffRole: "A platform staff role.",
    members.PresetRole: "A preset partner role.",
    invitations.InvitationStatus: "Where an invitation stands.",
    invitations.InviteeIdentifierType: "How an invitee is identified.",
    experts.SpecialistStatus: "Where a project-specialist proposal stands.",
    experts.ExpertStage: "The stage of an expert application.",
    solutions.SolutionStatus: "Publication status of a solution.",
    solutions.CoSaleStatus: "Listing status of a co-sale product.",
    coupons.CouponKind: "The three kinds of coupon.",
    coupons.QuotaStatus: "Status of a coupon quota; only NORMAL issues coupons.",
    coupons.CouponStatus: "Status of an issued coupon.",
    coupons.CouponOperationType: "The kind of a coupon operation record.",
    coupons.OperationResult: "Outcome of a coupon operation.",
    tasks.TaskKind: "The kind of marketing task (营销任务).",
    tasks.TaskStrategy: "The strategy a marketing task follows.",
    tasks.TaskStatus: "Where a marketing task stands.",
    customers.AssociationType: "How a customer is associated with its partner.",
    customers.CustomerKind: "Whether a customer is a company or a person.",
    customers.CustomerStatus: "Whether a customer is still associated with its partner.",
    customers.AuthorizationScope: "What an on-behalf authorization (代下单授权) lets the partner do.",
    customers.AuthorizationStatus: "Where an on-behalf authorization stands.",
    customers.DisassociationRequestStatus: "Where a customer's disassociation request stands.",
    customers.AssociationOperation: "The kind of an association operation record (关联关系操作记录).",
    channel.ResellerInvitationStatus: "Where a distributor's reseller invitation stands.",
    certificates.CertificateKind: "What a certificate certifies: a program or a development path.",
    news.NewsStatus: "Where a news article stands.",
    news.NewsCategory: "The category of a news article.",
    realname.RealNameType: "Whose real-name verification it is: a company's or a person's.",
    cloudlab.CloudLabStatus: "Where a cloud-lab application (云实验) stands.",
    account.LedgerEntryKind: "What moved money in the account ledger.",
    audit.AuditOutcome: "The outcome recorded in an audit record.",
    incentives.IncentiveType: "The kind of incentive (激励类型) a reconciliation bill is for.",
    incentives.IncentiveBillStatus: "Where a reconciliation bill (激励对账) stands.",
    incentives.BillingMode: "How the order behind an incentive line was billed.",
    incentives.PayoutMethod: "How an incentive is paid out (激励发放方式); fixed once an application is made.",
    incentives.PayoutStatus: "Where a payout application (激励申付) stands.",
    incentives.SettlementStatus: "Where a store-product settlement bill (云商店商品分账) stands.",
    incentives.SettlementAction: "What platform staff do with a settlement bill, and how its status moves.",
}
for _enum, _description in PUBLISHED.items():
    publish(_enum, _description)

PartnerIdentity = partners.PartnerIdentity
IdentityGroup = partners.IdentityGroup
ProgramCode = partners.ProgramCode
RealNameStatus = partners.RealNameStatus
AccountKind = members.AccountKind
AccountStatus = members.AccountStatus
StaffRole = members.StaffRole
PresetRole = members.PresetRole
InvitationStatus = invitations.InvitationStatus
InviteeIdentifierType = invitations.InviteeIdentifierType
SpecialistStatus = experts.SpecialistStatus
ExpertStage = experts.ExpertStage
SolutionStatus = solutions.SolutionStatus
CoSaleStatus = solutions.CoSaleStatus
CouponKind = coupons.CouponKind
QuotaStatus = coupons.QuotaStatus
CouponStatus = coupons.CouponStatus
CouponOperationType = coupons.CouponOperationType
OperationResult = coupons.OperationResult
TaskKind = tasks.TaskKind
TaskStrategy = tasks.TaskStrategy
TaskStatus = tasks.TaskStatus
AssociationType = customers.AssociationType
LedgerEntryKind = account.LedgerEntryKind
AuditOutcome = audit.AuditOutcome
IncentiveType = incentives.IncentiveType
IncentiveBillStatus = incentives.IncentiveBillStatus
BillingMode = incentives.BillingMode
PayoutMethod = incentives.PayoutMethod
PayoutStatus = incentives.PayoutStatus
SettlementStatus = incentives.SettlementStatus
SettlementAction = incentives.SettlementAction


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Ascending: smallest or oldest first.")
    DESC = strawberry.enum_value("DESC", description="Descending: largest or newest first.")
CustomerKind = customers.CustomerKind
CustomerStatus = customers.CustomerStatus
AuthorizationScope = customers.AuthorizationScope
AuthorizationStatus = customers.AuthorizationStatus
DisassociationRequestStatus = customers.DisassociationRequestStatus
AssociationOperation = customers.AssociationOperation
ResellerInvitationStatus = channel.ResellerInvitationStatus
CertificateKind = certificates.CertificateKind
NewsStatus = news.NewsStatus
NewsCategory = news.NewsCategory
RealNameType = realname.RealNameType
CloudLabStatus = cloudlab.CloudLabStatus
