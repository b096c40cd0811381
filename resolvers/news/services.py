"""News (新闻动态): staff write, publish, update and withdraw articles; partners mark them read.

    DRAFT → PUBLISHED → WITHDRAWN   (a withdrawn article may be published again)
"""

from __future__ import annotations

from datetime import UTC, datetime

from models.news import NewsArticle, NewsCategory, NewsRead, NewsStatus
from resolvers.news.queries import readable_news
from resolvers.principal import Principal
from resolvers.transitions import move
from resolvers.unit_of_work import ensure_row
from resolvers.validation import Checks

TITLE, SUMMARY, BODY = 200, 500, 20_000


def _texts(checks: Checks, title: str | None, summary: str | None, body: str | None, *, required: bool) -> dict[str, str]:
    """The texts given (all but the summary must be there when `required`); a title or body given is
    never empty, on update as on create."""
    found: dict[str, str] = {}
    for name, value, limit, may_be_empty in (("title", title, TITLE, False), ("summary", summary, SUMMARY, True),
                                             ("body", body, BODY, False)):
        if value is not None or (required and not may_be_empty):
            found[name] = checks.text(value, name, max_length=limit, required=not may_be_empty) or ""
    return found


async def create(principal: Principal, *, title: str, body: str, category: NewsCategory, summary: str | None = None,
                 publish: bool = True) -> NewsArticle:
    checks = Checks()
    texts = _texts(checks, title, summary, body, required=True)
    checks.done()
    now = datetime.now(UTC)
    return await NewsArticle.create(title=texts["title"], summary=texts.get("summary", ""), body=texts["body"],
                                    category=category, author_id=principal.account_id,
                                    status=NewsStatus.PUBLISHED if publish else NewsStatus.DRAFT,
                                    published_at=now if publish else None)


async def update(principal: Principal, *, id: int, title: str | None = None, summary: str | None = None,
                 body: str | None = None, category: NewsCategory | None = None) -> NewsArticle:
    checks = Checks()
    texts = _texts(checks, title, summary, body, required=False)
    checks.done()
    article = await readable_news.one(principal, id, "news article")
    changes: dict[str, object] = dict(texts)
    if category is not None:
        changes["category"] = category
    if changes:
        await NewsArticle.filter(id=article.id).update(**changes, updated_at=datetime.now(UTC))
    return await NewsArticle.get(id=article.id)


async def publish(principal: Principal, *, id: int) -> NewsArticle:
    article = await readable_news.one(principal, id, "news article")
    return await move(article, (NewsStatus.DRAFT, NewsStatus.WITHDRAWN), "published", noun="news article",
                      status=NewsStatus.PUBLISHED, published_at=datetime.now(UTC))


async def withdraw(principal: Principal, *, id: int) -> NewsArticle:
    article = await readable_news.one(principal, id, "news article")
    return await move(article, NewsStatus.PUBLISHED, "withdrawn", noun="news article", status=NewsStatus.WITHDRAWN)


async def mark_read(principal: Principal, *, id: int) -> NewsArticle:
    """Read, for the home page's unread count; reading twice changes nothing."""
    article = await readable_news.one(principal, id, "news article", status=NewsStatus.PUBLISHED)
    await ensure_row(NewsRead, article_id=article.id, account_id=principal.account_id)
    return article
