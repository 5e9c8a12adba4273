"""A field-level diff of two labelled snapshots: what a reader sees as «было → стало».

Each snapshot is {name: (label, shown value)}; fields are compared by name, in the order of
the newer snapshot, then those only the older one has. Programme revisions and partnership
confirmations read their content into this shape and show the result in one kind of table.
"""


def field_changes(old, new):
    """[(label, was, now)] of the fields whose shown value differs (missing counts as "")."""
    rows = []
    for name in [*new, *(n for n in old if n not in new)]:
        label, was = old.get(name, ("", ""))
        label2, now = new.get(name, (label, ""))
        if was != now:
            rows.append((label2 or label, was, now))
    return rows
