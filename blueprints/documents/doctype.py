"""The contract of a doctype: what one kind of official document is made of.

A leaf module: it imports no feature and nothing else of the documents package, so every
feature's documents.py can declare its doctypes with it and nothing imports back.
"""
import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

DOC_TEMPLATES = Path(__file__).resolve().parents[2] / "doc_templates"


@dataclass(frozen=True)
class Doctype:
    """One doctype, declared once in its feature's documents.py.

    `data(record, **options)` reads the record (the only step that touches the database) and
    returns plain data: str, int, dates, lists and dicts, never ORM objects.
    `context(plain)` turns plain data into the template context (str/int/bool/lists/dicts:
    it is stored in the register). When a document is registered, the plain data carries
    `number` and `on_date` (the registration); without them the document is a draft.
    `sample` is plain data as `data` returns it, with realistic values (previews, tests,
    the template gate).
    """
    key: str
    title: str  # «Приказ», «Протокол заседания»…
    series: str  # numbering series: documents of one series share the yearly counter
    data: Callable  # (record, **options) → plain dict
    context: Callable  # (plain dict) → template context
    sample: dict  # plain dict, as data() returns it
    variables: dict = field(default_factory=dict)  # top-level name → what it holds (README)
    pattern: str = "{n}"  # default number pattern: {n}, 01-07/{n}, {n}-о

    @property
    def template_path(self):
        return DOC_TEMPLATES / f"{self.key}.docx"

    def build(self, plain, number=None, on_date=None):
        """The template context of `plain`; with `number` and `on_date` when registered.
        The caller's dict is left as it was."""
        plain = copy.deepcopy(plain)
        if number is not None:
            plain.update(number=number, on_date=on_date)
        return self.context(plain)

    def sample_context(self):
        return self.build(self.sample)
