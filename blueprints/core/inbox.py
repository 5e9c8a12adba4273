"""The home page as a work inbox: what this user has to do, most urgent first.

Each feature declares its own `waiting(user, today)` in its `inbox.py` (one query or so) and
returns `Item`s; the explicit list of sources sits next to register_blueprints
(blueprints/__init__.py all_inbox_sources) and is installed here at start-up."""
from dataclasses import dataclass
from datetime import date, timedelta

SOON = 14  # days: «срок в ближайшие две недели»
_sources = []


@dataclass
class Item:
    text: str  # one line, plain Russian: what to do
    url: str  # the exact place
    due: date | None = None  # the deadline, if there is one
    note: str = ""  # a short second line (who, counts)

    def urgency(self, today):
        """0 overdue, 1 due within SOON days, 2 later, 3 no deadline."""
        if self.due is None:
            return 3
        if self.due < today:
            return 0
        return 1 if self.due <= today + timedelta(days=SOON) else 2


def install(sources):
    _sources[:] = list(sources)


def collect(user, today=None):
    """Every source's items for `user`, overdue first, then by deadline, undated last."""
    today = today or date.today()
    items = [item for source in _sources for item in source(user, today)]
    return sorted(items, key=lambda i: (i.urgency(today), i.due or date.max))
