"""News on SQLite and PostgreSQL: staff publish, update and withdraw; partners read what is
published, newest first, by category; the full-text search finds a word in the body, ranks a title
hit first, follows updates and withdrawals, and is safe for any input text."""

from __future__ import annotations

import uuid

import pytest

from models.news import NewsArticle, NewsStatus
from tests.callers import Caller, mutate
from tests.factories import unique
from tests.graphql import pk_of

SEARCH = """query($text: String!, $category: NewsCategory) { newsSearch(text: $text, category: $category, first: 10) {
  id title category } }"""
LIST = """query($filter: NewsFilter) { news(first: 50, filter: $filter) { totalCount nodes { id title status publishedAt } } }"""


def _word(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


async def _publish(staff: Caller, title: str, body: str, category: str = "PRODUCT", **extra) -> str:
    created = await mutate(staff, "newsCreate", {"title": title, "body": body, "category": category, **extra})
    assert created.codes == [], created.response.body
    return created["article"]["id"]


async def test_publish_update_withdraw(as_staff_operations: Caller, as_distributor_admin: Caller, as_provider_admin: Caller) -> None:
    word = _word("zephyr")
    draft = await _publish(as_staff_operations, f"Draft {word}", "Soon.", publish=False)
    assert (await as_distributor_admin.query(SEARCH, {"text": word})).ok()["newsSearch"] == []
    listed = (await as_distributor_admin.query(LIST)).ok()["news"]["nodes"]
    assert draft not in {n["id"] for n in listed} and all(n["status"] == "PUBLISHED" for n in listed)
    published = await mutate(as_staff_operations, "newsPublish", {"id": draft})
    assert published.codes == [] and published["article"]["status"] == "PUBLISHED"
    assert [a["id"] for a in (await as_provider_admin.query(SEARCH, {"text": word})).ok()["newsSearch"]] == [draft]

    # An update moves what the search finds.
    other = _word("quasar")
    assert (await mutate(as_staff_operations, "newsUpdate", {"id": draft, "title": f"Renamed {other}"})).codes == []
    assert (await as_provider_admin.query(SEARCH, {"text": word})).ok()["newsSearch"] == []
    assert [a["title"] for a in (await as_provider_admin.query(SEARCH, {"text": other})).ok()["newsSearch"]] == [f"Renamed {other}"]

    withdrawn = await mutate(as_staff_operations, "newsWithdraw", {"id": draft})
    assert withdrawn.codes == [] and withdrawn["article"]["status"] == "WITHDRAWN"
    assert (await as_provider_admin.query(SEARCH, {"text": other})).ok()["newsSearch"] == []
    assert (await mutate(as_staff_operations, "newsWithdraw", {"id": draft})).codes == ["INVALID_STATE"]
    # Partners may not write; staff without the permission neither.
    denied = await as_distributor_admin.query('mutation { newsCreate(input: {title: "x", body: "y", category: EVENT}) '
                                              "{ userErrors { code } } }")
    assert denied.codes == ["FORBIDDEN"]
    before = await NewsArticle.all().count()
    for values, code in (({"title": "", "body": "b", "category": "EVENT"}, "REQUIRED"),
                         ({"title": "t" * 201, "body": "b", "category": "EVENT"}, "TOO_LONG"),
                         ({"title": "t", "body": "b" * 20_001, "category": "EVENT"}, "TOO_LONG")):
        assert (await mutate(as_staff_operations, "newsCreate", values)).codes == [code]
    assert await NewsArticle.all().count() == before
    for values, code in (({"title": ""}, "REQUIRED"), ({"body": "   "}, "REQUIRED"), ({"title": "t" * 201}, "TOO_LONG")):
        assert (await mutate(as_staff_operations, "newsUpdate", {"id": draft, **values})).codes == [code], values
    assert (await NewsArticle.get(id=pk_of(draft))).title == f"Renamed {other}"


async def test_a_title_hit_ranks_first(as_staff_operations: Caller, as_distributor_admin: Caller) -> None:
    word = _word("nebula")
    in_body = await _publish(as_staff_operations, "Quarterly update", f"This quarter we shipped the {word} feature and more.")
    in_title = await _publish(as_staff_operations, f"Introducing {word}", "A short note.")
    found = [a["id"] for a in (await as_distributor_admin.query(SEARCH, {"text": word.upper()})).ok()["newsSearch"]]
    assert found == [in_title, in_body]
    by_category = (await as_distributor_admin.query(SEARCH, {"text": word, "category": "EVENT"})).ok()["newsSearch"]
    assert by_category == []


@pytest.mark.parametrize("text", ['"', "'", "AND OR NOT", "title:*", "NEAR(a b)", "a) OR (b", "%_\\", "\u0000x", "🚀",
                                  "-", "^", "*", "x" * 200, ""])
async def test_any_text_is_safe(as_distributor_admin: Caller, text: str) -> None:
    answer = await as_distributor_admin.query(SEARCH, {"text": text})
    if "\u0000" in text:
        assert answer.codes == ["BAD_USER_INPUT"]
    else:
        assert answer.ok()["newsSearch"] is not None


async def test_too_long_or_too_many(as_distributor_admin: Caller) -> None:
    assert (await as_distributor_admin.query(SEARCH, {"text": "x" * 201})).codes == ["BAD_USER_INPUT"]
    assert (await as_distributor_admin.query('{ newsSearch(text: "a", first: 51) { id } }')).codes == ["BAD_USER_INPUT"]


async def test_newest_first_and_read_marks(as_staff_operations: Caller, as_provider_admin: Caller) -> None:
    first = await _publish(as_staff_operations, unique("Older"), "One.")
    second = await _publish(as_staff_operations, unique("Newer"), "Two.")
    nodes = (await as_provider_admin.query(LIST, {"filter": {"category": "PRODUCT"}})).ok()["news"]["nodes"]
    ids = [n["id"] for n in nodes]
    assert ids.index(second) < ids.index(first)
    unread = "{ viewer { home { unreadNews } } }"
    before = (await as_provider_admin.query(unread)).ok()["viewer"]["home"]["unreadNews"]
    assert (await mutate(as_provider_admin, "newsMarkRead", {"id": second})).codes == []
    assert (await mutate(as_provider_admin, "newsMarkRead", {"id": second})).codes == []
    assert (await as_provider_admin.query(unread)).ok()["viewer"]["home"]["unreadNews"] == before - 1
    assert (await NewsArticle.get(id=pk_of(second))).status is NewsStatus.PUBLISHED


async def test_random_text_never_breaks_the_search(as_distributor_admin: Caller) -> None:
    """200 texts drawn from words, query operators, quotes, brackets, wildcards and other scripts."""
    import random

    pool = ['"', "'", "(", ")", "*", "^", ":", "-", "+", "NEAR", "AND", "OR", "NOT", "&", "|", "!", "<->", "\\", "%", "_",
            "title", "body", "部署", "ε", "🚀", " ", " ", "distribution", "rebate", "x"]
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        answer = await as_distributor_admin.query(SEARCH, {"text": text})
        assert answer.errors == [] and isinstance(answer.data["newsSearch"], list), (text, answer.body)


async def test_a_lost_trigger_is_restored_and_the_index_reread(as_staff_operations: Caller, as_distributor_admin: Caller) -> None:
    """What a SQLite table rebuild does to the search (its triggers go), and what `migrate` repairs."""
    from models.news import ensure_search_index

    client = NewsArticle._meta.db
    if client.capabilities.dialect == "postgres":
        await ensure_search_index(client)  # the GIN index: created if missing, nothing to re-read
        return
    await as_distributor_admin.query(SEARCH, {"text": "warmup"})  # the index exists
    await client.execute_script("DROP TRIGGER news_fts_insert")
    word = _word("orphan")
    article = await _publish(as_staff_operations, f"Lost {word}", "Written while the trigger was gone.")
    assert (await as_distributor_admin.query(SEARCH, {"text": word})).ok()["newsSearch"] == []
    await ensure_search_index(client)
    assert [a["id"] for a in (await as_distributor_admin.query(SEARCH, {"text": word})).ok()["newsSearch"]] == [article]
