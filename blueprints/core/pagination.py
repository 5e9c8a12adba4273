"""Page a peewee query: the list pages and their htmx fragments share it."""
from dataclasses import dataclass
from math import ceil


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


def paginate(query, number, per_page):
    total = query.count()
    pages = max(1, ceil(total / per_page))
    number = min(max(1, number or 1), pages)
    return Page(list(query.paginate(number, per_page)), number, per_page, total)
