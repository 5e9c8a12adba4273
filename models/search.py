"""Search that understands Russian: «сош 1», «СОШ №1», «школа 1» and «средняя школа 1» find
МБОУ «СОШ № 1»; «диагностика» finds «диагностических»; «приказ 2» finds order № 2.

A searchable row keeps a `search_text` column written by Python (`index_text`): the words of
its fields normalised (case, «ё», quotes, «№», numbers split from letters), the school-name
abbreviations both ways (СОШ ↔ средняя общеобразовательная школа) and each word's Russian
Snowball stem. The database indexes that column — SQLite with an FTS5 table kept by
triggers, PostgreSQL with its `russian` text-search configuration — and a query becomes
«every word, by its stem as a prefix; every number, exactly» (`matches`)."""
import re
from functools import lru_cache

import snowballstemmer
from peewee import SQL, Expression, SqliteDatabase, fn

_QUOTES = re.compile(r"[«»„“”‟\"'`’‘]")
_SPLIT = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_TOKEN = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-я]")
# Consonants that alternate at the end of a stem (диагностиК-а / диагностиЧ-еских, подруГ-а /
# подруЖ-ка): a query stem ending in one also matches without it, as a prefix.
_ALTERNATING = "кгхтдзсц"
ABBREVIATIONS = {
    "сош": "средняя общеобразовательная школа",
    "оош": "основная общеобразовательная школа",
    "нош": "начальная общеобразовательная школа",
    "мбоу": "муниципальное бюджетное общеобразовательное учреждение",
    "маоу": "муниципальное автономное общеобразовательное учреждение",
    "мкоу": "муниципальное казенное общеобразовательное учреждение",
    "оо": "общеобразовательная организация",
    "шнор": "школы с низкими образовательными результатами",
}
_EXPANSIONS = {abbr: words.split() for abbr, words in ABBREVIATIONS.items()}
# Words PostgreSQL's `russian` configuration leaves out of its index (its stop list, the
# short and common part): a query must not require them on either engine.
STOP_WORDS = frozenset("""и в во не что он на я с со как а то все она так его но да ты к у же вы
за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни
быть был него до вас опять уж вам ведь там потом себя ей может они тут где есть надо ней для мы
тебя их чем была сам без чего раз тоже себе под будет ж тогда кто этот того потому этого какой
ним здесь этом один мой тем чтобы нее были куда всех можно при об другой после над тот через эти
нас про всего них какая эту моя этой перед том им между""".split())

_stemmer = snowballstemmer.stemmer("russian")


def normalise(text):
    """Lower case, «ё» as «е», no quotes or «№», numbers apart from letters: the words."""
    text = (text or "").lower().replace("ё", "е").replace("№", " ")
    text = _SPLIT.sub(" ", _QUOTES.sub(" ", text))
    return _TOKEN.findall(text)


@lru_cache(maxsize=50_000)
def stem(word):
    return _stemmer.stemWord(word) if _CYRILLIC.search(word) else word


def index_text(*fields, limit=4000):
    """The `search_text` of a row: its words, abbreviation expansions and stems."""
    words = normalise(" ".join(str(f) for f in fields if f))
    joined = f" {' '.join(words)} "
    extra = []
    for abbr, expansion in _EXPANSIONS.items():
        if abbr in words:
            extra += expansion
        elif f" {' '.join(expansion)} " in joined:
            extra.append(abbr)
    words += extra
    stems = [stem(w) for w in words if not w.isdigit()]
    seen, result = set(), []
    for token in words + stems:
        if token not in seen:
            seen.add(token)
            result.append(token)
    return " ".join(result)[:limit]


def query_terms(text):
    """[(alternatives, is_prefix)] of a typed query: a number exactly; a word by its stem and,
    when the stem ends in an alternating consonant, by the stem without it, both as prefixes."""
    terms = []
    for word in normalise(text):
        if word in STOP_WORDS:
            continue
        if word.isdigit():
            terms.append(((word,), False))
            continue
        base = stem(word)
        options = [base]
        if len(base) >= 5 and base[-1] in _ALTERNATING:
            options.append(base[:-1])
        terms.append((tuple(options), True))
    return terms[:12]  # a pasted paragraph is not a query


def _fts5_query(terms):
    parts = []
    for options, prefix in terms:
        alternatives = [f'"{o}"{"*" if prefix else ""}' for o in options]
        parts.append(alternatives[0] if len(alternatives) == 1
                     else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _tsquery(terms):
    parts = []
    for options, prefix in terms:
        alternatives = [f"'{o}'{':*' if prefix else ''}" for o in options]
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


def is_sqlite(database):
    """True for SQLite, also behind the app's database proxy."""
    return isinstance(getattr(database, "obj", None) or database, SqliteDatabase)


def matches(model, text):
    """A condition on `model` (which has `search_text` and an index, see migration 0021):
    the rows whose text holds every word of the query; None for an empty query."""
    terms = query_terms(text)
    if not terms:
        return None
    if is_sqlite(model._meta.database):
        table = f"{model._meta.table_name}_fts"
        return model.id.in_(SQL(f'(SELECT rowid FROM "{table}" WHERE "{table}" MATCH ?)',
                                [_fts5_query(terms)]))
    return Expression(fn.to_tsvector(SQL("'russian'"), model.search_text), "@@",
                      fn.to_tsquery(SQL("'simple'"), _tsquery(terms)))


def empty_query(text):
    """True when a typed query has nothing to search by (only stop words or punctuation)."""
    return bool((text or "").strip()) and not query_terms(text)
