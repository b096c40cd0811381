"""The root query: the viewer, Relay nodes and the partner list."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay

from resolvers.audit.queries import readable_audit_records
from resolvers.certificates.queries import verify as verify_certificate
from resolvers.customers.queries import readable_enterprises
from resolvers.errors import BadUserInput, NotFound
from resolvers.members.queries import readable_roles
from resolvers.news.queries import readable_news
from resolvers.news.search import MAX_RESULTS
from resolvers.news.search import search as search_news
from resolvers.partners.queries import readable_partners
from resolvers.permissions.catalog import Permission
from schema.audit.types import AuditRecord, AuditRecordFilter, AuditRecordOrder
from schema.certificates.types import CertificateVerification
from schema.customers.inputs import EnterpriseFilter
from schema.customers.types import EnterpriseProfile
from schema.enums import NewsCategory
from schema.members.types import Role
from schema.news.inputs import NewsFilter, NewsOrder
from schema.news.types import NewsArticle
from schema.node_lookup import MAX_NODES, check_count, node_lookup, node_target
from schema.partners.inputs import PartnerFilter, PartnerOrder
from schema.partners.types import Partner
from schema.permissions.directive import PUBLIC, permission_field, public_field
from schema.permissions.types import PermissionInfo, catalog_for
from schema.relay import connection_field, readable_rows
from schema.sql_values import stateless
from schema.viewer.types import Viewer

MAX_SEARCH_TEXT = 200


async def _resolve_node(info: strawberry.Info, raw: str) -> Any:
    origin, _, node_id = node_target(info.schema, raw, info.context.principal)
    [row] = await origin.resolve_nodes(info=info, node_ids=[node_id])
    if row is None:
        # The same answer for "does not exist" and "not yours": never confirm another tenant's object.
        raise NotFound(f"No node with ID `{raw}`.")
    return row


@strawberry.type(description="The root of every read.", directives=[PUBLIC])
class Query:
    @strawberry.field(description="Who you are and what you may do.", metadata=stateless())
    def viewer(self) -> Viewer:
        return Viewer()

    @strawberry.field(description="Any object by its global ID; null with a NOT_FOUND error if it does not exist or is not yours.",
                      metadata=node_lookup("one"))
    async def node(
        self, info: strawberry.Info, id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]
    ) -> relay.Node | None:
        return await _resolve_node(info, id)

    @strawberry.field(description=f"Objects by global ID (at most {MAX_NODES}), in order; null (with NOT_FOUND) where one is missing or not yours.",
                      metadata=node_lookup("many"))
    def nodes(
        self, info: strawberry.Info, ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")]
    ) -> list[relay.Node | None]:
        check_count(ids)
        # One awaitable per item, so each missing one gets its own error at its own path.
        return [_resolve_node(info, raw) for raw in ids]  # type: ignore[misc]  # graphql-core awaits each item

    news = connection_field(
        NewsArticle, description="News (新闻动态), newest first: partners read what is published, staff who write news read all.",
        rows=readable_rows(readable_news), filter_type=NewsFilter, order_type=NewsOrder,
        default_order=("-published_at", "-id"), requires=(Permission.SUPPORT_NEWS_VIEW, Permission.SUPPORT_NEWS_MANAGE),
    )

    @permission_field(requires=Permission.SUPPORT_NEWS_VIEW,
                      description=f"Published news matching every word of `text` (full-text, ranked: a word in the title "
                                  f"counts most), best first; at most {MAX_RESULTS}.")
    async def news_search(
        self, text: Annotated[str, strawberry.argument(description="Words to find; anything else in it is ignored.")],
        category: Annotated[NewsCategory | None, strawberry.argument(description="Only this category.")] = None,
        first: Annotated[int, strawberry.argument(description=f"How many, 1 to {MAX_RESULTS}.")] = 20,
    ) -> list[NewsArticle] | None:
        if not 1 <= first <= MAX_RESULTS:
            raise BadUserInput(f"`first` is 1 to {MAX_RESULTS}.", argument="first")
        if len(text) > MAX_SEARCH_TEXT:
            raise BadUserInput(f"`text` is at most {MAX_SEARCH_TEXT} characters.", argument="text")
        return await search_news(text, category=category, limit=first)  # type: ignore[return-value]  # rows shown as their type

    @public_field(description="What a certificate number certifies (anyone may ask); null if no certificate has it.")
    async def certificate_verification(
        self, number: Annotated[str, strawberry.argument(description="The certificate number, e.g. `PC20250101000001DP`.")],
    ) -> CertificateVerification | None:
        document = await verify_certificate(number)
        return CertificateVerification.of(document) if document is not None else None

    @strawberry.field(description="The permission catalog: every permission, who holds it by default, who may be granted it.")
    def permission_catalog(self, info: strawberry.Info) -> list[PermissionInfo]:
        return catalog_for(info.context.principal.identities)

    roles = connection_field(
        Role,
        description="The roles your partner's members can hold: the presets and your custom roles.",
        rows=readable_rows(readable_roles),
        requires=Permission.PARTNER_ACCOUNT_VIEW,
    )

    audit_records = connection_field(
        AuditRecord,
        description="Audit records, newest first: partner admins see their partner's, operations staff everyone's.",
        rows=readable_rows(readable_audit_records),
        filter_type=AuditRecordFilter, order_type=AuditRecordOrder, default_order=("-created_at",),
        requires=Permission.AUDIT_VIEW, page_size_required=True,
    )

    enterprises = connection_field(
        EnterpriseProfile,
        description="Enterprises by name, for customer insight (企业百科) and prospect registration (报备客户).",
        rows=readable_rows(readable_enterprises),
        filter_type=EnterpriseFilter, default_order=("name",),
        requires=Permission.CUSTOMER_INSIGHT_VIEW, page_size_required=True,
    )

    partners = connection_field(
        Partner,
        description="Partners you may see: staff see all, a distributor itself and its resellers, anyone else its own.",
        rows=readable_rows(readable_partners),
        filter_type=PartnerFilter,
        order_type=PartnerOrder,
        default_order=("name",),
        requires=Permission.PARTNER_COMPANY_VIEW,
    )
