"""News (新闻动态) a caller may read: partners read what is published; staff who write news read all."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from models.news import NewsArticle, NewsRead, NewsStatus
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped


def _published(principal: Principal) -> Q:
    return Q(status=NewsStatus.PUBLISHED)


readable_news = scoped(NewsArticle, tenant=None, staff=Permission.SUPPORT_NEWS_MANAGE, also=_published)


async def unread_count(principal: Principal) -> int:
    return await readable_news(principal).filter(status=NewsStatus.PUBLISHED).exclude(
        id__in=Subquery(NewsRead.filter(account_id=principal.account_id).values("article_id"))).count()
