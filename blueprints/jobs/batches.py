"""Kinds of bulk job («сформировать пакет»): what one item of each kind is and how it is
registered. The list is explicit, beside register_blueprints (blueprints/__init__.py), which
hands it over with `install`: this module imports no feature.

A kind gives, for a record id:
- `labels(record_ids)`: {id: what the page lists for the item (title of the record)};
- `register(record_id, job)`: render and register its document and return it. It runs inside
  the job's transaction for this item and raises `ItemError` (a Russian reason) when the record
  cannot be registered; the rest of the batch goes on.
- optionally `companions(record_id, document)`: further registered documents of the same item
  (a partnership's plan beside its agreement), converted to PDF and put in the archive after
  the item's own document. Kinds with one document per record leave it out.
"""
from dataclasses import dataclass
from typing import Callable

from models import GeneratedDocument


class ItemError(Exception):
    """This record cannot be processed; the message (Russian) is shown next to it."""


@dataclass(frozen=True)
class BatchKind:
    key: str
    title: str  # «Регистрация приказов»
    labels: Callable
    register: Callable
    back_url: str = ""  # endpoint of the page the job was started from
    companions: Callable = None  # (record_id, document) → [GeneratedDocument], or None

    def documents_of(self, item):
        """The item's documents in archive order: its own, then its companions."""
        if not item.document_id:
            return []
        document = GeneratedDocument.get_by_id(item.document_id)
        extra = self.companions(item.record_id, document) if self.companions else []
        return [document, *extra]


_kinds = {}


def install(kinds):
    """Called once at app start with every kind (blueprints.all_batch_kinds)."""
    _kinds.update({kind.key: kind for kind in kinds})


def all_kinds():
    return dict(_kinds)


def get_kind(key):
    return _kinds[key]
