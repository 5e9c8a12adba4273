"""What features use of the documents package: one path for every doctype.

A feature declares its doctypes (doctype.Doctype) in its documents.py and renders, keeps or
registers a record only through these functions: record → doctype.data → plain data →
doctype.context → template → .docx. A caller that already holds the plain data (a stored
snapshot, a test, a batch) passes `plain=` instead of a record. A RenderError is answered
with a 422 page by one error handler (routes.py), never caught per view.
"""
from collections.abc import Mapping

from . import engine, registry, services
from .engine import RenderError  # noqa: F401 (for callers outside a request)


def _plain(doctype, record, plain, options):
    return doctype.data(record, **options) if plain is None else plain


def context(key, record=None, *, plain=None, **options):
    """The template context of a record (unregistered), e.g. for an .xlsx twin."""
    doctype = registry.get_doctype(key)
    return doctype.build(_plain(doctype, record, plain, options))


def render(key, record=None, *, plain=None, **options):
    """The .docx of a record as it stands now, not registered (a draft where the doctype
    marks one)."""
    return registry.render(key, context(key, record, plain=plain, **options))


def preview(key, version=None, template=None):
    """The .docx of the doctype's sample: with template `version` (None: the active one), or
    with the .docx bytes `template` (a file checked before it is uploaded)."""
    doctype = registry.get_doctype(key)
    if template is not None:
        return engine.CompiledTemplate(template).render(doctype.sample_context(), doctype.title)
    return registry.render(key, doctype.sample_context(), version=version)


def register(key, record=None, *, title, on_date, plain=None, author=None, organization=None,
             source=None, **options):
    """Number and keep the record's document, dated `on_date`; the GeneratedDocument.
    `source` is (source_type, id) of the record in the register."""
    doctype = registry.get_doctype(key)
    return services.register_document(key, _plain(doctype, record, plain, options), title,
                                       on_date, author, organization, source)


def draft(key, record=None, *, title, plain=None, author=None, organization=None, source=None,
          **options):
    """Keep an unnumbered draft of the record's document in the register."""
    doctype = registry.get_doctype(key)
    return services.create_draft(key, _plain(doctype, record, plain, options), title, author,
                                 organization, source)


def correct(document, record=None, *, plain=None, author=None, **options):
    """A new version of a registered document, same number and date, from corrected data."""
    doctype = registry.get_doctype(document.doctype)
    return services.correct_document(document, _plain(doctype, record, plain, options), author)


def publish(document):
    """Put a registered document on the public section; the published GeneratedDocument."""
    return services.publish_document(document)


def picture(png, width_mm=160, description=""):
    """A picture for a context (plain, JSON): the PNG bytes printed `width_mm` wide where the
    template has `{{ value }}` alone in a paragraph (engine.picture)."""
    return engine.picture(png, width_mm, description)


def doctypes():
    """{key: Doctype} of every doctype, in menu order."""
    return registry.all_doctypes()


def doctype(key):
    """The Doctype of `key` (KeyError when there is none)."""
    return registry.get_doctype(key)


class _VariablesOf(Mapping):
    """The variables of another doctype, looked up when read (the list is installed at app
    start, after the features' documents.py are imported)."""

    def __init__(self, key):
        self.key = key

    def _variables(self):
        return registry.get_doctype(self.key).variables

    def __getitem__(self, name):
        return self._variables()[name]

    def __iter__(self):
        return iter(self._variables())

    def __len__(self):
        return len(self._variables())


def variables_of(key):
    """For a doctype whose context is another doctype's (an approval order is an order):
    that doctype's variables, documented once."""
    return _VariablesOf(key)
