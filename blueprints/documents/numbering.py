"""Registration numbers: serial per series and calendar year, written by a pattern."""
from models import NumberSeries, db


def format_number(pattern, serial, year):
    # Plain replacement, not str.format: the pattern is admin-editable text.
    return pattern.replace("{n}", str(serial)).replace("{year}", str(year))


def next_number(series, year, default_pattern="{n}"):
    """Take the next number of a series; call inside the transaction that stores the document.

    The UPDATE … last_number + 1 takes the row's write lock (BEGIN IMMEDIATE on SQLite, a row
    lock on PostgreSQL), so two registrations at the same moment never get the same number.
    """
    with db.atomic():
        NumberSeries.insert(series=series, year=year, last_number=0,
                            pattern=default_pattern).on_conflict_ignore().execute()
        NumberSeries.update(last_number=NumberSeries.last_number + 1).where(
            (NumberSeries.series == series) & (NumberSeries.year == year)).execute()
        row = NumberSeries.get((NumberSeries.series == series) & (NumberSeries.year == year))
    return row.last_number, format_number(row.pattern, row.last_number, year)
