"""The caller itself."""

from __future__ import annotations

import strawberry

from resolvers.cloudlab.queries import lab_points
from resolvers.customers.queries import readable_customers
from resolvers.invitations.queries import invitations_addressed_to
from resolvers.members.queries import readable_accounts, readable_api_keys
from resolvers.partners.queries import readable_partners
from resolvers.permissions.catalog import Permission
from resolvers.realname.queries import own_verification
from schema.customers.inputs import CustomerAssociationFilter, CustomerOrder
from schema.customers.types import Customer
from schema.invitations.types import Invitation
from schema.members.mutations import ApiKey
from schema.members.types import Account
from schema.partners.types import Partner
from schema.permissions.directive import PUBLIC, permission_field, permission_values
from schema.realname.types import RealNameInfo
from schema.relay import connection_field, own_row
from schema.sql_values import from_caller
from schema.viewer.home import Home


@strawberry.type(description="Who you are: your account, your partner and what you may do.", directives=[PUBLIC])
class Viewer:
    @strawberry.field(description="Your own account.", metadata=own_row(readable_accounts, "account_id"))
    async def account(self, info: strawberry.Info) -> Account:
        return await readable_accounts(info.context.principal).get(id=info.context.principal.account_id)  # type: ignore[return-value]  # a row is shown as its type

    @strawberry.field(description="Your partner; null for platform staff and personal accounts.",
                      metadata=own_row(readable_partners, "partner_id"))
    async def partner(self, info: strawberry.Info) -> Partner | None:
        return await info.context.load(readable_partners, info.context.principal.partner_id)

    @strawberry.field(description="Your effective permissions: identity defaults plus your roles' grants, narrowed by "
                                  "API-key scopes; sorted by code.", metadata=from_caller())
    def permissions(self, info: strawberry.Info) -> list[Permission]:
        return permission_values(info.context.principal.permissions)

    @strawberry.field(description="Your roles' names (partner members); empty for others.", metadata=from_caller())
    def roles(self, info: strawberry.Info) -> list[str]:
        return list(info.context.principal.roles)

    @permission_field(requires=Permission.PARTNER_CREDENTIALS_MANAGE, description="Your API keys, newest first (secrets are never shown again).")
    async def api_keys(self, info: strawberry.Info) -> list[ApiKey] | None:
        return list(await readable_api_keys(info.context.principal).order_by("-created_at", "-id"))  # type: ignore[arg-type]  # rows shown as their type

    @permission_field(requires=Permission.INVITATION_RESPOND, description="Pending invitations addressed to you (personal accounts).")
    async def pending_invitations(self, info: strawberry.Info) -> list[Invitation] | None:
        return list(await invitations_addressed_to(info.context.principal).order_by("-sent_at"))  # type: ignore[arg-type]  # rows shown as their type

    customer_associations = connection_field(
        Customer, description="Your associations with partners (customer accounts): one per partner you are or were "
                              "associated with, each with its authorizations, orders on your behalf and disassociation "
                              "requests.",
        rows=lambda root, info: readable_customers(info.context.principal).filter(
            customer_account_id=info.context.principal.account_id),
        filter_type=CustomerAssociationFilter, order_type=CustomerOrder, default_order=("name",),
        requires=Permission.CUSTOMER_SELF_VIEW,
    )

    @permission_field(requires=Permission.SUPPORT_REALNAME_VIEW,
                      description="Your own real-name verification (个人实名认证), if you have one.")
    async def real_name_verification(self, info: strawberry.Info) -> RealNameInfo | None:
        return RealNameInfo.of(await own_verification(info.context.principal))

    @strawberry.field(description="Your lab points, credited by cloud-lab benefits (云实验) issued to you.")
    async def lab_points(self, info: strawberry.Info) -> int:
        return await lab_points(info.context.principal.account_id)

    @permission_field(requires=Permission.HOME_VIEW, description="The home page (主页): what waits for you.")
    def home(self) -> Home | None:
        return Home()
