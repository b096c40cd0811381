"""News (新闻动态)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import news as m
from resolvers.members.queries import readable_accounts
from resolvers.news.queries import readable_news
from resolvers.permissions.catalog import Permission
from schema.enums import NewsCategory, NewsStatus
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, related_field


@strawberry.type(description="A news article (新闻动态) from the platform.", directives=[PUBLIC])
class NewsArticle(ModelNode):
    model = m.NewsArticle
    readable = readable_news

    title: str = strawberry.field(description="The title.")
    summary: str = strawberry.field(description="A short summary.")
    body: str = strawberry.field(description="The article (plain text).")
    category: NewsCategory = strawberry.field(description="Its category.")
    status: NewsStatus = strawberry.field(description="Where it stands; partners see PUBLISHED articles only.")
    published_at: datetime | None = strawberry.field(description="When it was (last) published.")
    updated_at: datetime = strawberry.field(description="When it was last changed.")

    author = related_field(Account, readable_accounts, "author_id", description="The staff member who wrote it.",
                           requires=Permission.SUPPORT_NEWS_MANAGE)
