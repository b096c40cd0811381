"""News: staff write and publish; partners mark articles read."""

from __future__ import annotations

import strawberry

from resolvers.news import services
from resolvers.permissions.catalog import Permission
from schema.mutations import Payload, PayloadField, mutation
from schema.news.inputs import NewsArticleInput, NewsCreateInput, NewsUpdateInput
from schema.news.types import NewsArticle

ARTICLE = Payload(
    "The result of a change to a news article.",
    returns=PayloadField("article", NewsArticle, "The article as it is now; null if refused."),
    name="NewsArticlePayload",
)


@strawberry.type(description="News (新闻动态).")
class NewsMutations:
    news_create = mutation(
        requires=Permission.SUPPORT_NEWS_MANAGE, input=NewsCreateInput, service=services.create,
        argument="The article.", description="Write a news article (staff), published at once unless `publish: false`.",
        payload=ARTICLE,
    )
    news_update = mutation(
        requires=Permission.SUPPORT_NEWS_MANAGE, input=NewsUpdateInput, service=services.update,
        argument="The article and its changes.", description="Change a news article (staff); its search index follows.",
        payload=ARTICLE,
    )
    news_publish = mutation(
        requires=Permission.SUPPORT_NEWS_MANAGE, input=NewsArticleInput, service=services.publish,
        argument="The article.", description="Publish a DRAFT or WITHDRAWN article (staff).", payload=ARTICLE,
    )
    news_withdraw = mutation(
        requires=Permission.SUPPORT_NEWS_MANAGE, input=NewsArticleInput, service=services.withdraw,
        argument="The article.", description="Withdraw a PUBLISHED article (staff): partners no longer see it.",
        payload=ARTICLE,
    )
    news_mark_read = mutation(
        requires=Permission.SUPPORT_NEWS_VIEW, input=NewsArticleInput, service=services.mark_read,
        argument="The article.", description="Mark a published article read (it leaves the home page's unread count).",
        payload=ARTICLE,
    )
