"""The news list's filter and order; the inputs of the news mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from schema.enums import NewsCategory, NewsStatus
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input


@strawberry.input(description="Criteria for news articles.")
class NewsFilter(FilterInput):
    category: NewsCategory | None = strawberry.field(default=None, description="Only this category.")
    status: NewsStatus | None = strawberry.field(default=None, description="Only this status (staff; partners see published ones).")

    def lookups(self) -> list[Q]:
        return criteria(category=self.category, status=self.status)


NewsOrder = order_input("NewsOrder", "How to order news.", {
    "PUBLISHED_AT": ("published_at", "By when they were published."),
}, default="PUBLISHED_AT")


@strawberry.input(description="A new news article.")
class NewsCreateInput:
    title: str = strawberry.field(description="1 to 200 characters.")
    body: str = strawberry.field(description="1 to 20,000 characters of plain text.")
    category: NewsCategory = strawberry.field(description="Its category.")
    summary: str | None = strawberry.field(default=None, description="At most 500 characters.")
    publish: bool = strawberry.field(default=True, description="Publish at once (default), or keep it a DRAFT.")


@strawberry.input(description="Changes to a news article; what is left out stays.")
class NewsUpdateInput:
    id: relay.GlobalID = node_id("NewsArticle", description="The article.")
    title: str | None = strawberry.field(default=None, description="1 to 200 characters.")
    summary: str | None = strawberry.field(default=None, description="At most 500 characters.")
    body: str | None = strawberry.field(default=None, description="1 to 20,000 characters.")
    category: NewsCategory | None = strawberry.field(default=None, description="Its category.")


@strawberry.input(description="A news article.")
class NewsArticleInput:
    id: relay.GlobalID = node_id("NewsArticle", description="The article.")
