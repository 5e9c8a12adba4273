"""Reading spreadsheet rows the same way in every importer: cells as trimmed text, an .xlsx
opened only after core/archives.py checked it."""
from contextlib import closing

from openpyxl import load_workbook

from .archives import ArchiveRejected, open_archive


class TableProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


def cell_text(value):
    """A spreadsheet cell as trimmed text (an ИНН typed as a number loses its «.0»)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def non_empty_rows(rows, limit, max_empty):
    """[(line, cells as text)] of the non-empty rows, no more than `limit` + 1 of them (so the
    caller can say «too many»); `max_empty` empty rows in a row end the table. Closes `rows`."""
    table, empty = [], 0
    with closing(rows):
        for line, row in enumerate(rows, start=1):
            cells = [cell_text(c) for c in row]
            if not any(cells):
                empty += 1
                if empty > max_empty:
                    break
                continue
            empty = 0
            table.append((line, cells))
            if len(table) > limit:
                break
    return table


def xlsx_rows(data):
    """The rows of the first sheet as tuples of values, one at a time (a generator: close it
    when stopping early). Raises TableProblem for anything that is not a safe .xlsx."""
    if not data.startswith(b"PK"):
        raise TableProblem("Файл не является книгой Excel .xlsx (возможно, он защищён паролем "
                           "или сохранён в старом формате .xls).")
    damaged = "Файл повреждён или не является книгой Excel .xlsx."
    try:
        archive = open_archive(data, damaged=damaged)
    except ArchiveRejected as error:
        raise TableProblem(str(error)) from error
    try:
        book = load_workbook(archive.stream(), read_only=True, data_only=True)
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableProblem(damaged) from error
