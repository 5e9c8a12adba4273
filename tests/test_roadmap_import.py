"""The road-map importer on the seed road maps built into .docx and .xlsx, and on bad files.

Counts were made by hand from blueprints/roadmaps/seeds/*.txt:
- Smolensk 2019: 4 unnumbered sections of 3, 9, 2 and 2 activities (16);
- Moscow region 2020: sections «1.», «II.», «III» of 5, 5 and 3 activities (13); two rows
  continue the one above over a page break, and a column-number row «1 2 3 4 5» follows
  the header;
- Lesosibirsk 2020: no section rows, 14 activities.
"""
import io
import random
import zipfile
from datetime import date

import pytest
from docx import Document

from blueprints.roadmaps.importer import RoadmapImportError, parse_roadmap

from blueprints.roadmaps import samples as files

EXPECTED = {  # seed → (activities per section, section numbers, title, period)
    "smolensk": (
        [3, 9, 2, 2], ["", "", "", ""],
        "Дорожная карта проекта «Муниципальный образовательный центр как механизм управления "
        "качеством образования, обеспечивающий поддержку школ с низкими результатами обучения "
        "и школ, функционирующих в неблагоприятных социальных условиях» в 2019 году",
        (2019, 2019)),
    "moscow-region": (
        [5, 5, 3], ["1", "II", "III"],
        "«ДОРОЖНАЯ КАРТА» реализации мероприятий регионального проекта адресной методической "
        "поддержки общеобразовательных организаций Московской области «Школа, которой можно "
        "доверять»",
        (None, None)),
    "lesosibirsk": (
        [14], [""],
        "Дорожная карата по повышению качества общего образования на 2020-2021 учебный год.",
        (2020, 2021)),
}
SECTION_TITLES = {
    "smolensk": ["Нормативное правовое обеспечение Проекта на региональном, муниципальном уровнях",
                 "Консультирование и тьюторское сопровождение школ с низкими результатами "
                 "обучения и школ, функционирующих в неблагоприятных социальных условиях",
                 "Распространение лучших практик перевода Школ в режим эффективной работы",
                 "Организационно-техническое сопровождение реализации мероприятий Проекта"],
    "moscow-region": ["Организационно-управленческое и нормативное обеспечение",
                      "Научно-методическое сопровождение",
                      "Проведение мониторингов, подготовка аналитических, отчетных материалов"],
    "lesosibirsk": [""],
}
BUILDERS = {"docx": files.build_docx, "xlsx": files.build_xlsx}


def flat(text):
    """The text with runs of whitespace as one space, as the importer tidies cells."""
    return " ".join(text.split())


def parse(data, filename="roadmap.docx", **options):
    return parse_roadmap(data, filename, **options)


def import_seed(name, kind, **options):
    return parse(BUILDERS[kind](files.seed(name), **options), f"roadmap.{kind}")


def _errors(data, filename):
    with pytest.raises(RoadmapImportError) as caught:
        parse_roadmap(data, filename)
    return str(caught.value)


# --- the seeds ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", BUILDERS)
@pytest.mark.parametrize("name", EXPECTED)
def test_seed_sections_activities_title_and_period(name, kind):
    per_section, numbers, title, period = EXPECTED[name]
    roadmap = import_seed(name, kind)
    assert [len(section.activities) for section in roadmap.sections] == per_section
    assert [section.number for section in roadmap.sections] == numbers
    assert [section.title for section in roadmap.sections] == SECTION_TITLES[name]
    assert roadmap.title == title
    assert (roadmap.period_start, roadmap.period_end) == period


@pytest.mark.parametrize("kind", BUILDERS)
@pytest.mark.parametrize("name,count", [("smolensk", 16), ("moscow-region", 13),
                                        ("lesosibirsk", 14)])
def test_numbers_in_order_and_the_unnumbered_row_kept(name, kind, count):
    roadmap = import_seed(name, kind)
    numbers = [activity.number for activity in roadmap.activities]
    assert numbers == [str(n) for n in range(1, count)] + [""]
    seed = files.seed(name)
    assert flat(roadmap.activities[-1].title) == flat(seed.rows[files.unnumbered_point(seed)][1])


@pytest.mark.parametrize("kind", BUILDERS)
def test_moscow_stamp_and_approving_order(kind):
    roadmap = import_seed("moscow-region", kind)
    assert roadmap.approved_number == "Р-315"
    assert roadmap.approved_on == date(2020, 6, 5)
    assert roadmap.stamp == ("УТВЕРЖДЕНА распоряжением Министерства образования Московской "
                             "области от « 05 » июня 2020 № Р-315")
    # its title names no period: the order's year dates the deadlines, and the user is told
    assert roadmap.warnings == ["Период дорожной карты не указан в заголовке: для сроков без "
                                "года взят 2020 год"]
    constant = roadmap.activities[7]
    assert (constant.deadline_text, constant.deadline.recurrence) == ("Постоянно", "постоянно")
    assert (constant.deadline.start, constant.deadline.end) == (date(2020, 1, 1),
                                                                date(2020, 12, 31))


def test_a_default_period_replaces_the_fallback():
    data = files.build_docx(files.seed("moscow-region"))
    roadmap = parse(data, default_period=(2020, 2021))
    assert roadmap.warnings == []
    assert roadmap.period_start is None  # still not named by the file
    assert roadmap.activities[7].deadline.end == date(2021, 8, 31)


@pytest.mark.parametrize("name", ["smolensk", "lesosibirsk"])
def test_seeds_without_a_stamp_have_no_approval_and_no_warnings(name):
    roadmap = import_seed(name, "docx")
    assert (roadmap.stamp, roadmap.approved_number, roadmap.approved_on) == ("", "", None)
    assert roadmap.warnings == []


@pytest.mark.parametrize("stamp,number,day", [
    (["УТВЕРЖДЕНО", "приказом СОИРО", "от 12.03.2019 № 45"], "45", date(2019, 3, 12)),
    (["УТВЕРЖДЕНА приказом управления образования от 5 июня 2019 г. № 01-07/45"],
     "01-07/45", date(2019, 6, 5)),
])
def test_an_approval_stamp_above_the_title(stamp, number, day):
    roadmap = import_seed("smolensk", "docx", stamp=stamp)
    assert (roadmap.approved_number, roadmap.approved_on) == (number, day)
    assert roadmap.title == EXPECTED["smolensk"][2]


def test_rows_continued_over_a_page_break_are_joined():
    seed = files.seed("moscow-region")
    split = seed.rows[files.split_point(seed)]
    roadmap = import_seed("moscow-region", "docx")
    activities = roadmap.activities
    # split by the builder, with the header repeated at the top of the new page
    assert flat(activities[0].title) == flat(split[1])
    assert flat(activities[0].expected_result) == flat(split[4])
    # split in the original file: the rest of the text arrives in a row with no number
    assert activities[1].title.startswith("Подготовка нормативных документов. Утверждение:")
    assert activities[1].title.endswith("«Школа, которой можно доверять»")
    assert "можно доверять».\nОпределение регионального оператора" in activities[1].title
    assert activities[5].title.endswith("«Сильный директор»; выезд Методического автобуса; "
                                        "университетские субботы")
    assert activities[5].expected_result.endswith("для принятия управленческих решений.")


@pytest.mark.parametrize("name", EXPECTED)
def test_the_split_row_is_one_activity_in_every_seed(name):
    seed = files.seed(name)
    split = seed.rows[files.split_point(seed)]
    titles = [flat(activity.title) for activity in import_seed(name, "docx").activities]
    assert flat(split[1]) in titles


def test_deadlines_are_read_into_the_activities():
    roadmap = import_seed("lesosibirsk", "docx")
    read = [(a.number, a.deadline_text, a.deadline.start, a.deadline.end)
            for a in roadmap.activities]
    assert read[1] == ("2", "сентябрь 2020 года", date(2020, 9, 1), date(2020, 9, 30))
    assert read[6] == ("7", "в течение года", date(2020, 9, 1), date(2021, 8, 31))
    assert read[11] == ("12", "январь – май 2021 года", date(2021, 1, 1), date(2021, 5, 31))
    assert all(activity.deadline.is_read for activity in roadmap.activities)
    smolensk = import_seed("smolensk", "xlsx").activities
    assert (smolensk[6].deadline.start, smolensk[6].deadline.end) == (date(2019, 1, 1),
                                                                     date(2019, 11, 30))


def test_other_columns_are_read():
    activity = import_seed("lesosibirsk", "xlsx").activities[0]
    assert activity.responsible == "Отдел образования,\nМБУ «МИМЦ»"
    assert activity.expected_result.startswith("Муниципальная модель поддержки")
    assert activity.execution_info.startswith("Разработана программа «Повышение КО в ШНОР/ШНСУ»")


# --- layout variations --------------------------------------------------------------------

def _summary(roadmap):
    return [(s.number, s.title, [(a.number, a.title, a.deadline_text, a.responsible,
                                  a.expected_result, a.execution_info) for a in s.activities])
            for s in roadmap.sections]


@pytest.mark.parametrize("kind", BUILDERS)
def test_columns_in_another_order(kind):
    usual = import_seed("lesosibirsk", kind)
    shuffled = import_seed("lesosibirsk", kind, order=[3, 5, 1, 0, 4, 2])
    assert _summary(shuffled) == _summary(usual)


@pytest.mark.parametrize("kind", BUILDERS)
def test_header_found_below_caption_rows(kind):
    roadmap = import_seed("smolensk", kind, captions=2)
    assert [len(section.activities) for section in roadmap.sections] == [3, 9, 2, 2]


def test_table_without_number_column():
    seed = files.seed("smolensk")
    roadmap = parse(files.build_docx(seed, order=[1, 2, 3]))
    assert [len(section.activities) for section in roadmap.sections] == [3, 9, 2, 2]
    assert {activity.number for activity in roadmap.activities} == {""}


def _docx_with_table(rows, *, merge=()):
    document = files.new_document()
    document.add_paragraph("План мероприятий на 2021 год")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for (row_a, col_a), (row_b, col_b) in merge:
        table.cell(row_a, col_a).merge(table.cell(row_b, col_b))
    return files.to_bytes(document)


FIELDS = ("number", "title", "deadline_text", "responsible", "expected_result", "audience",
          "execution_info")


@pytest.mark.parametrize("header", [
    ["№", "Мероприятие", "Срок", "Ответственные", "Ожидаемый результат", "Целевая аудитория",
     "Информация об исполнении"],
    ["№ п/п", "Наименование мероприятия", "Сроки", "Ответственный исполнитель",
     "Предполагаемый результат", "Участники", "Отметка о выполнении"],
    ["N п/п", "Описание действий", "Срок реализации", "Исполнитель", "Результат",
     "Участники мероприятия", "Информация об исполнении (ссылки)"],
    ["№", "Содержание", "Дата реализации", "Ответственный", "Результат", "Целевая аудитория",
     "Отметка о выполнении"],
    ["№", "Мероприятие", "Сроки исполнения", "Ответственный", "Результат", "Участники",
     "Отметка о выполнении"],
])
def test_column_name_synonyms(header):
    values = ["1.4", "Педагогический совет", "Май", "Школа", "Протокол", "Учителя", "Проведён"]
    activity, = parse(_docx_with_table([header, values])).activities
    assert tuple(getattr(activity, name) for name in FIELDS) == tuple(values)


def test_two_columns_of_one_kind_are_joined():
    data = _docx_with_table([
        ["№", "Мероприятие", "Срок", "Ответственный от школы-лидера",
         "Ответственный от школы-партнёра"],
        ["1", "Взаимопосещение уроков", "Октябрь", "Иванова А. А.", "Петрова Б. Б."],
    ])
    assert parse(data).activities[0].responsible == "Иванова А. А.\nПетрова Б. Б."


def test_vertically_merged_cells():
    data = _docx_with_table([
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["1", "Совещание директоров", "II квартал", "МОЦ"],
        ["", "", "июнь - август", ""],
        ["2", "Семинар для заместителей", "Октябрь", ""],
    ], merge=[((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 3), (3, 3))])
    first, second = parse(data).activities
    assert first.deadline_text == "II квартал июнь - август"
    assert (first.deadline.start, first.deadline.end) == (date(2021, 4, 1), date(2021, 8, 31))
    assert second.responsible == "МОЦ"  # merged down from the activity above


def test_numbered_row_without_deadline_is_a_section_and_warnings_name_rows():
    data = _docx_with_table([
        ["№ п/п", "Содержание", "Сроки исполнения", "Исполнитель"],
        ["I.", "Организационные мероприятия", "", ""],
        ["1.1", "Совещание", "по согласованию", "МОЦ"],
        ["1.2", "", "Май", "МОЦ"],
        ["1.3", "Семинар", "", "МОЦ"],
    ])
    roadmap = parse(data)
    assert [(s.number, s.title) for s in roadmap.sections] == [("I", "Организационные мероприятия")]
    assert [a.number for a in roadmap.activities] == ["1.1", "1.3"]
    assert roadmap.warnings == [
        "Строка 3: срок «по согласованию» не распознан, сохранён как написано",
        "Строка 4: нет текста мероприятия — строка пропущена",
        "Строка 5: срок не указан",
    ]
    assert roadmap.activities[0].deadline.is_read is False


def test_excel_dates_and_numbers():
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Дорожная карта на 2020/2021 учебный год"])
    sheet.append(["№", "Описание действий", "Дата реализации", "Ответственные"])
    sheet.append([1, "Педсовет", date(2020, 9, 15), "Школа"])
    sheet.append([2.0, "Родительское собрание", "май", "Школа"])
    buffer = io.BytesIO()
    book.save(buffer)
    roadmap = parse(buffer.getvalue(), "plan.xlsx")
    first, second = roadmap.activities
    assert (first.number, first.deadline_text, first.deadline.end) == ("1", "15.09.2020",
                                                                     date(2020, 9, 15))
    assert (second.number, second.deadline.start) == ("2", date(2021, 5, 1))
    assert (roadmap.period_start, roadmap.period_end) == (2020, 2021)


# --- files that are not road maps ---------------------------------------------------------

def test_a_docx_that_is_not_a_road_map():
    data = _docx_with_table([["ФИО", "Должность", "Телефон"], ["Иванов И. И.", "директор", "1"]])
    assert _errors(data, "list.docx") == (
        "Не найдена строка заголовков таблицы: нужен столбец «Мероприятие» "
        "(или «Наименование мероприятия», «Описание действий»)")


def test_a_table_with_some_columns_but_no_activity_names_the_row():
    data = _docx_with_table([["Срок", "Ответственный", "Отметка"], ["май", "МОЦ", ""]])
    message = _errors(data, "plan.docx")
    assert message.startswith("Не найдена строка заголовков таблицы: нужен столбец «Мероприятие»")
    assert "В строке 1 найдены столбцы «Срок», «Ответственные», «Информация об исполнении»" \
        in message


def test_a_docx_without_tables():
    document = Document()
    document.add_paragraph("Дорожная карта будет позже")
    message = _errors(files.to_bytes(document), "roadmap.docx")
    assert message.startswith("В документе нет таблиц: нужна таблица дорожной карты")


@pytest.mark.parametrize("kind", BUILDERS)
def test_an_empty_table(kind):
    seed = files.with_rows(files.seed("smolensk"), [])
    data = BUILDERS[kind](seed, split=False, unnumbered=False)
    assert _errors(data, f"roadmap.{kind}") == "В таблице нет ни одного мероприятия"


def test_a_table_of_sections_only_has_no_activities():
    seed = files.with_rows(files.seed("smolensk"), ["1. Организационные мероприятия"])
    data = files.build_docx(seed, split=False, unnumbered=False)
    assert _errors(data, "roadmap.docx") == "В таблице нет ни одного мероприятия"


@pytest.mark.parametrize("filename", ["roadmap.docx", "roadmap.xlsx"])
def test_five_megabytes_of_garbage(filename):
    garbage = random.Random(5).randbytes(5 * 1024 * 1024)
    label = "документ Word .docx" if filename.endswith("docx") else "книга Excel .xlsx"
    assert _errors(garbage, filename) == f"Файл повреждён или это не {label}."
    assert _errors(garbage + b"x", filename) == "Файл больше допустимых 5 МБ."


@pytest.mark.parametrize("filename", ["roadmap.xlsx", "roadmap.docx", "roadmap.xls"])
def test_password_protected_or_old_format(filename):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    assert _errors(ole, filename) == ("Файл защищён паролем или в старом формате .doc/.xls: "
                                      "сохраните его как .docx или .xlsx без пароля")


def _zip(parts, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("parts,message", [
    ({"word/document.xml": b" " * (31 * 1024 * 1024)}, "Файл слишком большой в распакованном виде"),
    ({"word/document.xml": b" " * (2 * 1024 * 1024)}, "сжата более чем в 100 раз"),
    ({"word/document.xml": b"<w/>", **{f"x/{n}.xml": b"" for n in range(400)}},
     "В файле слишком много частей: 401"),
    ({"xl/workbook.xml": b"<workbook/>"},
     "В файле нет части word/document.xml: это не документ Word"),
    ({"word/document.xml": b"<not xml"}, "Файл повреждён или это не документ Word .docx."),
    ({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'},
     "DOCTYPE"),
])
def test_hostile_or_broken_archives(parts, message):
    assert message in _errors(_zip(parts), "roadmap.docx")


def test_wrong_extension_and_empty_file():
    data = files.build_docx(files.seed("smolensk"))
    assert _errors(data, "roadmap.pdf") == ("Нужен файл Word .docx или Excel .xlsx с таблицей "
                                            "дорожной карты.")
    assert _errors(data, "roadmap.xlsx") == ("В файле нет части xl/workbook.xml: это не книга "
                                             "Excel .xlsx.")
    assert _errors(b"", "roadmap.docx") == "Файл пуст."


def test_damaged_copies_never_raise_anything_else():
    data = files.build_docx(files.seed("lesosibirsk"))
    rng = random.Random(1)
    for _ in range(40):
        damaged = bytearray(data)
        for _ in range(8):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            parse_roadmap(bytes(damaged), "roadmap.docx")
        except RoadmapImportError as error:
            assert str(error)[:1].isupper()


# --- a large road map (its speed is measured by `make bench`, not here) ----------------------

def test_a_300_activity_docx_is_read_whole():
    roadmap = parse(files.synthetic_docx(300))
    assert len(roadmap.activities) == 300 and len(roadmap.sections) == 10
    assert (roadmap.approved_number, roadmap.approved_on) == ("45", date(2021, 3, 12))
