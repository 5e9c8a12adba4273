"""Small per-process caches: an LRU of values by key, each kept `max_age` seconds at most,
one set per app (tests never see another app's entries). For what is costly to compute and
changes rarely — a campaign's consolidated table, chart pictures, a rendered filter form —
keyed by everything the value depends on."""
import threading
import time
from collections import OrderedDict

from flask import current_app, has_app_context


class Store:
    """A thread-safe LRU of `size` values, each for `max_age` seconds at most."""

    def __init__(self, size, max_age=60):
        self.size, self.max_age = size, max_age
        self.entries, self.lock = OrderedDict(), threading.Lock()

    def get_or_compute(self, key, compute):
        now = time.monotonic()
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None and now - entry[0] < self.max_age:
                self.entries.move_to_end(key)
                return entry[1]
        value = compute()  # outside the lock: other keys need not wait
        with self.lock:
            self.entries[key] = (now, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value

    def clear(self):
        with self.lock:
            self.entries.clear()


def store(name, size, max_age=60):
    """The app's store `name`; without an app context, a store that keeps nothing."""
    if not has_app_context():
        return Store(0, max_age)
    stores = current_app.extensions.setdefault("opora_cache", {})
    found = stores.get(name)
    return found if found is not None else stores.setdefault(name, Store(size, max_age))
