"""News (新闻动态) written by platform staff, and who has read what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account



class NewsStatus(DescribedEnum):
    DRAFT = "DRAFT", "Written, not yet published."
    PUBLISHED = "PUBLISHED", "Published: partners read it."
    WITHDRAWN = "WITHDRAWN", "Withdrawn after publication: partners no longer see it."


class NewsCategory(DescribedEnum):
    ANNOUNCEMENT = "ANNOUNCEMENT", "Platform announcements."
    PROGRAM = "PROGRAM", "Partner programs and policies."
    PRODUCT = "PRODUCT", "Products and releases."
    EVENT = "EVENT", "Events and training."


class NewsArticle(Model):
    """A news article (新闻动态) written by platform staff."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    summary = fields.CharField(max_length=500, default="")
    body = fields.TextField()
    category = fields.CharEnumField(NewsCategory, db_index=True)
    status = fields.CharEnumField(NewsStatus, default=NewsStatus.DRAFT, db_index=True)
    published_at = fields.DatetimeField(null=True, db_index=True)
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="news_articles", null=True, on_delete=fields.SET_NULL, db_index=True)
    author_id: int | None
    created_at = created_at_field()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "news_article"
        ordering = ["id"]


class NewsRead(Model):
    """That an account has read an article (for the home page's unread count)."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[NewsArticle] = fields.ForeignKeyField("models.NewsArticle", related_name="reads", on_delete=fields.CASCADE, db_index=True)
    article_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="news_reads", on_delete=fields.CASCADE, db_index=True)
    account_id: int
    read_at = created_at_field()

    class Meta:
        table = "news_read"
        unique_together = (("article", "account"),)


# Full-text search over the articles (resolvers/news/search.py); created by migration 0007 and again
# after every migration (a SQLite table rebuild drops the triggers), or on the first search.
PG_VECTOR = ("setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B') || "
             "setweight(to_tsvector('english', body), 'C')")
SQLITE_SETUP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS news_fts USING fts5(title, summary, body, content='news_article', content_rowid='id')",
    "CREATE TRIGGER IF NOT EXISTS news_fts_insert AFTER INSERT ON news_article BEGIN "
    "INSERT INTO news_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS news_fts_delete AFTER DELETE ON news_article BEGIN "
    "INSERT INTO news_fts(news_fts, rowid, title, summary, body) VALUES ('delete', old.id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS news_fts_update AFTER UPDATE ON news_article BEGIN "
    "INSERT INTO news_fts(news_fts, rowid, title, summary, body) VALUES ('delete', old.id, old.title, old.summary, old.body); "
    "INSERT INTO news_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body); END",
)
PG_INDEX = f"CREATE INDEX IF NOT EXISTS news_article_search ON news_article USING GIN (({PG_VECTOR}))"



def dialect(client: BaseDBAsyncClient) -> str:
    return "postgres" if client.capabilities.dialect == "postgres" else "sqlite"


SQLITE_OBJECTS = {"news_fts", "news_fts_insert", "news_fts_delete", "news_fts_update"}


async def ensure_search_index(client: BaseDBAsyncClient) -> None:
    """The search structures, created where missing. On SQLite a missing trigger means the index
    missed writes (a migration rebuilt the table, which drops its triggers): it is then re-read from
    every article; when all are there, this is one read of the catalogue."""
    if dialect(client) == "postgres":
        await client.execute_script(PG_INDEX)
        return
    found = await client.execute_query_dict(
        "SELECT name FROM sqlite_master WHERE name IN ('news_fts', 'news_fts_insert', 'news_fts_delete', 'news_fts_update')")
    if {row["name"] for row in found} == SQLITE_OBJECTS:
        return
    for statement in SQLITE_SETUP:
        await client.execute_script(statement)
    await client.execute_script("INSERT INTO news_fts(news_fts) VALUES ('rebuild')")
