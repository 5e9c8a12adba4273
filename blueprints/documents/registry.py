"""Doctypes: the installed list, the template of each, and rendering a ready context.

The doctypes themselves are declared in the features' documents.py (see doctype.py); the
explicit list is handed over at app start (blueprints.register_blueprints → install), so
this module never imports a feature.
"""
import hashlib

from flask import has_app_context

from models import GeneratedDocument, TemplateVersion

from . import engine
from .doctype import DOC_TEMPLATES  # noqa: F401 (where the built-in templates are)
from .storage import storage

_doctypes = {}  # key → Doctype, in menu order


def install(doctypes):
    """Make `doctypes` (the explicit list beside register_blueprints) the product's doctypes."""
    keys = [d.key for d in doctypes]
    if len(set(keys)) != len(keys):
        raise ValueError(f"doctype keys repeat: {keys}")
    _doctypes.clear()
    _doctypes.update((d.key, d) for d in doctypes)
    GeneratedDocument.kind_titles = {d.key: d.title for d in doctypes}


def all_doctypes():
    """Every doctype of the product, in menu order."""
    if not _doctypes:
        raise RuntimeError("No doctypes installed: create the app first (create_app).")
    return dict(_doctypes)


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
    """Render doctype `key` with a ready template `context`; return the .docx bytes
    (RenderError if it fails). Inside the documents package only: features render through
    the contract (blueprints.documents.render / register)."""
    doctype = get_doctype(key)
    template, _, _ = compiled(doctype, version)
    return template.render(context, doctype.title)


def render_with_source(key, context, version=None):
    """Like render(), also returning (template cache key, TemplateVersion or None) for the register."""
    doctype = get_doctype(key)
    template, cache_key, used = compiled(doctype, version)
    return template.render(context, doctype.title), cache_key, used


