"""Doctypes: what each official document is made of, and the one `render` for all of them.

A doctype is a key with a template file in doc_templates/, a context builder
(record → plain dict of str/int/lists of dicts; never ORM objects), sample data for
previews and tests, a numbering series and a human title. The list is explicit.
"""
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from flask import has_app_context

from models import TemplateVersion

from . import engine
from .storage import storage

DOC_TEMPLATES = Path(__file__).resolve().parents[2] / "doc_templates"


@dataclass(frozen=True)
class Doctype:
    key: str
    title: str  # «Приказ», «Протокол заседания»…
    build: Callable  # (record, **extra) → context dict
    sample: Callable  # () → context dict with realistic values
    series: str  # numbering series: documents of one series share the yearly counter
    pattern: str = "{n}"  # default number pattern: {n}, 01-07/{n}, {n}-о
    variables: dict = field(default_factory=dict)  # top-level name → what it holds (README)

    @property
    def template_path(self):
        return DOC_TEMPLATES / f"{self.key}.docx"


def all_doctypes():
    """Every doctype of the product, in menu order."""
    from ..meetings.documents import DOCTYPES as MEETINGS
    from ..orders.documents import DOCTYPES as ORDERS
    from ..programmes.documents import DOCTYPES as PROGRAMMES
    from ..roadmaps.documents import DOCTYPES as ROADMAPS

    return {d.key: d for d in (*ORDERS, *MEETINGS, *PROGRAMMES, *ROADMAPS)}


def get_doctype(key):
    doctypes = all_doctypes()
    if key not in doctypes:
        raise KeyError(key)
    return doctypes[key]


_builtin_keys = {}  # (path, mtime) → sha256 of the shipped file, so it is hashed once


def template_source(doctype, version=None):
    """(cache key, loader, TemplateVersion or None) of the version to use: the given one,
    the active upload, or the built-in file."""
    if version is None and has_app_context():
        version = TemplateVersion.active(doctype.key)
    if version is not None:
        files = storage()
        return version.sha256, lambda: files.get(version.sha256), version
    path = doctype.template_path
    stamp = (path, path.stat().st_mtime_ns)
    if stamp not in _builtin_keys:
        _builtin_keys[stamp] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _builtin_keys[stamp], path.read_bytes, None


def compiled(doctype, version=None):
    key, load, used = template_source(doctype, version)
    return engine.cache.get(key, load), key, used


def render(key, context, version=None):
    """Render doctype `key` with `context`; return the .docx bytes (RenderError if it fails)."""
    doctype = get_doctype(key)
    template, _, _ = compiled(doctype, version)
    return template.render(context, doctype.title)


def render_with_source(key, context, version=None):
    """Like render(), also returning (template cache key, TemplateVersion or None) for the register."""
    doctype = get_doctype(key)
    template, cache_key, used = compiled(doctype, version)
    return template.render(context, doctype.title), cache_key, used


