"""Road maps as .docx and .xlsx files, built from the seed texts: the demo data imports
them through the importer, the tests and `make bench` use them too.

The seeds (seeds/*.txt beside this file: three real road maps, copied from the product's
shared seeds) are Word tables whose borders were lost; each has its own layout, read by
its own small function into a `SeedRoadmap`: the lines above the table and the rows, each either a section (a str) or cells aligned with the header (a list).
Rows continued over a page break in the original (Moscow region) stay separate rows, as
the file has them. `build_docx` and `build_xlsx` turn a seed into a file the way Word and
Excel users make them: stamp and title above, section rows merged across the table, and
optionally a row split over a page break (with the header repeated at the top of the new
page), an unnumbered row, columns in another order and caption rows above the header.
"""
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from openpyxl import Workbook

SEEDS = Path(__file__).resolve().parent / "seeds"


@dataclass
class SeedRoadmap:
    name: str
    title: list[str]
    header: list[str]
    rows: list  # str: a section row; list[str]: a row aligned with the header
    stamp: list[str] = field(default_factory=list)

    def activity_rows(self):
        return [row for row in self.rows if isinstance(row, list)]


# --- reading the seed texts -------------------------------------------------------------

def _lines(name):
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8").splitlines()


def _tab_row(line, width):
    """A tab-separated line as `width` cells, HTML paragraphs as line breaks."""
    cells = [re.sub(r"</?p>", "", cell.replace("</p> <p>", "\n")).strip()
             for cell in line.split("\t")]
    if len(cells) == width + 1:  # the responsible column split in two: keep the first
        del cells[4]
    return (cells + [""] * width)[:width]


def _tab_rows(lines, width):
    rows = []
    for line in lines:
        if not line.strip() or set(line) <= set("-\t "):
            continue
        cells = _tab_row(line, width)
        rows.append(cells[0] if cells[0] and not any(cells[1:]) else cells)
    return rows


def smolensk():
    lines = _lines("roadmap-smolensk-2019")
    header_at = next(i for i, line in enumerate(lines) if line.startswith("№\t"))
    title = [line.strip("* ") for line in lines[:header_at] if line.strip()]
    header = lines[header_at].split("\t")
    return SeedRoadmap("smolensk", title, header, _tab_rows(lines[header_at + 1:], len(header)))


def moscow_region():
    lines = _lines("roadmap-moscow-region-2020")
    header_at = next(i for i, line in enumerate(lines) if line.startswith("№ п/п\t"))
    above = [line.strip() for line in lines[:header_at] if line.strip()]
    stamp_end = next(i for i, line in enumerate(above) if "№" in line)
    header = lines[header_at].split("\t")
    return SeedRoadmap("moscow-region", above[stamp_end + 1:], header,
                       _tab_rows(lines[header_at + 1:], len(header)), stamp=above[:stamp_end + 1])


def lesosibirsk():
    """One cell per line, each starting with a tab; lines without a tab continue a cell."""
    lines = _lines("roadmap-lesosibirsk-2020")
    title = [lines[0].strip()]
    cells = []
    for line in lines[1:]:
        if line.startswith("\t"):
            cells.append(line.strip())
        elif line.strip():
            cells[-1] = f"{cells[-1]}\n{line.strip()}".strip()
    width = 6
    header, body = cells[:width], cells[width:]
    rows = [body[i:i + width] for i in range(0, len(body), width)]
    if [row[0] for row in rows] != [str(n) for n in range(1, len(rows) + 1)]:
        raise ValueError("the Lesosibirsk seed no longer splits into rows of six cells")
    return SeedRoadmap("lesosibirsk", title, header, rows)


SEED_READERS = {"smolensk": smolensk, "moscow-region": moscow_region, "lesosibirsk": lesosibirsk}


def seed(name):
    return SEED_READERS[name]()


# --- one table, as both builders write it ------------------------------------------------

def split_point(seed_roadmap):
    """Index in rows of the activity the builders split over a page break: the first
    numbered one with a long title, cut before a word in small letters."""
    for index, row in enumerate(seed_roadmap.rows):
        if isinstance(row, list) and row[0] and len(row[1].split()) >= 6 and _cut(row[1]):
            return index
    raise ValueError("no activity long enough to split")


def _cut(text):
    """(head, tail) of text cut at a space near the middle, the tail in small letters."""
    spaces = [m.start() for m in re.finditer(r" (?=[а-яё])", text)]
    if not spaces:
        return None
    middle = min(spaces, key=lambda i: abs(i - len(text) // 2))
    return text[:middle], text[middle + 1:]


def unnumbered_point(seed_roadmap):
    """Index in rows of the activity written without a number: the last numbered one."""
    return max(i for i, row in enumerate(seed_roadmap.rows) if isinstance(row, list) and row[0])


def table_stream(seed_roadmap, *, order=None, split=True, unnumbered=True, captions=0):
    """("caption" | "header" | "section" | "row", cells or text) in table order."""
    order = order or list(range(len(seed_roadmap.header)))
    pick = lambda cells: [cells[i] for i in order]  # noqa: E731 - the column order, once
    for number in range(captions):  # rows above the header inside the table
        yield "caption", "План мероприятий" if number == 0 else ""
    yield "header", pick(seed_roadmap.header)
    split_at = split_point(seed_roadmap) if split else None
    unnumbered_at = unnumbered_point(seed_roadmap) if unnumbered else None
    for index, row in enumerate(seed_roadmap.rows):
        if isinstance(row, str):
            yield "section", row
            continue
        cells = list(row)
        if index == unnumbered_at:
            cells[0] = ""
        if index == split_at:
            head, tail = _cut(cells[1])
            first, rest = [cells[0], head, *cells[2:]], ["", tail] + [""] * (len(cells) - 2)
            yield "row", pick(first)
            yield "header", pick(seed_roadmap.header)  # repeated at the top of the new page
            yield "row", pick(rest)
        else:
            yield "row", pick(cells)


# --- Word ----------------------------------------------------------------------------------

def _mark_repeating_header(row):
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _fill(cell, text):
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:  # one paragraph per line, as Word keeps them
        cell.add_paragraph(line)


def new_document(landscape=True):
    document = Document()
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    return document


def add_lines(document, stamp, title):
    for line in stamp:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in title:
        paragraph = document.add_paragraph()
        paragraph.add_run(line).bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_table(document, stream, width):
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    header_seen = False
    for kind, value in stream:
        row = table.add_row()
        if kind in ("caption", "section"):
            row.cells[0].merge(row.cells[-1])
            _fill(row.cells[0], value)
            continue
        for cell, text in zip(row.cells, value):
            _fill(cell, text)
        if kind == "header" and not header_seen:
            _mark_repeating_header(row)
            header_seen = True
    return table


def to_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_docx(seed_roadmap, *, stamp=None, **stream_options):
    """A .docx of the seed; `stamp` replaces its approval stamp lines."""
    document = new_document()
    add_lines(document, seed_roadmap.stamp if stamp is None else stamp, seed_roadmap.title)
    add_table(document, table_stream(seed_roadmap, **stream_options), len(seed_roadmap.header))
    return to_bytes(document)


# --- Excel -------------------------------------------------------------------------------

def _excel_value(text):
    return int(text) if text.isdigit() else text  # Excel users type numbers as numbers


def build_xlsx(seed_roadmap, *, stamp=None, split=False, **stream_options):
    """An .xlsx of the seed: stamp top right, title, an empty row, then the table, its
    section rows merged across it."""
    book = Workbook()
    sheet = book.active
    width = len(seed_roadmap.header)
    for line in seed_roadmap.stamp if stamp is None else stamp:
        sheet.append([None] * (width - 1) + [line])
    for line in seed_roadmap.title:
        sheet.append([line])
    sheet.append([])
    for kind, value in table_stream(seed_roadmap, split=split, **stream_options):
        if kind in ("caption", "section"):
            sheet.append([value])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                              end_column=width)
        else:
            sheet.append([_excel_value(text) for text in value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- a large synthetic road map, for the benchmark ---------------------------------------

SYNTHETIC_DEADLINES = ("Январь", "Февраль - март", "II квартал 2021 года", "В течение года",
                       "ежемесячно", "до 15.09.2021", "сентябрь – октябрь 2021 года")


def synthetic_seed(n_activities=300, per_section=30):
    header = ["№ п/п", "Наименование мероприятия", "Срок реализации", "Ответственный исполнитель",
              "Ожидаемый результат", "Информация об исполнении"]
    rows = []
    for index in range(n_activities):
        section, number = divmod(index, per_section)
        if number == 0:
            rows.append(f"{section + 1}. Раздел {section + 1}: организационно-методическое "
                        "сопровождение")
        rows.append([f"{section + 1}.{number + 1}",
                     f"Мероприятие {index + 1}: совещание с руководителями школ по вопросам "
                     "повышения качества образования и работы с обучающимися группы риска",
                     SYNTHETIC_DEADLINES[index % len(SYNTHETIC_DEADLINES)],
                     "Отдел образования, МБУ «ИМЦ»", "Протокол совещания, рекомендации", ""])
    title = ["Дорожная карта по повышению качества образования на 2021 год"]
    stamp = ["УТВЕРЖДЕНА", "приказом управления образования", "от 12.03.2021 № 45"]
    return SeedRoadmap("synthetic", title, header, rows, stamp=stamp)


def synthetic_docx(n_activities=300):
    return build_docx(synthetic_seed(n_activities), split=False, unnumbered=False)


def with_rows(seed_roadmap, rows):
    """The seed with other rows (an empty table, a row without a deadline…)."""
    return replace(seed_roadmap, rows=rows)
