"""Repeating rows (clauses, agenda items…) added, removed and moved by the server.

The buttons are submit buttons named `action` with values like `add:clauses`,
`remove:clauses:2`, `up:clauses:2`, `down:clauses:2`, `indent:clauses:2`. The view
applies the action to the posted rows and re-renders the form without saving: the
same markup works with htmx (fragment swap) and without JavaScript (full page).
"""
import re

_ACTION = re.compile(r"^(add|add_sub|remove|up|down|indent|outdent):([a-z_]+)(?::(\d{1,4}))?$")


def parse_action(value):
    """('remove', 'clauses', 2) for 'remove:clauses:2'; None when it is not a row action."""
    match = _ACTION.match(value or "")
    if not match:
        return None
    op, name, index = match.groups()
    return op, name, int(index) if index is not None else None


def apply_action(rows, op, index, blank):
    """Return a new list of row dicts with the action applied; `blank` makes an empty row."""
    rows = list(rows)
    inside = index is not None and 0 <= index < len(rows)
    if op == "add":
        rows.append(blank())
    elif op == "add_sub":
        rows.append(dict(blank(), level=1))
    elif op == "remove" and inside:
        rows.pop(index)
    elif op == "up" and inside and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif op == "down" and inside and index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
    elif op in ("indent", "outdent") and inside:
        rows[index] = dict(rows[index], level=1 if op == "indent" else 0)
    return rows
