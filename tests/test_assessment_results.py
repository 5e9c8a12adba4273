"""Assessment results (ВПР, ОГЭ, ЕГЭ): the .xlsx import with its column mapping, preview and
all-or-nothing confirmation; a school's page with the share of «2» and its change; access."""
import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from models import AssessmentResult, AuditLog, db

from blueprints.monitoring import table

from .conftest import db_fingerprint

HEADER = ("Образовательная организация", "Процедура", "Предмет", "Класс", "Год",
          "Кол-во участников", "Отметка 2", "Кол-во 3", "\"4\"", "«5»",
          "Не преодолели минимальный порог", "Средний балл")


@pytest.fixture
def schools(make_org):
    return {"s1": make_org(short_name="МБОУ «СОШ № 1»", inn="2401000011", is_low_result=True),
            "s2": make_org(short_name="МБОУ «СОШ № 2»", inn="2401000012"),
            "centre": make_org(kind="centre", short_name="МКУ «ЦРО»")}


@pytest.fixture
def centre(login_as, schools):
    return login_as("centre", organization=schools["centre"].id)


def workbook(rows, header=HEADER, title=True):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["Результаты оценочных процедур"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data, procedure="", year="", name="результаты.xlsx"):
    return client.post("/monitoring/results/import", data={
        "procedure": procedure, "year": year, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def token_of(html):
    return re.search(r"/monitoring/results/import/([\w-]{20,})(?:/columns)?\"", html).group(1)


def confirm(client, html):
    return client.post(f"/monitoring/results/import/{token_of(html)}")


GOOD = [
    ("СОШ № 1", "ВПР", "математика", 5, 2025, 50, 10, 20, 15, 5, "", "3,3"),
    ("мбоу «сош № 1»", "впр", "Русский язык", "5", "2025", 48, 6, 22, 15, 5, "", ""),
    ("2401000012", "ЕГЭ", "математика профиль", 11, 2025, 20, "", "", "", "", 2, "61.5"),
    ("СОШ № 2", "ОГЭ", "Русский  язык", "", 2024, 30, 3, 12, 10, 5, "", ""),
]


def stored():
    with db.connection_context():
        return {(r.school_id, r.procedure, r.subject, r.grade, r.year): r
                for r in AssessmentResult.select()}


def test_import_with_synonyms_previews_then_saves_every_row(centre, schools):
    before = db_fingerprint()
    response = upload(centre, workbook(GOOD))
    assert response.status_code == 200, response.text
    html = response.text
    assert "Ошибок нет: будет загружено строк — 4" in html and "обновится" not in html
    assert db_fingerprint() == before  # the preview saves nothing
    assert confirm(centre, html).status_code == 303
    rows = stored()
    s1, s2 = schools["s1"].id, schools["s2"].id
    assert set(rows) == {(s1, "vpr", "Математика", 5, 2025), (s1, "vpr", "Русский язык", 5, 2025),
                         (s2, "ege", "Математика (профильная)", 11, 2025),
                         (s2, "oge", "Русский язык", 9, 2024)}
    vpr = rows[(s1, "vpr", "Математика", 5, 2025)]
    assert (vpr.participants, vpr.mark2, vpr.mark5, vpr.mean_score) == (50, 10, 5, Decimal("3.3"))
    assert vpr.share_2 == Decimal("20.0") and vpr.quality_share == Decimal("40.0")
    ege = rows[(s2, "ege", "Математика (профильная)", 11, 2025)]
    assert ege.below_min == 2 and ege.share_2 == Decimal("10.0") and ege.quality_share is None
    assert ege.mean_score == Decimal("61.5") and ege.source == "результаты.xlsx"
    with db.connection_context():
        assert AuditLog.select().where(AuditLog.action == "assessment_results_imported").count() == 1


def test_an_unrecognised_column_is_mapped_by_the_user_and_procedure_year_fixed(centre, schools):
    header = ("Школа", "Предмет", "Параллель", "Писали", "Кол-во 2", "Кол-во 3", "Кол-во 4",
              "Кол-во 5")
    data = workbook([("СОШ № 1", "Математика", 7, 40, 8, 16, 12, 4)], header=header)
    response = upload(centre, data, procedure="vpr", year="2026")
    assert response.status_code == 422
    assert "Укажите, в каком столбце: Участников" in response.text
    token = token_of(response.text)
    fields = {f"col-{i}": f for i, f in enumerate(
        ["school", "subject", "grade", "participants", "mark2", "mark3", "mark4", "mark5"])}
    before = db_fingerprint()
    response = centre.post(f"/monitoring/results/import/{token}/columns", data=fields)
    assert response.status_code == 200 and "Ошибок нет" in response.text
    assert db_fingerprint() == before
    assert confirm(centre, response.text).status_code == 303
    row = stored()[(schools["s1"].id, "vpr", "Математика", 7, 2026)]
    assert (row.participants, row.mark2) == (40, 8)


def test_the_same_field_for_two_columns_is_refused(centre, schools):
    response = upload(centre, workbook(GOOD))
    token = token_of(response.text)
    response = centre.post(f"/monitoring/results/import/{token}/columns",
                           data={"col-0": "school", "col-1": "school"})
    assert response.status_code == 422 and "назначено двум столбцам" in response.text


@pytest.mark.parametrize("row, message", [
    (("Школа № 999", "ВПР", "Математика", 5, 2025, 50, 10, 20, 15, 5, "", ""),
     "Школы «Школа № 999» нет в справочнике."),
    (("СОШ № 1", "ВПР", "Математика", 5, 2025, 50, 10, 20, 15, 4, "", ""),
     "Сумма отметок (10 + 20 + 15 + 4 = 49) не равна числу участников (50)."),
    (("СОШ № 1", "ВПР", "Математика", 5, 2025, 50, -10, 40, 15, 5, "", ""),
     "«Отметка «2»»: число не может быть отрицательным (-10)."),
    (("СОШ № 1", "ВПР", "Математика", 5, 2025, "50,5", 10, 20, 15, 5, "", ""),
     "«Участников»: нужно целое число, а не дробное (50,5)."),
    (("СОШ № 1", "ВПР", "Математика", 5, 2025, 50.5, 10, 20, 15, 5, "", ""),
     "«Участников»: нужно целое число, а не дробное (50.5)."),
    (("СОШ № 1", "ВПР", "Математика", 12, 2025, 50, 10, 20, 15, 5, "", ""),
     "«Класс»: 12 — вне диапазона 4–11."),
    (("СОШ № 1", "ВПР", "Математика", 5, 1999, 50, 10, 20, 15, 5, "", ""),
     "«Год»: 1999 — вне допустимого диапазона 2000–2100."),
    (("СОШ № 1", "ВПР", "Математика", 5, 2101, 50, 10, 20, 15, 5, "", ""),
     "«Год»: 2101 — вне допустимого диапазона 2000–2100."),
    (("СОШ № 1", "НИКО", "Математика", 5, 2025, 50, 10, 20, 15, 5, "", ""),
     "Неизвестная процедура «НИКО»"),
    (("СОШ № 1", "ЕГЭ", "Русский язык", 11, 2025, 20, "", "", "", "", 25, ""),
     "Ниже порога (25) больше, чем участников (20)."),
    (("СОШ № 1", "ОГЭ", "Математика", 11, 2025, 50, 10, 20, 15, 5, "", ""),
     "ОГЭ сдают в 9 классе, а указан 11."),
    (("СОШ № 1", "ВПР", "Математика", 5, 2025, 50, 10, 20, 15, 5, "", "много"),
     "«Средний балл»: нужно число от 0 до 100"),
])
def test_a_bad_row_is_reported_in_russian_and_nothing_is_saved(centre, schools, row, message):
    fine = ("СОШ № 2", "ВПР", "Математика", 5, 2025, 30, 3, 12, 10, 5, "", "")
    before = db_fingerprint()
    response = upload(centre, workbook([fine, row]))
    assert response.status_code == 422
    assert message in response.text.replace("&#34;", '"').replace("&#39;", "'")
    assert "Строк с ошибками: 1 из 2" in response.text
    assert 'action="/monitoring/results/import/' not in response.text.split("columns-form")[1]
    assert db_fingerprint() == before


def test_a_duplicate_row_in_the_file_is_refused(centre, schools):
    row = ("СОШ № 1", "ВПР", "Математика", 5, 2025, 50, 10, 20, 15, 5, "", "")
    before = db_fingerprint()
    response = upload(centre, workbook([row, ("МБОУ «СОШ № 1»", *row[1:])]))
    assert response.status_code == 422 and "Повторяет строку 3" in response.text
    assert db_fingerprint() == before


def test_a_stale_token_saves_nothing(centre, schools):
    before = db_fingerprint()
    response = centre.post("/monitoring/results/import/" + "x" * 24)
    assert response.status_code == 303 and db_fingerprint() == before


def test_reimport_updates_without_duplicates(centre, schools):
    assert confirm(centre, upload(centre, workbook(GOOD)).text).status_code == 303
    changed = [("СОШ № 1", "ВПР", "Математика", 5, 2025, 50, 5, 25, 15, 5, "", ""),
               ("СОШ № 1", "ВПР", "Математика", 5, 2026, 52, 4, 25, 17, 6, "", "")]
    response = upload(centre, workbook(changed))
    assert response.status_code == 200
    assert response.text.count('">обновится</span>') == 1 and "из них обновится уже загруженных — 1" in response.text
    assert confirm(centre, response.text).status_code == 303
    rows = stored()
    assert len(rows) == 5
    with db.connection_context():
        assert AssessmentResult.select().count() == 5
    assert rows[(schools["s1"].id, "vpr", "Математика", 5, 2025)].mark2 == 5


@pytest.mark.parametrize("data, message", [
    (b"", "Выберите файл"),
    (b"not a zip at all", "не является книгой"),
    (workbook([], header=("ОО", "Предмет")), "нет ни одной строки"),
])
def test_the_upload_is_checked_before_parsing(centre, schools, data, message):
    before = db_fingerprint()
    response = upload(centre, data)
    assert response.status_code == 422 and message in response.text, message
    assert db_fingerprint() == before


def _save(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_merged_header_cells_and_formulas_without_values_are_explained(centre, schools):
    book = Workbook()
    sheet = book.active
    sheet.append(["ОО", "Отметки", None, None, None])
    sheet.append(["СОШ № 1", 1, 2, 3, 4])
    sheet.merge_cells("B1:E1")
    response = upload(centre, _save(book))
    assert response.status_code == 422
    assert "В заголовке таблицы есть объединённые ячейки (B1:E1)" in response.text
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    sheet.append(["СОШ № 1", "ВПР", "Математика", 5, 2025, "=G2+H2+I2+J2", 10, 20, 15, 5])
    response = upload(centre, _save(book))
    assert response.status_code == 422
    assert "В ячейках F2 формулы без вычисленных значений" in response.text


def test_the_template_has_the_headers_and_imports_as_is(centre, schools):
    response = centre.get("/monitoring/results/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in book.active[1]][:3] == ["ОО", "Процедура", "Предмет"]
    response = upload(centre, response.data)
    assert response.status_code == 200 and "Ошибок нет: будет загружено строк — 2" in response.text


def _results(school, rows):
    with db.connection_context():
        for procedure, subject, grade, year, participants, failed in rows:
            marks = {"below_min": failed} if procedure == "ege" else {
                "mark2": failed, "mark3": participants - failed, "mark4": 0, "mark5": 0}
            AssessmentResult.create(school=school, procedure=procedure, subject=subject,
                                    grade=grade, year=year, participants=participants,
                                    mean_score=Decimal("3.45"), **marks)


def test_the_school_page_shows_shares_and_changes_in_points(login_as, schools):
    _results(schools["s1"].id, [("vpr", "Математика", 5, 2024, 80, 10),   # 12,5 %
                                ("vpr", "Математика", 5, 2025, 80, 8),    # 10,0 %: ▼ 2,5
                                ("vpr", "Математика", 5, 2026, 50, 7),    # 14,0 %: ▲ 4,0
                                ("ege", "Русский язык", 11, 2026, 40, 3)])  # 7,5 %
    school = login_as("school", organization=schools["s1"].id)
    response = school.get(f"/monitoring/schools/{schools['s1'].id}/results")
    assert response.status_code == 200
    html = response.text.replace("&nbsp;", " ").replace("\xa0", " ")
    for text in ("12,5 %", "10,0 %", "▼ 2,5 п. п.", "14,0 %", "▲ 4,0 п. п.", "7,5 %",
                 "ср. балл 3,5", "ВПР", "ЕГЭ", "80 уч."):
        assert text in html, text
    assert html.index("ВПР") < html.index("ЕГЭ")


def test_the_staff_list_shows_the_latest_share_and_filters(login_as, schools):
    _results(schools["s1"].id, [("vpr", "Математика", 5, 2025, 80, 8),
                                ("vpr", "Русский язык", 5, 2025, 20, 2),   # 10 of 100: 10,0 %
                                ("vpr", "Математика", 5, 2026, 100, 30)])  # 30,0 %: ▲ 20,0
    _results(schools["s2"].id, [("oge", "Математика", 9, 2026, 20, 1)])
    centre = login_as("centre")
    html = centre.get("/monitoring/results").text.replace("&nbsp;", " ")
    assert "30,0 %" in html and "▲ 20,0 п. п." in html and "МБОУ «СОШ № 2»" in html
    html = centre.get("/monitoring/results?procedure=vpr&year=2025").text.replace("&nbsp;", " ")
    assert "10,0 %" in html and "МБОУ «СОШ № 2»" not in html
    html = centre.get("/monitoring/results?subject=Русский язык").text.replace("&nbsp;", " ")
    assert "10,0 %" in html and "МБОУ «СОШ № 2»" not in html
    assert centre.get("/monitoring/results?year=abc&procedure=x&page=999").status_code == 200


def test_a_school_sees_only_its_own_results_and_cannot_import(login_as, schools):
    _results(schools["s2"].id, [("vpr", "Математика", 5, 2026, 20, 1)])
    school = login_as("school", organization=schools["s1"].id)
    assert school.get(f"/monitoring/schools/{schools['s2'].id}/results").status_code == 404
    assert school.get(f"/monitoring/schools/{schools['centre'].id}/results").status_code == 404
    assert school.get("/monitoring/results").status_code == 403
    before = db_fingerprint()
    assert upload(school, workbook(GOOD)).status_code == 403
    assert school.get("/monitoring/results/import/template.xlsx").status_code == 403
    assert db_fingerprint() == before
    assert login_as("department").get("/monitoring/results/import").status_code == 403


def test_the_table_puts_procedures_in_order_and_skips_missing_years():
    class R:
        def __init__(self, procedure, year, share):
            self.procedure, self.subject, self.grade, self.year = procedure, "Математика", 9, year
            self.share_2, self.quality_share = Decimal(share), None
    years, groups = table.school_table([R("oge", 2026, "5.0"), R("vpr", 2024, "9.0"),
                                        R("oge", 2024, "7.5")])
    assert years == [2024, 2026]
    assert [g["procedure"] for g in groups] == ["vpr", "oge"]
    assert groups[1]["cells"][1]["change"] == Decimal("-2.5")
    assert groups[0]["cells"][1] is None


def test_the_demo_results_are_deterministic_and_realistic(app, schools, make_org):
    from blueprints.monitoring.demo import load_demo_results
    from datetime import date
    make_org(short_name="МБОУ «ООШ № 6»", is_low_result=True)
    with app.app_context(), db.connection_context():
        count = load_demo_results(date(2026, 9, 1))
        first = [(r.school_id, r.procedure, r.subject, r.grade, r.year, r.participants, r.mark2,
                  r.below_min) for r in AssessmentResult.select().order_by(AssessmentResult.id)]
        shares = {}
        for r in AssessmentResult.select().where(AssessmentResult.procedure != "ege"):
            shares.setdefault(r.school.is_low_result, []).append(r.share_2)
        assert {r.year for r in AssessmentResult.select()} == {2024, 2025, 2026}
        assert not AssessmentResult.select().where(AssessmentResult.procedure == "ege",
                                                   AssessmentResult.school.in_(
            [o for o in range(0)])).count()
        AssessmentResult.delete().execute()
        assert load_demo_results(date(2026, 9, 1)) == count
        again = [(r.school_id, r.procedure, r.subject, r.grade, r.year, r.participants, r.mark2,
                  r.below_min) for r in AssessmentResult.select().order_by(AssessmentResult.id)]
    assert first == again
    assert all(Decimal(17) <= s <= Decimal(43) for s in shares[True])
    assert all(Decimal(0) <= s <= Decimal(15) for s in shares[False])
