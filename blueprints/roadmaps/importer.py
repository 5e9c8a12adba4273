"""Read a road map from an uploaded .docx or .xlsx into sections and activities, saving nothing.

`parse_roadmap(data, filename)` returns a `ParsedRoadmap` for the preview, or raises
`RoadmapImportError` whose text, in Russian, says what was expected. The file is checked
before it is parsed: size, type (magic bytes and extension agree), then the zip by the
reader every .docx/.xlsx upload goes through (core/archives.py: parts, names, sizes checked
by really inflating, XML without DOCTYPE or deep nesting), and a strict XML parser for Word.

Finding the table: the first table (an Excel sheet counts as one) with a header row,
among its first rows, naming the activity column and at least one other known column
by one of the synonyms in COLUMNS; columns may come in any order. Word tables that follow
it with the same number of columns, with only empty paragraphs between, continue it.
The text above the header (paragraphs and the sheet's or table's first rows) gives the
approval stamp («УТВЕРЖДЕНА приказом … от 12.03.2020 № 45») and the title: the lines
after the stamp, or the last lines before the table when there is no stamp.

Reading the rows under the header, in this order:
1. skipped: empty rows, rows repeating the header (a Word header row marked to repeat on
   each page, or the header typed again at the top of a page) and the column-number row
   «1 2 3 4 5»;
2. a section: the row holds a single text, merged across columns (Word), or in the №
   column or the first column (a merged Excel row keeps its value in its first cell), or
   alone in the activity column when it starts with a section number («2. Мониторинг»).
   Also a row numbered «1.» or «I.» whose only other text is its title (no deadline,
   responsible, result…). «1. Организационные мероприятия» gives number «1» and the title;
3. a continuation of the activity just above it: a row with no number whose activity cell
   is empty, merged vertically with the cell above, or starts with a small letter or a
   punctuation mark (a sentence cut by a page break). Its cells are appended to the
   activity's: after a space (the same text going on), or on a new line when the activity
   cell is merged vertically (sub-rows of one activity). A row starting with a capital
   letter is a new, unnumbered activity: that is the rule's known limit;
4. anything else with activity text is an activity, numbered or not; a row without it is
   skipped with a warning. Vertically merged cells of a new activity take the text above.
Activity and section numbers are kept as written, without a trailing full stop.
Activities before the first section go into a section with an empty title.
"""
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from lxml import etree
from openpyxl import load_workbook

from ..core.archives import ArchiveRejected, megabytes, open_archive
from ..documents.gate import MAX_BYTES, xml_parser
from ..core.tables import cell_text
from ..core.deadlines import Deadline, month_number, read_deadline

MAX_ELEMENTS = 2_000_000  # a 300-activity road map has ~30 000; more is an element bomb
MAX_ROWS = 5000  # rows under the header: a road map has tens or hundreds
MAX_EMPTY_ROWS = 200  # a sheet formatted down to row 1 048 576 ends here
MAX_COLUMNS = 40
MAX_SHEETS = 20
HEADER_SEARCH_ROWS = 15  # the header is looked for among a table's first rows
TITLE_LINES = 6  # the title is at most this many lines above the table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .doc/.xls, or a .docx/.xlsx encrypted with a password
KINDS = {".docx": ("word/document.xml", "документ Word .docx"),
         ".xlsx": ("xl/workbook.xml", "книга Excel .xlsx")}

PROTECTED = ("Файл защищён паролем или в старом формате .doc/.xls: сохраните его как .docx "
             "или .xlsx без пароля")
EXPECTED_COLUMN = "столбец «Мероприятие» (или «Наименование мероприятия», «Описание действий»)"
HEADER_MISSING = f"Не найдена строка заголовков таблицы: нужен {EXPECTED_COLUMN}"
NO_TABLES = f"В документе нет таблиц: нужна таблица дорожной карты, где есть {EXPECTED_COLUMN}"
NO_ACTIVITIES = "В таблице нет ни одного мероприятия"

# field → patterns on the normalised header text; the first field that matches wins, so
# «Сроки исполнения» is a deadline and «Ответственный исполнитель» a responsible.
COLUMNS = (
    ("number", r"^(№|n|номер)?\s*(п\s*п)?$"),
    ("deadline", r"\b(срок|дата|период)"),
    ("responsible", r"\b(ответствен|исполнител)"),
    ("execution_info", r"\b(исполнени|выполнени|отметка)"),
    ("expected_result", r"\bрезультат"),
    ("audience", r"\b(аудитори|участник)"),
    ("activity", r"\b(мероприяти|описание действ|содержание|наименовани|действи)"),
)
COLUMN_NAMES = {"number": "№", "deadline": "Срок", "responsible": "Ответственные",
                "execution_info": "Информация об исполнении",
                "expected_result": "Ожидаемый результат", "audience": "Целевая аудитория",
                "activity": "Мероприятие"}
TEXT_FIELDS = ("activity", "deadline", "responsible", "audience", "expected_result",
               "execution_info")
SECTION_NUMBER = re.compile(r"^((?:\d{1,2}\.)*\d{1,2}|[IVXLC]{1,6})(?:\.\s*|\s+)(?=\S)(.*)$",
                            re.DOTALL)
SINGLE_NUMBER = re.compile(r"^(\d{1,2}|[IVXLC]{1,6})\.?$")
NUMBERED_HEADING = re.compile(r"^(\d{1,2}|[IVXLC]{1,6})\.\s*\S")  # «2. Мониторинг»
CONTINUES = re.compile(r"^[a-zа-яё,;:.)\]»\-–—]")
STAMP_START = re.compile(r"^[«\"]?\s*(утвержд|согласован|приложение|принят[аоы]?\b)",
                         re.IGNORECASE)
STAMP_LINES = 6  # a stamp ends at its «№», «от …» or «____» line, within this many lines
STAMP_END = re.compile(r"№|__")
APPROVAL_DATE = re.compile(r"от\s*[«\"]?\s*(\d{1,2})\s*[»\"]?\s*(?:\.\s*(\d{1,2})\s*\.|"
                           r"([а-яё]+\.?))\s*(\d{4})", re.IGNORECASE)
APPROVAL_NUMBER = re.compile(r"№\s*([^\s,;]+)")
PERIODS = (  # title → (first year, last year)
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–—/]\s*((?:19|20)\d{2}|\d{2})(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:год|г\.|гг)", re.IGNORECASE),
)


class RoadmapImportError(Exception):
    """The file cannot be imported; str(error) says why, in Russian."""


@dataclass(frozen=True)
class ParsedActivity:
    number: str  # as written («1.4»), "" for an unnumbered row
    title: str
    deadline_text: str  # as written, whitespace collapsed
    deadline: Deadline
    responsible: str = ""
    audience: str = ""
    expected_result: str = ""
    execution_info: str = ""
    line: int = 0  # the row in the table or sheet, for messages


@dataclass(frozen=True)
class ParsedSection:
    number: str
    title: str  # "" for the activities before the first section row
    activities: list[ParsedActivity] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedRoadmap:
    title: str
    approved_number: str
    approved_on: date | None
    period_start: int | None  # from the title; None when it names no period
    period_end: int | None
    sections: list[ParsedSection]
    warnings: list[str]
    stamp: str = ""  # the approval stamp as written

    @property
    def activities(self):
        return [activity for section in self.sections for activity in section.activities]


@dataclass
class _Row:
    line: int
    texts: list[str]  # per grid column; a merged cell's text only in its first column
    spans: list[int]  # width of the cell starting in each column, 0 where covered
    above: dict = field(default_factory=dict)  # column → text, for vertically merged cells
    is_header: bool = False  # Word's «repeat as header row»


def parse_roadmap(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES,
                  default_period: tuple[int, int] | None = None) -> ParsedRoadmap:
    """Check and read an uploaded road map. `default_period` (first, last year) dates the
    deadlines without a year when the title names no period."""
    extension, archive = _open(data, filename, max_bytes)
    try:
        tables = _docx_tables(archive) if extension == ".docx" else _xlsx_tables(archive)
        return _build(tables, default_period)
    except RoadmapImportError:
        raise
    except Exception as error:  # any reader failure on a damaged or hostile file
        raise RoadmapImportError(f"Файл повреждён или это не {KINDS[extension][1]}.") from error


# --- the container --------------------------------------------------------------------

def _open(data, filename, max_bytes):
    if not data:
        raise RoadmapImportError("Файл пуст.")
    if len(data) > max_bytes:
        raise RoadmapImportError(f"Файл больше допустимых {megabytes(max_bytes)}.")
    if data.startswith(OLE_MAGIC):
        raise RoadmapImportError(PROTECTED)
    extension = PurePath(filename or "").suffix.lower()
    if extension not in KINDS:
        raise RoadmapImportError("Нужен файл Word .docx или Excel .xlsx с таблицей дорожной "
                                 "карты.")
    required, label = KINDS[extension]
    try:
        archive = open_archive(data, damaged=f"Файл повреждён или это не {label}.")
    except ArchiveRejected as error:
        raise RoadmapImportError(str(error)) from error
    if required not in archive.names:
        raise RoadmapImportError(f"В файле нет части {required}: это не {label}.")
    return extension, archive


# --- Word -------------------------------------------------------------------------------

def _docx_tables(archive):
    """[(lines above, rows)] for the body's tables, in order; tables split only by empty
    paragraphs and of the same width are one table."""
    xml = archive.read("word/document.xml")
    if xml.count(b"<") > MAX_ELEMENTS:
        raise RoadmapImportError("В документе слишком много элементов: так выглядит "
                                 "«бомба» из пустых абзацев.")
    root = etree.fromstring(xml, xml_parser())  # DOCTYPE and deep nesting already refused
    lines, tables, gap = [], [], False
    for block in _blocks(root.find(W + "body")):
        if block.tag == W + "p":
            text = _paragraph_text(block)
            lines.append(text)
            gap = gap or bool(text)
            continue
        rows = _table_rows(block)
        if tables and not gap and _width(rows) == _width(tables[-1][1]):
            for row in rows:  # number the rows on from the table it continues
                row.line += len(tables[-1][1])
            tables[-1][1].extend(rows)
        else:
            tables.append((lines[:], rows))
        lines.extend(" ".join(filter(None, row.texts)) for row in rows)
        gap = False
    return tables


def _blocks(body):
    for child in body if body is not None else ():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag == W + "sdt":  # a content control around paragraphs or tables
            yield from _blocks(child.find(W + "sdtContent"))


def _paragraph_text(paragraph):
    parts = [(node.text or "") if node.tag == W + "t" else " " if node.tag == W + "tab" else "\n"
             for node in paragraph.iter(W + "t", W + "tab", W + "br", W + "cr")]
    return _clean("".join(parts))


def _clean(text):
    """Runs of spaces (tabs, no-break spaces) as one space; line breaks kept."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def _cell_text(cell):
    return "\n".join(text for text in map(_paragraph_text, cell.iter(W + "p")) if text)


def _attribute(element, path):
    found = element.find(path)
    return None if found is None else found.get(W + "val", "")


def _table_rows(table):
    rows, resolved = [], {}  # resolved: column → text, vertical merges filled in
    for line, tr in enumerate(table.iterchildren(W + "tr"), start=1):
        column = int(_attribute(tr, f"{W}trPr/{W}gridBefore") or 0)
        row = _Row(line, [""] * column, [1] * column)
        row.is_header = _attribute(tr, f"{W}trPr/{W}tblHeader") not in (None, "0", "false")
        for tc in tr.iterchildren(W + "tc"):
            span = max(1, min(int(_attribute(tc, f"{W}tcPr/{W}gridSpan") or 1), MAX_COLUMNS))
            merge = _attribute(tc, f"{W}tcPr/{W}vMerge")
            text = _cell_text(tc)
            if merge not in (None, "restart"):  # continues the cell above
                row.above[column] = text = resolved.get(column, "")
                row.texts.append("")
            else:
                row.texts.append(text)
            row.texts += [""] * (span - 1)
            row.spans += [span] + [0] * (span - 1)
            resolved[column] = text
            column += span
        rows.append(row)
    return rows


def _width(rows):
    return max((len(row.texts) for row in rows), default=0)


# --- Excel ------------------------------------------------------------------------------

def _xlsx_text(value):
    if isinstance(value, (datetime, date)):
        return value.strftime("%d.%m.%Y")  # a deadline typed as a date
    return _clean(cell_text(value))


def _xlsx_tables(archive):
    """[([], rows)] per sheet; openpyxl's read-only mode knows no merges, so a merged
    section row arrives as one filled cell, which the section rule expects."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
        book = load_workbook(archive.stream(), read_only=True, data_only=True)
        try:
            return [([], _sheet_rows(sheet)) for sheet in book.worksheets[:MAX_SHEETS]]
        finally:
            book.close()


def _sheet_rows(sheet):
    rows, empty = [], 0
    for line, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
        texts = [_xlsx_text(value) for value in values]
        empty = 0 if any(texts) else empty + 1
        if empty > MAX_EMPTY_ROWS or line > MAX_ROWS + 1:  # one more, to be refused
            break
        rows.append(_Row(line, texts, [1] * len(texts)))
    return rows


# --- the header -----------------------------------------------------------------------

def _normalise(text):
    text = re.sub(r"\([^)]*\)", " ", text.lower().replace("ё", "е"))
    return " ".join(re.sub(r"[^0-9a-zа-я№]+", " ", text).split())


def _column_field(text):
    name = _normalise(text)
    if not name or len(name) > 80:
        return None
    return next((key for key, pattern in COLUMNS if re.search(pattern, name)), None)


def _columns(row):
    """field → grid columns named in this row (several columns may share one field)."""
    columns = {}
    for column, text in enumerate(row.texts):
        key = _column_field(text) if text else None
        if key:
            columns.setdefault(key, []).append(column)
    return columns


def _find_header(tables):
    """(lines above the header, header row, columns, rows below) of the first road map
    table, or raises naming the header that was expected."""
    if not tables:
        raise RoadmapImportError(NO_TABLES)
    partial = None
    for lines, rows in tables:
        for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            columns = _columns(row)
            if "activity" in columns and len(columns) >= 2:
                above = [" ".join(filter(None, r.texts)) for r in rows[:position]]
                return lines + above, row, columns, rows[position + 1:]
            if len(columns) >= 2 and partial is None:
                partial = (row.line, columns)
    if partial:
        found = ", ".join(f"«{COLUMN_NAMES[key]}»" for key in partial[1])
        raise RoadmapImportError(f"{HEADER_MISSING}. В строке {partial[0]} найдены столбцы "
                                 f"{found}, но нет столбца мероприятия.")
    raise RoadmapImportError(HEADER_MISSING)


# --- rows → sections and activities ---------------------------------------------------

def _skipped(row, header):
    filled = [column for column, text in enumerate(row.texts) if text]
    if row.is_header or not filled:
        return True
    repeats = all(column < len(header.texts) and _normalise(row.texts[column])
                  == _normalise(header.texts[column]) for column in filled)
    numbers = [row.texts[column] for column in filled]
    return (repeats and len(filled) >= 2) or (
        len(numbers) >= 3 and numbers == [str(n) for n in range(1, len(numbers) + 1)])


def _split_section(text):
    match = SECTION_NUMBER.match(text)
    return (match.group(1), match.group(2).strip()) if match else ("", text)


def _section(row, columns):
    """(number, title) when the row is a section row, else None."""
    number_column = columns.get("number", [None])[0]
    activity_column = columns["activity"][0]
    filled = [(column, text) for column, text in enumerate(row.texts) if text]
    texts = {text for _, text in filled}
    if len(texts) == 1:
        (first, text), = filled[:1]
        if not re.search(r"[^\W\d_]{2}", text):
            return None  # a bare number is not a title
        merged = row.spans[first] >= 2 or len(filled) >= 2
        if merged or (first in (number_column, 0) and first != activity_column):
            return _split_section(text)
        alone = first == activity_column and NUMBERED_HEADING.match(text)
        return _split_section(text) if alone else None
    number = row.texts[number_column] if number_column is not None else ""
    rest = {text for column, text in filled if column != number_column}
    rest |= {text for column, text in row.above.items() if text and column != number_column}
    if SINGLE_NUMBER.match(number) and len(rest) == 1:
        return number.rstrip("."), rest.pop()
    return None


def _values(row, columns, inherit):
    values = {}
    for key, grid in columns.items():
        texts = [row.texts[c] or (row.above.get(c, "") if inherit else "")
                 for c in grid if c < len(row.texts)]
        values[key] = "\n".join(dict.fromkeys(filter(None, texts)))
    return values


def _continues(row, values, columns):
    if values.get("number"):
        return False
    activity = values.get("activity", "")
    return columns["activity"][0] in row.above or not activity or bool(CONTINUES.match(activity))


def _append(activity, values, separator):
    for key in TEXT_FIELDS:
        text, before = values.get(key, ""), activity.get(key, "")
        if text and not before.endswith(text):
            activity[key] = f"{before}{separator}{text}" if before else text


def _read_rows(header, columns, rows):
    """[(number, title, [activity dicts])] and [(row, warning)]."""
    sections, warnings_, last = [], [], None
    width = max(max(grid) for grid in columns.values()) + 1
    for row in rows:
        missing = width - len(row.texts)  # a short Excel row, a Word row with fewer cells
        if missing > 0:
            row.texts += [""] * missing
            row.spans += [1] * missing
        if _skipped(row, header):
            continue
        section = _section(row, columns)
        if section:
            sections.append((*section, []))
            last = None
            continue
        values = _values(row, columns, inherit=False)
        if last is not None and _continues(row, values, columns):
            vertical = columns["activity"][0] in row.above
            _append(last, values, "\n" if vertical else " ")
            continue
        values = _values(row, columns, inherit=True)
        if not values.get("activity"):
            warnings_.append((row.line, f"Строка {row.line}: нет текста мероприятия — строка "
                                        "пропущена"))
            continue
        if not sections:
            sections.append(("", "", []))
        last = dict(values, number=values.get("number", "").rstrip("."), line=row.line)
        sections[-1][2].append(last)
    return sections, warnings_


# --- title, stamp and period ----------------------------------------------------------

def _stamp_blocks(lines):
    """[(first, last)] line ranges of the stamps («УТВЕРЖДЕНА …», «СОГЛАСОВАНО …»)."""
    blocks = []
    for begin, line in enumerate(lines):
        if STAMP_START.match(line) and not (blocks and begin <= blocks[-1][1]):
            window = range(begin, min(begin + STAMP_LINES, len(lines)))
            end = next((i for i in window
                        if STAMP_END.search(lines[i]) or APPROVAL_DATE.search(lines[i])), begin)
            blocks.append((begin, end))
    return blocks


def _stamp_and_title(lines):
    """(approval stamp text, title) from the lines above the table: the title is what
    follows the last stamp, or the last lines when there is none."""
    lines = [" ".join(line.split()) for line in lines]
    lines = [line for line in lines if line]
    blocks = _stamp_blocks(lines)
    if not blocks:
        return "", " ".join(lines[-TITLE_LINES:])
    approval = [b for b in blocks if lines[b[0]].lower().lstrip("«\" ").startswith("утвержд")]
    begin, end = (approval or blocks)[-1]
    last_begin, last_end = blocks[-1]
    title = lines[last_end + 1:][:TITLE_LINES] or lines[max(0, last_begin - TITLE_LINES):last_begin]
    return " ".join(lines[begin:end + 1]), " ".join(title)


def _approval(stamp):
    number = APPROVAL_NUMBER.search(stamp)
    found = APPROVAL_DATE.search(stamp)
    approved_on = None
    if found:
        day, month_digits, month_word, year = found.groups()
        month = int(month_digits) if month_digits else month_number(month_word or "")
        try:
            approved_on = date(int(year), month, int(day)) if month else None
        except ValueError:
            approved_on = None
    return (number.group(1).rstrip(".") if number else ""), approved_on


def _period(title):
    for pattern in PERIODS:
        found = pattern.search(title)
        if found:
            first = int(found.group(1))
            last = int(found.groups()[-1]) if pattern.groups == 2 else first
            last = last + 2000 if last < 100 else last
            if first <= last <= first + 10:
                return first, last
    return None, None


def _deadline_period(title_period, default_period, approved_on, warnings_):
    if title_period[0]:
        return title_period
    if default_period:
        return default_period
    year = approved_on.year if approved_on else date.today().year
    warnings_.append((0, f"Период дорожной карты не указан в заголовке: для сроков без года "
                         f"взят {year} год"))
    return year, year


# --- together -----------------------------------------------------------------------------

def _activity(values, period, warnings_):
    deadline_text = " ".join(values.get("deadline", "").split())
    deadline = read_deadline(deadline_text, *period)
    line = values["line"]
    if not deadline_text:
        warnings_.append((line, f"Строка {line}: срок не указан"))
    elif not deadline.is_read:
        warnings_.append((line, f"Строка {line}: срок «{deadline_text}» не распознан, "
                                "сохранён как написано"))
    return ParsedActivity(
        number=values["number"], title=values["activity"], deadline_text=deadline_text,
        deadline=deadline, responsible=values.get("responsible", ""),
        audience=values.get("audience", ""), expected_result=values.get("expected_result", ""),
        execution_info=values.get("execution_info", ""), line=line)


def _build(tables, default_period):
    lines, header, columns, rows = _find_header(tables)
    if len(rows) > MAX_ROWS:
        raise RoadmapImportError(f"В таблице слишком много строк: больше {MAX_ROWS}.")
    stamp, title = _stamp_and_title(lines)
    approved_number, approved_on = _approval(stamp)
    drafts, warnings_ = _read_rows(header, columns, rows)
    if not any(activities for *_, activities in drafts):
        raise RoadmapImportError(NO_ACTIVITIES)
    period_start, period_end = _period(title)
    period = _deadline_period((period_start, period_end), default_period, approved_on,
                              warnings_)
    sections = [ParsedSection(number, section_title,
                              [_activity(values, period, warnings_) for values in activities])
                for number, section_title, activities in drafts]
    warnings_.sort(key=lambda warning: warning[0])  # by row, the general ones first
    return ParsedRoadmap(title, approved_number, approved_on, period_start, period_end,
                         sections, [text for _, text in warnings_], stamp)
