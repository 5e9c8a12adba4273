"""Page a peewee query: the list pages and their htmx fragments share it."""
from dataclasses import dataclass
from math import ceil

from flask import request

from .forms import INT_MAX


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def first_index(self):
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self):
        return min(self.number * self.per_page, self.total)


def empty_page(total, number, per_page):
    """A Page of `total` rows without its items yet: `number` kept within the pages (a caller
    that renders the rows only when they are not cached fills `items` itself)."""
    pages = max(1, ceil(total / per_page))
    return Page([], min(max(1, number or 1), pages), per_page, total)


def paginate(query, number, per_page, count_query=None):
    """A Page of `query`; `count_query`, when given, counts the same rows more cheaply (without
    the columns and joins only the page needs)."""
    page = empty_page((count_query if count_query is not None else query).count(), number,
                      per_page)
    page.items = list(query.paginate(page.number, per_page))
    return page


def int_arg(name, default=None):
    """A query-string id or number (`?body=`, `?org=`) as a positive int a database column holds,
    or `default`: `abc`, `-1`, `0` and 10**30 are ignored like a missing filter, never a 500."""
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit()):
        return default
    number = int(value)
    return number if 0 < number <= INT_MAX else default
