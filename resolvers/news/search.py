"""Keyword search over published news with the database's own full-text search, ranked.

SQLite: an FTS5 table over the articles (external content, kept by triggers) ranked by bm25 with the
title weighing most. PostgreSQL: the weighted tsvector of title (A), summary (B) and body (C), matched
with `plainto_tsquery` and ranked by `ts_rank` (a GIN index on the same expression, migration 0007).
Any input text is safe: only its words reach SQLite's query, each quoted, and PostgreSQL reads it as
plain text, never as query syntax.
"""

from __future__ import annotations

import re
from typing import Any

from models.news import PG_VECTOR, NewsArticle, NewsCategory, NewsStatus, dialect, ensure_search_index

MAX_TERMS = 10
MAX_RESULTS = 50
WORD = re.compile(r"\w+")
def terms(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_TERMS]


async def search(text: str, *, category: NewsCategory | None, limit: int) -> list[NewsArticle]:
    """Published articles matching every word of `text`, best first (a title hit before a body hit)."""
    words = terms(text)
    if not words:
        return []
    client = NewsArticle._meta.db
    limit = max(1, min(limit, MAX_RESULTS))
    if dialect(client) == "postgres":
        # The text itself: plainto_tsquery reads it with the parser to_tsvector read the articles with
        # (words joined by dots or hyphens stay one token on both sides), and takes no query syntax.
        params: list[Any] = [" ".join(text.split()), NewsStatus.PUBLISHED.value]
        where = "status = $2"
        if category is not None:
            params.append(category.value)
            where += f" AND category = ${len(params)}"
        params.append(limit)
        sql = (f"SELECT id FROM news_article, plainto_tsquery('english', $1) AS q WHERE {where} AND ({PG_VECTOR}) @@ q "
               f"ORDER BY ts_rank({PG_VECTOR}, q) DESC, published_at DESC, id DESC LIMIT ${len(params)}")
        ids = [row["id"] for row in await client.execute_query_dict(sql, params)]
    else:
        match = " ".join(f'"{word}"' for word in words)
        where = "a.status = ?"
        params = [match, NewsStatus.PUBLISHED.value]
        if category is not None:
            where += " AND a.category = ?"
            params.append(category.value)
        params.append(limit)
        sql = (f"SELECT a.id FROM news_fts JOIN news_article a ON a.id = news_fts.rowid WHERE news_fts MATCH ? AND {where} "
               "ORDER BY bm25(news_fts, 10.0, 4.0, 1.0), a.published_at DESC, a.id DESC LIMIT ?")
        try:
            ids = [row["id"] for row in await client.execute_query_dict(sql, params)]
        except Exception as error:  # the index does not exist yet in a database made without migrations
            if "no such table" not in str(error):
                raise
            await ensure_search_index(client)
            ids = [row["id"] for row in await client.execute_query_dict(sql, params)]
    rows = {row.id: row for row in await NewsArticle.filter(id__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]
