"""The partnership documents as a clerk reads them: the order approving the pairs, the
agreement, its interaction plan and the report on the plans' execution, rendered from the
samples and from records in the test database."""
import io
import json
import re
import shutil
import subprocess
from datetime import date

import docx
import pytest
from lxml import etree

from blueprints.core.filters import NBSP
from blueprints.documents import api
from blueprints.partnerships import services
from blueprints.partnerships.documents import (AGREEMENT, PLAN, REPORT, TERM_LABELS,
                                               agreement_context, default_terms,
                                               partnerships_order, plan_context,
                                               report_context, sample_agreement)
from models import Partnership, PlanRow, db

KEYS = ["order_partnerships", "partnership_agreement", "partnership_plan",
        "partnership_report"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DEPARTMENT = ("Управление образования администрации муниципального образования "
              "Новоречинский район")


def _text(data):
    document = docx.Document(io.BytesIO(data))
    cells = [p.text for t in document.tables for r in t.rows for c in r.cells
             for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _plain(text):
    return text.replace(NBSP, " ")


@pytest.fixture
def pair(app, make_org):
    leader = make_org(full_name="Муниципальное бюджетное общеобразовательное учреждение "
                                "«Лицей № 7» г. Новоречинска", short_name="МБОУ «Лицей № 7»",
                      head_position="Директор", head_name="Иванова Анна Петровна",
                      address="662500, Красноярский край, г. Новоречинск, ул. Ленина, д. 15",
                      inn="2454012345", kpp="245401001", phone="8 (39145) 2-17-07",
                      email="licey7@example.ru")
    partner = make_org(full_name="Муниципальное бюджетное общеобразовательное учреждение "
                                 "«Средняя общеобразовательная школа № 1» г. Новоречинска",
                       short_name="МБОУ «СОШ № 1»", head_position="Директор",
                       head_name="Петров Сергей Иванович", inn="2454011111", kpp="245401001")
    with app.app_context(), db.connection_context():
        return services.propose(2026, leader, partner, ["consulting", "mentoring"], None)


def _rows(app, pair, specs):
    with app.app_context(), db.connection_context():
        for position, title, status, ends_on in specs:
            PlanRow.create(partnership=pair.id, position=position, title=title,
                           form="Семинар", deadline_text="", starts_on=date(2026, 9, 1),
                           ends_on=ends_on, leader_responsible="Орлова Т.С.",
                           partner_responsible="Кузнецова О.Н.", expected_result="Итог",
                           status=status,
                           execution="Проведён семинар." if status == "done" else "",
                           done_on=date(2026, 10, 12) if status == "done" else None)


def _render(app, key, record=None, **options):
    with app.app_context(), db.connection_context():
        return _plain(_text(api.render(key, record, **options)))


# --- every sample --------------------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_every_sample_renders_whole(app, key):
    with app.app_context(), db.connection_context():
        text = _text(api.preview(key))
    assert text.strip() and "{{" not in text and "{%" not in text
    assert "&" not in text and "None" not in text


def test_sample_agreement_names_the_heads_in_the_genitive():
    context = AGREEMENT.sample_context()
    parties = _plain(context["parties_text"])
    assert ("именуемое в дальнейшем «Школа-лидер», в лице директора Ивановой Анны Петровны, "
            "действующей на основании Устава, с одной стороны") in parties
    assert "в лице директора Петрова Сергея Ивановича, действующего на основании Устава" in \
        parties
    assert parties.endswith("вместе именуемые «Стороны», заключили настоящее соглашение о "
                            "нижеследующем:")
    assert [s["heading"].split(".")[0] for s in context["sections"]] == [
        str(n) for n in range(1, 10)]
    assert not context["is_draft"] and context["number_text"] == "12-С"


# --- the agreement from a pair in the database -----------------------------------------------

def test_agreement_of_a_fresh_pair_is_complete_from_default_terms(app, pair):
    text = _render(app, "partnership_agreement", pair)
    assert "ПРОЕКТ" in text and "СОГЛАШЕНИЕ № ______" in text  # a draft: no number yet
    assert "«___» ____________ 20__ г." in text
    assert ("«Школа-лидер», в лице директора Ивановой Анны Петровны, действующей на "
            "основании Устава, с одной стороны, и Муниципальное бюджетное") in text
    assert "в лице директора Петрова Сергея Ивановича, действующего на основании Устава" in text
    assert "– консультирование;\n– наставничество.\n" in text  # the pair's directions
    assert "3.1.2. проводить консультации" in text  # a duty built from a direction
    assert "3.2. Школа-партнёр обязуется:" in text
    assert "действует до 31 августа 2027 г." in text and "продлённым на следующий" in text
    assert "безвозмездной основе" in text
    assert "составлено в двух экземплярах" in text
    for heading in ("1. Предмет соглашения", "2. Направления взаимодействия",
                    "3. Права и обязанности Сторон", "4. Порядок взаимодействия и отчётности",
                    "5. Финансовые условия", "7. Срок действия соглашения",
                    "8. Изменение и расторжение соглашения", "9. Заключительные положения",
                    "10. Реквизиты и подписи Сторон"):
        assert heading in text
    # The requisites: name, address, ИНН/КПП, signature line with initials, М.П.
    assert "ИНН / КПП: 2454012345 / 245401001" in text
    assert "ИНН / КПП: 2454011111 / 245401001" in text
    assert "Адрес: 662500, Красноярский край, г. Новоречинск, ул. Ленина, д. 15" in text
    assert "_____________ А.П. Иванова" in text and "_____________ С.И. Петров" in text
    assert text.count("М.П.") == 2
    assert "Координатор" not in text  # no coordinator in this pair


def test_registered_agreement_prints_its_number_and_date(app, pair):
    with app.app_context(), db.connection_context():
        plain = AGREEMENT.data(Partnership.get_by_id(pair.id))
        document = api.register("partnership_agreement", plain=plain, title="Соглашение",
                                on_date=date(2026, 9, 28))
        assert json.loads(json.dumps(plain, default=str))  # plain data, no ORM objects
    context = AGREEMENT.build(plain, document.number, date(2026, 9, 28))
    assert document.number.endswith("-С") and context["number_text"] == document.number
    assert not context["is_draft"] and context["date_text"] == "28 сентября 2026 г."
    with app.app_context(), db.connection_context():
        text = _text(api.render("partnership_agreement", plain=dict(
            plain, number=document.number, on_date=date(2026, 9, 28))))
    assert f"СОГЛАШЕНИЕ №{NBSP}{document.number}" in text and "ПРОЕКТ" not in text
    assert f"А.П.{NBSP}Иванова" in text  # initials stay with the surname


def test_stored_terms_replace_the_defaults_and_the_labels_cover_every_key(app, pair):
    with app.app_context(), db.connection_context():
        defaults = default_terms(Partnership.get_by_id(pair.id))
        assert set(defaults) == set(TERM_LABELS)
        assert all(TERM_LABELS[key].strip() for key in TERM_LABELS)
        assert "консультации" in defaults["leader_duties"]
        Partnership.update(terms=json.dumps({
            "subject": "Особый предмет соглашения", "auto_extend": False,
            "valid_until": "2027-06-30", "leader_duties": "первая обязанность\nвторая.",
            "partner_basis": "Положения", "directions_extra": "профориентация",
            "place": "с. Заречное"})).where(Partnership.id == pair.id).execute()
        text = _plain(_text(api.render("partnership_agreement",
                                       Partnership.get_by_id(pair.id))))
    assert "1.1. Особый предмет соглашения." in text
    assert "3.1.1. первая обязанность;\n3.1.2. вторая." in text
    assert "действует до 30 июня 2027 г." in text and "продлённым" not in text
    assert "действующего на основании Положения" in text
    assert "– наставничество;\n– профориентация." in text
    assert "с. Заречное\t" in text or "с. Заречное" in text


def test_the_heads_gender_chooses_the_participle():
    plain = sample_agreement()
    plain["leader"] = dict(plain["leader"], head_name="Сидоров Пётр Ильич",
                           head_position="Исполняющий обязанности директора")
    plain["partner"] = dict(plain["partner"], head_name="")
    parties = _plain(agreement_context(plain)["parties_text"])
    assert "в лице исполняющего обязанности директора Сидорова Петра Ильича, действующего" \
        in parties
    assert "в лице директора _______________________, действующего" in parties
    assert "именуемое в дальнейшем «Координатор»" in parties


# --- the plan --------------------------------------------------------------------------------

def test_plan_rows_in_order_with_the_execution_mark(app, pair):
    _rows(app, pair, [(2, "Второе мероприятие", "planned", date(2027, 3, 31)),
                      (1, "Первое мероприятие", "done", date(2026, 10, 31))])
    with app.app_context(), db.connection_context():
        context = api.context("partnership_plan", Partnership.get_by_id(pair.id))
        data = api.render("partnership_plan", Partnership.get_by_id(pair.id))
    assert [r["title"] for r in context["rows"]] == ["Первое мероприятие", "Второе мероприятие"]
    assert [r["number"] for r in context["rows"]] == ["1", "2"]
    assert context["rows"][0]["mark"] == "выполнено 12.10.2026\nПроведён семинар."
    assert context["rows"][1]["mark"] == ""
    assert context["is_draft"]
    text = _plain(_text(data))
    assert "План взаимодействия на 2026/2027 учебный год" in text
    assert "от __________ № ____" in text  # the agreement is not registered yet
    assert "выполнено 12.10.2026" in text
    assert text.count("СОГЛАСОВАНО") == 2 and "_____________ С.И. Петров" in text
    # The approval lines keep together with what precedes them; the heading row repeats.
    body = etree.fromstring(_document_xml(data))
    lines = [p for p in body.iter(f"{W}p") if "СОГЛАСОВАНО" in "".join(p.itertext())]
    assert lines[0].find(f"{W}pPr/{W}keepNext") is not None
    table = body.find(f".//{W}tbl")
    assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    section = body.find(f".//{W}sectPr/{W}pgSz")
    assert section.get(f"{W}orient") == "landscape"


def test_plan_names_the_registered_agreement(app, pair):
    with app.app_context(), db.connection_context():
        document = api.register("partnership_agreement", Partnership.get_by_id(pair.id),
                                title="Соглашение", on_date=date(2026, 9, 28))
        Partnership.update(agreement=document.id).where(Partnership.id == pair.id).execute()
        context = api.context("partnership_plan", Partnership.get_by_id(pair.id))
        given = PLAN.data(Partnership.get_by_id(pair.id),
                          agreement={"number": "99-С", "date": date(2026, 10, 1)})
    assert _plain(context["attachment"]).endswith(f"от 28.09.2026 № {document.number}")
    assert _plain(plan_context(given)["attachment"]).endswith("от 01.10.2026 № 99-С")
    assert "Мероприятия плана ещё не внесены." in _render(app, "partnership_plan",
                                                          Partnership.get_by_id(pair.id))


# --- the report ------------------------------------------------------------------------------

def test_report_counts_done_overdue_and_share(app, pair, make_org):
    _rows(app, pair, [(1, "Семинар", "done", date(2026, 10, 31)),
                      (2, "Олимпиада", "done", date(2026, 11, 30)),
                      (3, "Просроченное", "planned", date(2026, 11, 15)),
                      (4, "Весеннее", "planned", date(2027, 4, 30))])
    with app.app_context(), db.connection_context():
        other = services.propose(2026, make_org(short_name="МБОУ «Гимназия № 2»"),
                                 make_org(short_name="МБОУ «ООШ № 12»"), ["resources"], None)
    _rows(app, other, [(1, "Обмен ресурсами", "planned", date(2027, 5, 31))])
    record = {"period_start": 2026, "on_date": date(2026, 12, 1),
              "organization_name": "МКУ «Центр развития образования»",
              "signer_position": "Директор", "signer_name": "Соколова Анна Викторовна"}
    with app.app_context(), db.connection_context():
        one = api.context("partnership_report",
                          dict(record, pairs=[Partnership.get_by_id(pair.id)]))
        both = api.context("partnership_report", dict(record, pairs=list(
            Partnership.select().where(Partnership.id.in_([pair.id, other.id]))
            .order_by(Partnership.id))))
        text = _plain(_text(api.render("partnership_report", dict(record, pairs=[
            Partnership.get_by_id(pair.id)]))))
    row = one["summary_rows"][0]
    assert (row["planned"], row["done"], row["overdue"], row["percent"]) == (4, 2, 1, 50)
    assert "о реализации плана взаимодействия МБОУ «Лицей № 7» (школа-лидер) и МБОУ «СОШ " \
           "№ 1» (школа-партнёр)" in _plain(one["heading"])
    assert [r["status"] for r in one["pairs"][0]["rows"]] == [
        "выполнено", "выполнено", "просрочено", "запланировано"]
    assert both["totals"] == {"planned": 5, "done": 2, "overdue": 1, "percent": 40}
    assert "планов взаимодействия школ-лидеров и школ-партнёров" in both["heading"]
    assert "выполнено — 2 (50 %)" in text and "по состоянию на 01.12.2026" in text
    assert "А.В. Соколова" in text and "1. МБОУ «Лицей № 7» — МБОУ «СОШ № 1»" in text
    assert "выполнено 12.10.2026" in text


def test_report_context_is_pure_and_json():
    context = REPORT.sample_context()
    assert json.loads(json.dumps(context)) == context
    assert context["totals"]["planned"] == sum(r["planned"] for r in context["summary_rows"])
    assert report_context(dict(REPORT.sample, pairs=[]))["totals"]["percent"] == 0


# --- the order -------------------------------------------------------------------------------

def test_order_lists_the_pairs_in_its_annex(app, pair):
    with app.app_context(), db.connection_context():
        order = partnerships_order(DEPARTMENT, date(2026, 9, 1), 2026, "Начальник управления",
                                   "Волков Михаил Евгеньевич", place="г. Новоречинск",
                                   centre_name="МКУ «Центр развития образования»")
        record = {"order": order, "pairs": [Partnership.get_by_id(pair.id)]}
        context = api.context("order_partnerships", record)
        text = _plain(_text(api.render("order_partnerships", record)))
    assert context["heading"] == ("Об организации партнёрского взаимодействия "
                                  "общеобразовательных организаций в 2026/2027 учебном году")
    assert context["is_draft"] and context["imperative"] == "ПРИКАЗЫВАЮ:"
    annex = context["annexes"][0]
    assert annex["header"] == ["№ п/п", "Школа-лидер", "Школа-партнёр",
                               "Направления взаимодействия", "Координатор"]
    assert annex["rows"] == [["1", "МБОУ «Лицей № 7»", "МБОУ «СОШ № 1»",
                              "консультирование, наставничество", "—"]]
    assert _plain(annex["heading"]).startswith("Приложение\nк приказу управления образования")
    clauses = [_plain(c["text"]) for c in context["clauses"]]
    assert clauses[0].endswith("(приложение).")
    assert any("срок — до 01.10.2026;" in c for c in clauses)
    assert clauses[-1].startswith("МКУ «Центр развития образования» обеспечить методическое")
    assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
    assert "М.Е. Волков" in text


# --- page images: no page holds only its number, signatures with their text -----------------

needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                   reason="LibreOffice or poppler is not installed")


def _document_xml(data):
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


@needs_soffice
@pytest.mark.parametrize("key, signature, before", [
    ("partnership_agreement", "А.П. Иванова", "10. Реквизиты и подписи Сторон"),
    ("partnership_plan", "А.П. Иванова", "Подведение итогов"),
    ("partnership_report", "А.В. Соколова", "Запланировано мероприятий"),
    ("order_partnerships", "М.Е. Волков", "Контроль за"),
])
def test_no_page_holds_only_its_number(app, key, signature, before, tmp_path):
    with app.app_context(), db.connection_context():
        data = api.preview(key)
    source = tmp_path / f"{key}.docx"
    source.write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{key}.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    for number, page in enumerate(pages, start=1):
        words = re.sub(r"^\s*\d+\s*", "", page.strip())
        assert len(words) > 200, f"{key}: page {number} holds only «{page.strip()[:200]}»"
    page = next(p for p in pages if signature in p.replace(NBSP, " "))
    assert before in page.replace(NBSP, " ")


def test_data_reads_in_a_few_queries(app, pair, monkeypatch):
    """Bulk generation renders 200 agreements and plans: data() stays a few queries."""
    _rows(app, pair, [(1, "Семинар", "done", date(2026, 10, 31)),
                      (2, "Олимпиада", "planned", date(2026, 11, 30))])
    with app.app_context(), db.connection_context():
        record = Partnership.get_by_id(pair.id)
        count = []
        real = db.obj  # the proxied database: count what it executes
        original = real.execute_sql
        monkeypatch.setattr(real, "execute_sql",
                            lambda *a, **k: count.append(a[0]) or original(*a, **k))
        AGREEMENT.data(record)
        assert len(count) == 1, count
        count.clear()
        PLAN.data(record)
        assert len(count) == 2, count
        count.clear()
        REPORT.data({"period_start": 2026, "pairs": [record] * 3, "on_date": date(2026, 12, 1)})
        assert len(count) == 2, count
