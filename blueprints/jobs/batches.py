"""Kinds of bulk job («сформировать пакет»): what one item of each kind is and how it is
registered. The list is explicit; a feature adds its kind here.

A kind gives, for a record id:
- `label(record_id)`: what the page lists for the item (title of the record);
- `register(record_id, job)`: render and register its document and return it. It runs inside
  the job's transaction for this item and raises `ItemError` (a Russian reason) when the record
  cannot be registered; the rest of the batch goes on.
"""
from dataclasses import dataclass
from typing import Callable


class ItemError(Exception):
    """This record cannot be processed; the message (Russian) is shown next to it."""


@dataclass(frozen=True)
class BatchKind:
    key: str
    title: str  # «Регистрация приказов»
    label: Callable
    register: Callable
    back_url: str = ""  # endpoint of the page the job was started from


def all_kinds():
    from ..orders.batch import ORDERS_REGISTER

    return {k.key: k for k in (ORDERS_REGISTER,)}


def get_kind(key):
    return all_kinds()[key]
