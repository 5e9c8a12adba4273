"""Finding directory organisations by the names people write: the road-map importer's
«responsible» cells and the partnership import's school columns share these rules."""
import re

from models import Organization


def name_key(text):
    """Lower case, no quotes or organisational form: «МБОУ «СОШ № 1»» → «сош № 1»."""
    text = re.sub(r"[«»\"“”„']", " ", (text or "").lower()).replace("ё", "е")
    text = re.sub(r"\b(мбоу|маоу|мкоу|мбу|мку|моу|гбоу)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


class OrganizationMatcher:
    """Finds directory organisations named in a «responsible» cell (loaded once per import)."""

    def __init__(self, organizations=None):
        rows = organizations if organizations is not None else Organization.select(
            Organization.id, Organization.short_name, Organization.full_name)
        self.keys = []
        for org in rows:
            for name in {org.short_name, org.full_name}:
                key = name_key(name)
                if len(key) >= 5:
                    self.keys.append((re.compile(rf"(?<![\w№]){re.escape(key)}(?![\w])"), org.id))

    def __call__(self, text):
        haystack = name_key(text)
        return sorted({org_id for pattern, org_id in self.keys if pattern.search(haystack)})
