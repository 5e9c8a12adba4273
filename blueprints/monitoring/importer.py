"""Assessment results from an .xlsx: read the table, find the columns by their headers (any
order, synonyms in FIELDS) or by the user's mapping, check every row against the directory and
the rules of the procedure, saving nothing; the confirmation saves every row or none
(services.save_results).

The file is read twice: its values (core/tables.xlsx_rows), then the sheet's XML for what the
values hide — merged cells and formulas whose result Excel did not store."""
import re
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook

from models import PROCEDURES, AssessmentResult, Organization

from ..core.archives import ArchiveRejected, open_archive
from ..core.orgnames import OrganizationMatcher, name_key
from ..core.sheets import header_sheet, workbook_bytes
from ..core.tables import TableProblem, non_empty_rows, xlsx_rows

MAX_ROWS = 5000
HEADER_ROWS = 10
MAX_EMPTY_ROWS = 200
GRADES = (4, 11)
YEARS = (2000, 2100)

# field → (label, header synonyms); the first synonym is the template's header.
FIELDS = {
    "school": ("ОО", ["ОО", "Образовательная организация", "Школа", "Наименование ОО",
                      "Организация", "Общеобразовательная организация"]),
    "procedure": ("Процедура", ["Процедура", "Оценочная процедура", "Вид процедуры"]),
    "subject": ("Предмет", ["Предмет", "Учебный предмет"]),
    "grade": ("Класс", ["Класс", "Параллель"]),
    "year": ("Год", ["Год", "Год проведения"]),
    "participants": ("Участников", ["Участников", "Кол-во участников", "Количество участников",
                                    "Число участников", "Участники", "Писали работу"]),
    "mark2": ("«2»", ["\"2\"", "Отметка 2", "Отметка «2»", "Кол-во 2", "Количество 2", "Получили 2"]),
    "mark3": ("«3»", ["\"3\"", "Отметка 3", "Отметка «3»", "Кол-во 3", "Количество 3", "Получили 3"]),
    "mark4": ("«4»", ["\"4\"", "Отметка 4", "Отметка «4»", "Кол-во 4", "Количество 4", "Получили 4"]),
    "mark5": ("«5»", ["\"5\"", "Отметка 5", "Отметка «5»", "Кол-во 5", "Количество 5", "Получили 5"]),
    "below_min": ("Ниже минимального порога", ["Не преодолели минимальный порог",
                                               "Ниже минимального порога", "Не преодолели порог",
                                               "Ниже порога", "Не набрали минимальный балл"]),
    "mean_score": ("Средний балл", ["Средний балл", "Ср. балл", "Средний первичный балл",
                                    "Средний тестовый балл"]),
}
HEADERS = [names[0] for _, names in FIELDS.values()]
MARKS = ("mark2", "mark3", "mark4", "mark5")
COUNTS = ("participants", *MARKS, "below_min")


def _norm(text):
    return re.sub(r"[^0-9a-zа-я]+", "", str(text or "").lower().replace("ё", "е"))


_LOOKUP = {_norm(name): field for field, (_, names) in FIELDS.items() for name in names}
_LOOKUP.update({_norm(label): field for field, (label, _) in FIELDS.items()})
_PROCEDURES = {_norm(label): key for key, label in PROCEDURES.items()}
_PROCEDURES.update({_norm(key): key for key in PROCEDURES})
_PROCEDURES.update({"гиа9": "oge", "гиа11": "ege", "огэ9": "oge"})
SUBJECTS = ["Математика", "Русский язык", "Математика (профильная)", "Математика (базовая)",
            "Окружающий мир", "Биология", "География", "История", "Обществознание", "Физика",
            "Химия", "Информатика", "Литература", "Английский язык", "Немецкий язык",
            "Французский язык", "Иностранный язык"]
_SUBJECTS = {_norm(s): s for s in SUBJECTS}
_SUBJECTS.update({"русский": "Русский язык", "рус": "Русский язык", "мат": "Математика",
                  "математикапрофиль": "Математика (профильная)",
                  "профильнаяматематика": "Математика (профильная)",
                  "математикапрофильныйуровень": "Математика (профильная)",
                  "математикапрофильная": "Математика (профильная)",
                  "математикабаза": "Математика (базовая)",
                  "базоваяматематика": "Математика (базовая)",
                  "математикабазовыйуровень": "Математика (базовая)"})


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


def auto_mapping(header):
    """{field: column index} of the headers recognised."""
    mapping = {}
    for index, title in enumerate(header):
        field = _LOOKUP.get(_norm(title))
        if field and field not in mapping:
            mapping[field] = index
    return mapping


def read_table(data):
    """{"header": [...], "header_line", "rows": [[line, cells]], "mapping": {field: index}}.
    The header row is the first of the first rows where the school column is recognised (or,
    failing that, the first non-empty row)."""
    try:
        table = non_empty_rows(xlsx_rows(data), HEADER_ROWS + MAX_ROWS, MAX_EMPTY_ROWS)
    except TableProblem as problem:
        raise ImportProblem(str(problem)) from problem
    if not table:
        raise ImportProblem("Файл пуст.")
    position = 0
    for index, (_, header) in enumerate(table[:HEADER_ROWS]):
        if "school" in auto_mapping(header):
            position = index
            break
    header_line, header = table[position]
    _check_sheet(data, header_line)
    body = table[position + 1:]
    if not body:
        raise ImportProblem("Под строкой заголовков нет ни одной строки с результатами.")
    if len(body) > MAX_ROWS:
        raise ImportProblem(f"Слишком много строк: не больше {MAX_ROWS} за один раз.")
    width = max(len(header), *(len(cells) for _, cells in body))
    header = [h[:200] for h in header] + [""] * (width - len(header))
    return {"header": header, "header_line": header_line, "mapping": auto_mapping(header),
            "rows": [[line, [c[:300] for c in cells]] for line, cells in body]}


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _first_sheet(archive):
    """The XML of the workbook's first sheet (the one xlsx_rows read)."""
    names = archive.names
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
        rid = re.search(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"', book).group(1)
        target = re.search(rb'<Relationship\b[^>]*?Id="' + re.escape(rid) + rb'"[^>]*?>', rels)
        path = re.search(rb'Target="([^"]+)"', target.group(0)).group(1).decode()
        path = path.lstrip("/") if path.startswith("/") else "xl/" + path
        if path in names:
            return archive.read(path)
    except (KeyError, AttributeError):
        pass
    return archive.read("xl/worksheets/sheet1.xml") if "xl/worksheets/sheet1.xml" in names else b""


def _check_sheet(data, header_line):
    """Merged cells and formulas without a stored result: values the reader cannot see."""
    try:
        sheet = _first_sheet(open_archive(data, damaged="Файл повреждён."))
    except ArchiveRejected as error:
        raise ImportProblem(str(error)) from error
    merged = [m for m in _MERGE.findall(sheet)]
    if merged:
        first = merged[0]
        ref = f"{first[0].decode()}{first[1].decode()}:{first[2].decode()}{first[3].decode()}"
        if int(first[1]) <= header_line:
            raise ImportProblem(
                f"В заголовке таблицы есть объединённые ячейки ({ref}). Разъедините их: у каждого "
                "столбца должен быть свой заголовок в одной строке.")
        raise ImportProblem(f"В таблице есть объединённые ячейки ({ref}). Разъедините их и "
                            "заполните значение в каждой строке.")
    empty = []
    for attributes, inner in _CELL.findall(sheet):
        if inner and re.search(rb"<(?:\w+:)?f\b", inner) and not re.search(
                rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>", inner):
            ref = _REF.search(attributes)
            empty.append(f"{ref.group(1).decode()}{ref.group(2).decode()}" if ref else "?")
            if len(empty) >= 5:
                break
    if empty:
        raise ImportProblem(
            f"В ячейках {', '.join(empty)} формулы без вычисленных значений. Откройте файл в "
            "Excel или LibreOffice, пересчитайте и сохраните его, либо замените формулы "
            "значениями («Вставить как значения»).")


def missing_fields(mapping, procedure="", year=None):
    """Labels of the columns the rows need but the mapping lacks."""
    needed = ["school", "subject", "participants"]
    if not procedure:
        needed.append("procedure")
    if not year:
        needed.append("year")
    return [FIELDS[f][0] for f in needed if f not in mapping]


def _count(text, label, errors):
    if text == "":
        errors.append(f"Не указано: «{label}».")
        return None
    value = text.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-\d+", value):
        errors.append(f"«{label}»: число не может быть отрицательным ({text}).")
        return None
    if re.fullmatch(r"-?\d+[.,]\d+", value):
        errors.append(f"«{label}»: нужно целое число, а не дробное ({text}).")
        return None
    if not re.fullmatch(r"\d{1,7}", value):
        errors.append(f"«{label}»: нужно целое число, а не «{text[:40]}».")
        return None
    return int(value)


def _year(text, errors):
    value = text.replace(" ", "")
    match = re.fullmatch(r"(\d{4})(?:\s*[-/–]\s*(\d{4}))?(?:г\.?)?", value)
    if not match:
        errors.append(f"«Год»: нужен год числом, например 2026, а не «{text[:40]}».")
        return None
    year = int(match.group(2) or match.group(1))  # «2025/2026»: the year of the exam
    if not YEARS[0] <= year <= YEARS[1]:
        errors.append(f"«Год»: {year} — вне допустимого диапазона {YEARS[0]}–{YEARS[1]}.")
        return None
    return year


def normal_subject(text):
    key = _norm(text)
    if key in _SUBJECTS:
        return _SUBJECTS[key]
    clean = re.sub(r"\s+", " ", text).strip()
    return clean[:1].upper() + clean[1:]


class _Schools:
    def __init__(self):
        orgs = list(Organization.select(Organization.id, Organization.short_name,
                                        Organization.full_name, Organization.inn)
                    .where(Organization.kind == "school"))
        self.by_id = {o.id: o for o in orgs}
        self.keys = {}
        for org in orgs:
            for key in {name_key(org.short_name), name_key(org.full_name), org.inn.strip()}:
                if key:
                    self.keys.setdefault(key, set()).add(org.id)
        self.matcher = OrganizationMatcher(orgs)

    def find(self, text):
        ids = self.keys.get(name_key(text), set()) | self.keys.get(text.strip(), set())
        if not ids:
            ids = set(self.matcher(text))
        if len(ids) == 1:
            return self.by_id[ids.pop()], None
        if ids:
            return None, f"«{text}» подходит к нескольким школам: укажите полное наименование или ИНН."
        return None, f"Школы «{text}» нет в справочнике."


def check(table, mapping, procedure="", year=None):
    """Each row as a dict with its "errors" and, when it has none, the values to save and
    whether it replaces a stored result ("replaces")."""
    schools = _Schools()
    stored = {}
    seen = {}
    result = []
    for line, cells in table["rows"]:
        def cell(field):
            index = mapping.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        errors = []
        out = {"line": line, "school_text": cell("school"), "subject_text": cell("subject")}
        school = None
        if not out["school_text"]:
            errors.append("Не указана школа.")
        else:
            school, reason = schools.find(out["school_text"])
            if reason:
                errors.append(reason)
        proc = procedure
        if not proc:
            text = cell("procedure")
            proc = _PROCEDURES.get(_norm(text))
            if not text:
                errors.append("Не указана процедура (ВПР, ОГЭ или ЕГЭ).")
            elif proc is None:
                errors.append(f"Неизвестная процедура «{text[:40]}»: ожидается ВПР, ОГЭ или ЕГЭ.")
        subject = normal_subject(out["subject_text"]) if out["subject_text"] else ""
        if not subject:
            errors.append("Не указан предмет.")
        elif proc == "ege" and subject == "Математика":
            errors.append("Для ЕГЭ укажите уровень: «Математика (профильная)» или "
                          "«Математика (базовая)».")
        grade_text = cell("grade")
        grade = None
        if grade_text == "" and proc in ("oge", "ege"):
            grade = 9 if proc == "oge" else 11
        else:
            text = re.sub(r"\s*(кл\.?|класс)$", "", grade_text, flags=re.I)
            grade = _count(text, "Класс", errors)
            if grade is not None and not GRADES[0] <= grade <= GRADES[1]:
                errors.append(f"«Класс»: {grade} — вне диапазона {GRADES[0]}–{GRADES[1]}.")
                grade = None
            elif grade is not None and proc == "oge" and grade != 9:
                errors.append(f"ОГЭ сдают в 9 классе, а указан {grade}.")
            elif grade is not None and proc == "ege" and grade != 11:
                errors.append(f"ЕГЭ сдают в 11 классе, а указан {grade}.")
        the_year = year or (_year(cell("year"), errors) if cell("year") else None)
        if the_year is None and not cell("year"):
            errors.append("Не указан год.")
        values = {"participants": _count(cell("participants"), "Участников", errors)}
        if values["participants"] == 0:
            errors.append("«Участников»: должно быть не меньше 1.")
        if proc == "ege":
            values["below_min"] = _count(cell("below_min"), FIELDS["below_min"][0], errors)
            if None not in (values["below_min"], values["participants"]) and (
                    values["below_min"] > values["participants"]):
                errors.append(f"Ниже порога ({values['below_min']}) больше, чем участников "
                              f"({values['participants']}).")
        elif proc:
            for field in MARKS:
                values[field] = _count(cell(field), f"Отметка {FIELDS[field][0]}", errors)
            marks = [values[f] for f in MARKS]
            if None not in marks and values["participants"] is not None and (
                    sum(marks) != values["participants"]):
                errors.append(f"Сумма отметок ({' + '.join(map(str, marks))} = {sum(marks)}) не "
                              f"равна числу участников ({values['participants']}).")
        mean_text = cell("mean_score").replace(",", ".").replace(" ", "")
        mean = None
        if mean_text:
            try:
                mean = Decimal(mean_text)
                if not mean.is_finite() or not 0 <= mean <= 100:
                    raise InvalidOperation
                mean = str(mean.quantize(Decimal("0.01")))
            except InvalidOperation:
                errors.append(f"«Средний балл»: нужно число от 0 до 100, а не «{cell('mean_score')[:40]}».")
                mean = None
        if not errors:
            key = (school.id, proc, subject, grade, the_year)
            if key in seen:
                errors.append(f"Повторяет строку {seen[key]}: школа, процедура, предмет, класс и "
                              "год совпадают.")
            else:
                seen[key] = line
        out["errors"] = errors
        if not errors:
            if school.id not in stored:
                stored[school.id] = {
                    (r.procedure, r.subject, r.grade, r.year) for r in AssessmentResult.select(
                        AssessmentResult.procedure, AssessmentResult.subject,
                        AssessmentResult.grade, AssessmentResult.year).where(
                        AssessmentResult.school == school.id)}
            out.update(school_id=school.id, school_name=school.short_name, procedure=proc,
                       procedure_label=PROCEDURES[proc], subject=subject, grade=grade,
                       year=the_year, mean_score=mean,
                       replaces=(proc, subject, grade, the_year) in stored[school.id],
                       **{f: values.get(f) for f in COUNTS})
        result.append(out)
    return result


def template_xlsx():
    """An empty workbook with the headers the importer reads, and two example rows."""
    book = Workbook()
    sheet = header_sheet(book.active, "Результаты", HEADERS,
                         (36, 12, 26, 8, 8, 12, 8, 8, 8, 8, 16, 14))
    sheet.append(["МБОУ «СОШ № 1»", "ВПР", "Математика", 5, 2026, 50, 6, 20, 16, 8, None, None])
    sheet.append(["МБОУ «СОШ № 1»", "ЕГЭ", "Русский язык", 11, 2026, 20, None, None, None, None,
                  1, 68.5])
    return workbook_bytes(book)
