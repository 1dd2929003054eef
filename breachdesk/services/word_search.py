"""A search's words: how the database finds them, and whether they are too common to count.

Each word is matched anywhere in the reference or the description, in any case, as LIKE
finds it. The databases' trigram indexes (``models.derived``) find the incidents holding a
word of three characters or more: PostgreSQL's serve ILIKE as they stand; on SQLite the
FTS5 table names the candidates and LIKE, as before, decides, so both databases answer alike.

Counting a word costs what its matches do, and a word such as "email" is in a quarter of a
register: 25,000 incidents at 100,000, to read one by one whatever else the list asks. So
before a list is counted, the index says whether the words are common: in more than
``COUNTED_WHEN_IN_AT_MOST`` incidents. SQLite's FTS5 table counts its candidates and stops
there; PostgreSQL's planner estimates them from its statistics (pg_trgm's, good to a few
per cent). A common search is then not counted, and its list is read in order, where its
matches are many and soon fill a page; a rarer one is counted as any filter is.
"""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy import column
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import table

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models.derived import SEARCH_TABLE

#: More words than this in a search are ignored: each one is a condition on every row.
MOST_WORDS = 8
#: The indexes hold every three characters: a shorter word cannot be looked up in them.
SHORTEST_INDEXED_WORD = 3
#: Words found in more incidents than this are not counted (see the module's docstring).
COUNTED_WHEN_IN_AT_MOST = 2000

_SEARCH = table(SEARCH_TABLE, column("rowid"), column(SEARCH_TABLE))


def split(text: str) -> tuple[str, ...]:
    return tuple(text.split()[:MOST_WORDS])


def conditions(words: tuple[str, ...]) -> list:
    """Each word anywhere in the reference or the description, any case, as LIKE finds it.

    SQLite's LIKE ignores case as it stands, for the letters its lower() knows (A to Z), so
    it is asked directly: lowering every row first took twice as long. PostgreSQL: ILIKE.
    """
    like_ignores_case = _on_sqlite()

    def anywhere(text_column, word: str):
        if like_ignores_case:
            return text_column.contains(word, autoescape=True)
        return text_column.icontains(word, autoescape=True)

    return [
        or_(anywhere(Incident.reference, word), anywhere(Incident.description, word))
        for word in words
    ]


def _indexed(words: tuple[str, ...]) -> list[str]:
    return [word for word in words if len(word) >= SHORTEST_INDEXED_WORD]


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def found_by_index(words: tuple[str, ...]) -> Select | None:
    """On SQLite, the ids of the incidents the FTS5 table finds with every indexable word."""
    indexed = _indexed(words)
    if not indexed or not _on_sqlite():
        return None
    phrases = " AND ".join('"' + word.replace('"', '""') + '"' for word in indexed)
    return select(_SEARCH.c.rowid).where(_SEARCH.c[SEARCH_TABLE].match(phrases))


def are_common(words: tuple[str, ...]) -> bool:
    """Whether the words are together in more than ``COUNTED_WHEN_IN_AT_MOST`` incidents;
    one statement, which reads no more of the index than that."""
    if not _indexed(words):
        return False
    if _on_sqlite():
        found = found_by_index(words).limit(COUNTED_WHEN_IN_AT_MOST + 1).subquery()
        return db.session.scalar(select(func.count()).select_from(found)) > COUNTED_WHEN_IN_AT_MOST
    return _estimated_rows(select(Incident.id).where(*conditions(words))) > COUNTED_WHEN_IN_AT_MOST


def _estimated_rows(query: Select) -> float:
    """How many rows PostgreSQL's planner expects ``query`` to return (EXPLAIN: planned,
    not run; the words go as bound parameters, as in any query)."""
    connection = db.session.connection()
    compiled = query.compile(dialect=connection.dialect)
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
    return plan.scalar_one()[0]["Plan"]["Plan Rows"]
