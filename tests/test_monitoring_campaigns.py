"""Monitoring campaigns: the form with its indicator rows, launch by the registered order, copy
to the next period, the completeness matrix and reminders, who sees what, the order's text."""
import io
import json
import re
from datetime import date, timedelta

import pytest
from docx import Document

from models import (AuditLog, CampaignIndicator, GeneratedDocument, Indicator, MonitoringCampaign,
                    MonitoringReport, db)

from .conftest import (HX, PASSWORD, build_app, create_campaign, csrf_from, db_fingerprint,
                       login)


@pytest.fixture
def schools(make_org):
    """Three low-result schools and two others."""
    return {"s1": make_org(short_name="МБОУ «СОШ № 1»", is_low_result=True),
            "s2": make_org(short_name="МБОУ «СОШ № 2»", is_low_result=True),
            "s6": make_org(short_name="МБОУ «ООШ № 6»", is_low_result=True),
            "g3": make_org(short_name="МБОУ «Гимназия № 3»"),
            "l4": make_org(short_name="МБОУ «Лицей № 4»")}


@pytest.fixture
def centre(login_as):
    return login_as("centre")


def ids(*codes):
    with db.connection_context():
        return [Indicator.get(Indicator.code == code).id for code in codes]


def form(**changes):
    participants, failed, share = ids("participants", "failed", "share_2")
    data = {"title": "Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027",
            "period_label": "I полугодие 2026/2027", "period_start": "2026-09-01",
            "period_end": "2026-12-31", "deadline": "2027-01-15", "scope": "low_result",
            "methodist": "0",
            "rows-0-section": "Результаты обучения", "rows-0-indicator": str(participants),
            "rows-1-section": "", "rows-1-indicator": str(failed),
            "rows-2-section": "Доли", "rows-2-indicator": str(share)}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


# --- create and edit --------------------------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"period_end": "2026-08-01"}, "Конец периода раньше его начала."),
    ({"deadline": "2026-08-15"}, "Срок представления отчётов не может быть раньше начала периода."),
    ({"rows-0-indicator": "0", "rows-1-indicator": "0", "rows-2-indicator": "0"},
     "Добавьте в форму хотя бы один показатель."),
    ({"scope": "chosen"}, "Отметьте хотя бы одну школу в списке ниже"),
    ({"title": ""}, "Заполните это поле."),
    ({"period_start": ""}, "Укажите дату."),
])
def test_a_bad_campaign_is_refused_in_russian_and_nothing_is_saved(centre, schools, changes,
                                                                   message):
    before = db_fingerprint()
    response = centre.post("/monitoring/campaigns/new", data=form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert db_fingerprint() == before


def test_a_scope_without_schools_is_refused(centre, make_org):
    make_org(short_name="МБОУ «Лицей № 4»")  # no low-result school in the directory
    before = db_fingerprint()
    response = centre.post("/monitoring/campaigns/new", data=form())
    assert response.status_code == 422
    assert "Под этот вариант не подходит ни одна школа справочника" in response.text
    assert db_fingerprint() == before


def test_an_indicator_twice_is_named_at_its_row(centre, schools):
    participants, = ids("participants")
    before = db_fingerprint()
    response = centre.post("/monitoring/campaigns/new",
                           data=form(**{"rows-2-indicator": str(participants)}))
    assert response.status_code == 422
    assert "Этот показатель уже есть в строке 1: уберите повтор." in response.text
    assert db_fingerprint() == before


def test_the_centre_creates_a_draft_with_the_form_in_sections(app, centre, schools):
    response = centre.post("/monitoring/campaigns/new", data=form())
    assert response.status_code == 303
    with db.connection_context():
        campaign = MonitoringCampaign.get()
        rows = list(CampaignIndicator.select().where(CampaignIndicator.campaign == campaign.id)
                    .order_by(CampaignIndicator.position))
        assert campaign.status == "draft" and campaign.created_by_id == centre.user.id
        # A row without a section is in the section of the row above.
        assert [(r.indicator.code, r.section) for r in rows] == [
            ("participants", "Результаты обучения"), ("failed", "Результаты обучения"),
            ("share_2", "Доли")]
        assert not MonitoringReport.select().exists()  # reports come with the launch
        assert AuditLog.get(AuditLog.action == "monitoring.campaign_created").object_id == campaign.id
    page = centre.get(response.location).text
    assert "Сформировать приказ" in page and "Школы: 3" in page
    assert "МБОУ «СОШ № 1»" in page and "МБОУ «Лицей № 4»" not in page


def test_row_buttons_add_and_move_rows_without_saving(centre, schools):
    participants, failed, share = ids("participants", "failed", "share_2")
    before = db_fingerprint()
    added = centre.post("/monitoring/campaigns/new", data=form(action="add:rows"), headers=HX)
    assert added.status_code == 200
    assert 'id="campaign-form"' in added.text and "<html" not in added.text
    assert 'name="rows-3-indicator"' in added.text
    moved = centre.post("/monitoring/campaigns/new", data=form(action="down:rows:0"), headers=HX)
    chosen = re.findall(r'<option value="(\d+)" selected>', moved.text)
    assert chosen == [str(failed), str(participants), str(share)]
    removed = centre.post("/monitoring/campaigns/new", data=form(action="remove:rows:1"))
    assert removed.status_code == 200 and 'name="rows-2-indicator"' not in removed.text
    assert db_fingerprint() == before


def test_the_chosen_scope_keeps_its_schools_and_a_launched_campaign_only_its_deadline(
        app, centre, schools):
    chosen = [schools["g3"].id, schools["s1"].id]
    response = centre.post("/monitoring/campaigns/new",
                           data=form(scope="chosen", schools=[str(i) for i in chosen]))
    assert response.status_code == 303
    with db.connection_context():
        campaign = MonitoringCampaign.get()
        assert {r.school_id for r in campaign.reports} == set(chosen)
        MonitoringCampaign.update(status="open").where(
            MonitoringCampaign.id == campaign.id).execute()
    with db.connection_context():
        MonitoringCampaign.update(methodist=centre.user.id).where(
            MonitoringCampaign.id == campaign.id).execute()
    edit = centre.get(f"/monitoring/campaigns/{campaign.id}/edit")
    assert "Сбор отчётов уже начат" in edit.text and "rows-0-indicator" not in edit.text
    assert f'<option selected value="{centre.user.id}">' in edit.text
    response = centre.post(f"/monitoring/campaigns/{campaign.id}/edit", data=form(
        title="Новое название", deadline="2027-01-20", period_label="II полугодие",
        scope="all"))
    assert response.status_code == 303
    with db.connection_context():
        saved = MonitoringCampaign.get_by_id(campaign.id)
        assert (saved.title, saved.deadline) == ("Новое название", date(2027, 1, 20))
        assert (saved.period_label, saved.scope) == ("I полугодие 2026/2027", "chosen")
        assert MonitoringReport.select().where(MonitoringReport.campaign == campaign.id).count() == 2


# --- launch -----------------------------------------------------------------------------------

ORDER = {"order_date": "2026-09-07", "heading": "О проведении мониторинга позитивных изменений "
         "в ШНОР за I полугодие 2026/2027 учебного года", "preamble": "В целях оценки",
         "signer_position": "Начальник управления образования",
         "signer_name": "Волков Михаил Евгеньевич", "executor_note": "Белова Н.С., 2-11-22"}


def test_registering_the_order_launches_the_campaign_for_the_scope(app, login_as, make_org,
                                                                   schools):
    department = make_org(kind="department", full_name="Управление образования администрации "
                          "муниципального образования Новоречинский район",
                          head_position="Начальник управления образования",
                          head_name="Волков Михаил Евгеньевич")
    centre = login_as("centre")
    campaign = create_campaign(codes=("participants", "failed", "share_2"), status="draft",
                               scope="low_result", sections={"share_2": "Доли"})
    page = centre.get(f"/monitoring/campaigns/{campaign.id}/order")
    assert page.status_code == 200
    assert "О проведении мониторинга позитивных изменений в ШНОР за I полугодие 2026/2027 " \
           "учебного года" in page.text and "Волков Михаил Евгеньевич" in page.text
    before = db_fingerprint()
    preview = centre.post(f"/monitoring/campaigns/{campaign.id}/order", data=dict(ORDER, preview="1"))
    assert preview.status_code == 200 and preview.data[:2] == b"PK"
    assert db_fingerprint() == before
    response = centre.post(f"/monitoring/campaigns/{campaign.id}/order", data=ORDER)
    assert response.status_code == 303
    with db.connection_context():
        launched = MonitoringCampaign.get_by_id(campaign.id)
        document = GeneratedDocument.get(GeneratedDocument.doctype == "order_monitoring")
        assert launched.status == "open" and launched.order_id == document.id
        assert document.number and document.organization_id == department.id
        reports = list(MonitoringReport.select().where(MonitoringReport.campaign == campaign.id))
        assert {r.school_id for r in reports} == {schools[k].id for k in ("s1", "s2", "s6")}
        assert {r.status for r in reports} == {"not_started"}
        context = document.context
        context = json.loads(context) if isinstance(context, str) else context
        assert AuditLog.get(AuditLog.action == "monitoring.campaign_launched").object_id == campaign.id
    indicators, listed = context["annexes"]
    assert [s["title"] for s in indicators["sections"]] == ["1. Результаты обучения", "2. Доли"]
    assert indicators["sections"][1]["rows"] == [["2.1.", "Доля обучающихся, получивших «2»", "%"]]
    assert [row[1] for row in listed["schools"]] == ["МБОУ «ООШ № 6»", "МБОУ «СОШ № 1»",
                                                     "МБОУ «СОШ № 2»"]
    shown = centre.get(response.location).text
    assert f"№&nbsp;{document.number}" in shown and "Отправили 0 из 3 школ, 0&nbsp;%" in shown
    # Launched once: the order page no longer registers.
    assert centre.post(f"/monitoring/campaigns/{campaign.id}/order", data=ORDER).status_code == 409


def test_a_campaign_without_schools_is_not_launched(app, centre, make_org):
    make_org(kind="department", full_name="Управление образования")
    campaign = create_campaign(status="draft", scope="low_result")  # no low-result school
    page = centre.get(f"/monitoring/campaigns/{campaign.id}/order")
    assert "В кампании нет ни одной школы" in page.text
    before = db_fingerprint()
    assert centre.post(f"/monitoring/campaigns/{campaign.id}/order", data=ORDER).status_code == 409
    assert db_fingerprint() == before


# --- close and copy ---------------------------------------------------------------------------

def test_closing_asks_first_then_stops_the_collection(app, centre, schools):
    campaign = create_campaign([schools["s1"]])
    page = centre.get(f"/monitoring/campaigns/{campaign.id}/close")
    assert "Завершить сбор отчётов?" in page.text and "отправили 0 из 1 школы" in page.text
    assert centre.post(f"/monitoring/campaigns/{campaign.id}/close").status_code == 303
    with db.connection_context():
        assert MonitoringCampaign.get_by_id(campaign.id).status == "closed"
    assert centre.post(f"/monitoring/campaigns/{campaign.id}/close").status_code == 409


def test_copy_makes_the_next_period_with_the_same_form_and_schools(app, centre, schools):
    source = create_campaign([schools["s1"], schools["g3"]], status="closed", scope="chosen",
                             codes=("participants", "failed", "share_2", "measures"),
                             sections={"participants": "Результаты", "failed": "Результаты",
                                       "share_2": "Доли", "measures": "Меры"})
    response = centre.post(f"/monitoring/campaigns/{source.id}/copy")
    assert response.status_code == 303 and response.location.endswith("/edit")
    with db.connection_context():
        copy = MonitoringCampaign.select().where(MonitoringCampaign.id != source.id).get()
        assert (copy.status, copy.previous_id, copy.scope) == ("draft", source.id, "chosen")
        assert copy.title == "Мониторинг позитивных изменений в ШНОР, II полугодие 2026/2027"
        assert (copy.period_label, copy.period_start, copy.period_end, copy.deadline) == (
            "II полугодие 2026/2027", date(2027, 1, 1), date(2027, 5, 31), date(2027, 6, 15))
        rows = [(r.indicator.code, r.section) for r in CampaignIndicator.select().where(
            CampaignIndicator.campaign == copy.id).order_by(CampaignIndicator.position)]
        assert rows == [("participants", "Результаты"), ("failed", "Результаты"),
                        ("share_2", "Доли"), ("measures", "Меры")]
        assert {r.school_id for r in copy.reports} == {schools["s1"].id, schools["g3"].id}
        assert {r.status for r in copy.reports} == {"not_started"}
    edit = centre.get(response.location).text
    assert "II полугодие 2026/2027" in edit


# --- completeness -----------------------------------------------------------------------------

def _statuses(campaign, statuses):
    with db.connection_context():
        for report, status in zip(MonitoringReport.select().where(
                MonitoringReport.campaign == campaign.id).order_by(MonitoringReport.id), statuses):
            MonitoringReport.update(status=status).where(MonitoringReport.id == report.id).execute()


def test_the_matrix_shows_statuses_overdue_and_the_share(app, centre, schools):
    order = [schools[k] for k in ("s1", "s2", "s6", "g3", "l4")]
    campaign = create_campaign(order, deadline=date.today() - timedelta(days=1))
    _statuses(campaign, ["submitted", "accepted", "returned", "draft", "not_started"])
    html = centre.get(f"/monitoring/campaigns/{campaign.id}").text
    assert "Отправили 2 из 5 школ, 40&nbsp;%" in html and "просрочено: 2" in html
    rows = dict(re.findall(r'<tr id="report-(\d+)"( class="table-danger")?', html))
    with db.connection_context():
        by_school = {r.school_id: str(r.id) for r in MonitoringReport.select()}
    late = {k for k, v in rows.items() if v}
    assert late == {by_school[schools["g3"].id], by_school[schools["l4"].id]}
    assert "Возвращён" in html and "Принят" in html and "Не начат" in html
    fragment = centre.get(f"/monitoring/campaigns/{campaign.id}?status=overdue",
                          headers=dict(HX, **{"HX-Target": "campaign-matrix"}))
    assert "<html" not in fragment.text and fragment.text.count('<tr id="report-') == 2
    accepted = centre.get(f"/monitoring/campaigns/{campaign.id}?status=accepted").text
    assert accepted.count('<tr id="report-') == 1 and "МБОУ «СОШ № 2»" in accepted


def test_a_deadline_ahead_makes_nothing_overdue(app, centre, schools):
    campaign = create_campaign([schools["s1"]], deadline=date.today() + timedelta(days=5))
    html = centre.get(f"/monitoring/campaigns/{campaign.id}").text
    assert "table-danger" not in html and "просрочено" not in html


def _queries(client, url):
    counted, original = [], db.obj.execute_sql

    def counting(sql, *args, **kwargs):
        counted.append(sql)
        return original(sql, *args, **kwargs)

    db.obj.execute_sql = counting
    try:
        assert client.get(url).status_code == 200
    finally:
        db.obj.execute_sql = original
    return counted


def test_the_matrix_is_paged_and_read_in_a_fixed_number_of_queries(app, centre, make_org):
    few = create_campaign([make_org() for _ in range(3)])
    many = create_campaign([make_org() for _ in range(60)])
    small = _queries(centre, f"/monitoring/campaigns/{few.id}")
    queries = _queries(centre, f"/monitoring/campaigns/{many.id}")
    # The counts by status and the page's rows: no query per school.
    assert len([q for q in queries if 'from "monitoring_report"' in q.lower()]) == 2
    assert len(queries) == len(small) < 20
    first = centre.get(f"/monitoring/campaigns/{many.id}").text
    assert first.count('<tr id="report-') == 50 and "Отправили 0 из 60 школ" in first
    assert "1 из 2" in first and "Напомнить всем, кто не отправил (60)" in first
    second = centre.get(f"/monitoring/campaigns/{many.id}?page=2").text
    assert second.count('<tr id="report-') == 10


def test_remind_records_one_audit_entry_per_school_and_the_time(app, centre, schools):
    campaign = create_campaign([schools[k] for k in ("s1", "s2", "s6")])
    _statuses(campaign, ["not_started", "draft", "submitted"])
    with db.connection_context():
        reports = [r.id for r in MonitoringReport.select().order_by(MonitoringReport.id)]
    html = centre.get(f"/monitoring/campaigns/{campaign.id}").text
    checked = re.findall(r'name="report" value="(\d+)"[^>]*checked', html)
    assert checked == [str(reports[0]), str(reports[1])]  # the unsent ones, by default
    response = centre.post(f"/monitoring/campaigns/{campaign.id}/remind",
                           data={"report": [str(i) for i in reports]})
    assert response.status_code == 303
    assert "Напоминание отправлено: 2 школы" in centre.get(response.location).text
    with db.connection_context():
        entries = list(AuditLog.select().where(AuditLog.action == "monitoring.remind"))
        assert sorted(e.object_id for e in entries) == reports[:2]
        assert MonitoringReport.get_by_id(reports[0]).reminded_at is not None
        assert MonitoringReport.get_by_id(reports[2]).reminded_at is None
    nothing = centre.post(f"/monitoring/campaigns/{campaign.id}/remind", data={})
    assert "Отметьте школы" in centre.get(nothing.location).text
    everyone = centre.post(f"/monitoring/campaigns/{campaign.id}/remind", data={"everyone": "1"})
    assert "Напоминание отправлено: 2 школы" in centre.get(everyone.location).text
    with db.connection_context():
        assert AuditLog.select().where(AuditLog.action == "monitoring.remind").count() == 4


# --- who sees what ----------------------------------------------------------------------------

def test_a_school_sees_only_its_own_reports_of_launched_campaigns(app, login_as, schools):
    own = create_campaign([schools["s1"], schools["s2"]], deadline=date.today() - timedelta(1))
    create_campaign([schools["s2"]], title="Чужая кампания")
    create_campaign([schools["s1"]], status="draft", title="Готовится")
    school = login_as("school", organization=schools["s1"].id)
    html = school.get("/monitoring/campaigns").text
    with db.connection_context():
        mine = MonitoringReport.get((MonitoringReport.campaign == own.id)
                                    & (MonitoringReport.school == schools["s1"].id))
        other = MonitoringReport.get((MonitoringReport.campaign == own.id)
                                     & (MonitoringReport.school == schools["s2"].id))
    assert own.title in html and "Чужая кампания" not in html and "Готовится" not in html
    assert f"/monitoring/reports/{mine.id}" in html and "Заполнить" in html
    assert "срок прошёл" in html and "table-danger" in html
    assert f"/monitoring/schools/{schools['s1'].id}/results" in html
    assert school.get(f"/monitoring/reports/{other.id}").status_code == 404
    for url in (f"/monitoring/campaigns/{own.id}", "/monitoring/campaigns/new",
                f"/monitoring/campaigns/{own.id}/edit", f"/monitoring/campaigns/{own.id}/order"):
        assert school.get(url).status_code == 403, url
    before = db_fingerprint()
    assert school.post(f"/monitoring/campaigns/{own.id}/remind",
                       data={"report": [str(mine.id)]}).status_code == 403
    assert db_fingerprint() == before


def test_empty_lists_say_what_to_do(login_as, make_org):
    assert "Нажмите «Новая кампания»" in login_as("centre").get("/monitoring/campaigns").text
    assert "Кампании создаёт методический центр" in login_as("department").get(
        "/monitoring/campaigns").text
    school = login_as("school")
    assert "отчёт вашей школы появится здесь" in school.get("/monitoring/campaigns").text


def test_the_staff_list_counts_submitted_reports(app, login_as, schools):
    campaign = create_campaign([schools[k] for k in ("s1", "s2", "s6")])
    _statuses(campaign, ["submitted", "accepted", "draft"])
    html = login_as("department").get("/monitoring/campaigns").text
    assert campaign.title in html and "2 из 3" in html and "Новая кампания" not in html


def test_posts_need_the_csrf_token(tmp_path, make_user, schools):
    app = build_app(tmp_path, WTF_CSRF_ENABLED=True)
    user = make_user("centre")
    client = app.test_client()
    token = csrf_from(client.get("/login").text)
    client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": token})
    campaign = create_campaign([schools["s1"]])
    before = db_fingerprint()
    for url, data in (("/monitoring/campaigns/new", form()),
                      (f"/monitoring/campaigns/{campaign.id}/remind", {"report": "1"}),
                      (f"/monitoring/campaigns/{campaign.id}/copy", {}),
                      (f"/monitoring/campaigns/{campaign.id}/close", {})):
        assert client.post(url, data=data).status_code == 400, url
    assert db_fingerprint() == before
    token = csrf_from(client.get(f"/monitoring/campaigns/{campaign.id}").text)
    assert client.post(f"/monitoring/campaigns/{campaign.id}/copy",
                       data={"csrf_token": token}).status_code == 303


# --- the order document -----------------------------------------------------------------------

def test_the_order_prints_the_deadline_in_words_and_the_indicators_with_units(app):
    from blueprints.documents import api
    from blueprints.monitoring.documents import sample_order

    with app.app_context():
        data = api.render("order_monitoring", plain=sample_order())
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")
    assert "О проведении мониторинга позитивных изменений в ШНОР за I полугодие 2026/2027 " \
           "учебного года" in text
    assert "срок — до 15 января 2027 г." in text
    assert "ответственный — Н.С. Белова" in text
    assert "Приложение 1" in text and "Приложение 2" in text
    cells = [[c.text.replace("\u00a0", " ") for c in row.cells] for table in document.tables
             for row in table.rows]
    assert ["1.3.", "Доля обучающихся, получивших «2»", "%"] in cells
    assert ["2.3.", "Для обучающихся группы риска разработаны ИОМ", "да / нет"] in cells
    assert any(row[0] == "2. Работа с обучающимися группы риска" for row in cells)
    assert ["5.", "МБОУ «Калиновская ООШ»"] in cells


# --- the demo ---------------------------------------------------------------------------------

def test_the_demo_has_a_closed_and_an_open_campaign_school1_can_still_fill(app):
    from blueprints.core.demo import load_demo
    from blueprints.core.values import check_values
    from blueprints.monitoring import reads
    from blueprints.monitoring.demo import half_years
    from models import IndicatorRule, ReportRemark, User

    with app.app_context(), db.connection_context():
        load_demo()
        earlier, later = MonitoringCampaign.select().order_by(MonitoringCampaign.id)
        rules = list(IndicatorRule.select())
        assert earlier.status == "closed" and later.status == "open"
        assert later.previous_id == earlier.id and later.order.number
        assert later.deadline < date.today()  # the unsent are overdue, the collection open
        indicators = reads.form_indicators(later.id)
        assert len(indicators) == 8 and len(reads.sections(indicators)) == 3
        for report in reads.reports(earlier.id):
            assert report.status == "accepted"
            texts = {c: v.text for c, v in reads.values_of([report.id])[report.id].items()}
            assert len(texts) == 8 and check_values(indicators, rules, texts) == {}
        statuses = {r.school.short_name: r.status for r in reads.reports(later.id)}
        assert statuses["МБОУ «СОШ № 1»"] == "draft"
        assert sorted(statuses.values()).count("returned") == 1
        assert sum(s in ("submitted", "accepted") for s in statuses.values()) * 2 >= len(statuses)
        assert sum(s in ("not_started", "draft") for s in statuses.values()) == 2
        assert ReportRemark.select().join(MonitoringReport).where(
            MonitoringReport.campaign == later.id).count() == 1
        school1 = User.get(User.login == "school1")
        centre = User.get(User.login == "centre")
    html = login(app.test_client(), school1, "demo").get("/monitoring/campaigns").text
    assert later.title in html and "Продолжить" in html
    page = login(app.test_client(), centre, "demo").get(f"/monitoring/campaigns/{later.id}").text
    assert "просрочено: 2" in page
    # The periods follow the date: in March the current half-year is the second one.
    (previous, *_), (current, *_, deadline) = half_years(date(2027, 3, 10))
    assert (previous, current) == ("I полугодие 2026/2027", "II полугодие 2026/2027")
    assert deadline == date(2027, 3, 7)


def test_the_partners_scope_takes_this_school_years_partner_schools(app, centre, schools):
    from models import Partnership
    from models.partnership import current_school_year

    with db.connection_context():
        Partnership.create(period_start=current_school_year(), leader=schools["g3"],
                           partner=schools["s1"])
        Partnership.create(period_start=current_school_year() - 1, leader=schools["l4"],
                           partner=schools["s2"])
    campaign = create_campaign(status="draft", scope="partners")
    page = centre.get(f"/monitoring/campaigns/{campaign.id}").text
    assert "Школы: 1" in page and "МБОУ «СОШ № 1»" in page and "МБОУ «СОШ № 2»" not in page


def test_a_period_that_is_not_a_half_year_moves_by_its_length(app):
    from blueprints.monitoring.campaigns import next_period

    quarter = MonitoringCampaign(title="Мониторинг ИОМ, I квартал 2027", period_label="I квартал 2027",
                                 period_start=date(2027, 1, 1), period_end=date(2027, 3, 31),
                                 deadline=date(2027, 4, 10))
    moved = next_period(quarter)
    assert (moved["period_start"], moved["period_end"]) == (date(2027, 4, 1), date(2027, 6, 30))
    assert moved["deadline"] == date(2027, 7, 10) and moved["title"] == quarter.title
    second = MonitoringCampaign(title="Мониторинг, II полугодие 2026/2027",
                                period_label="II полугодие 2026/2027", period_start=date(2027, 1, 1),
                                period_end=date(2027, 5, 31), deadline=date(2027, 6, 15))
    assert next_period(second)["title"] == "Мониторинг, I полугодие 2027/2028"
    assert next_period(second)["deadline"] == date(2028, 1, 15)


def test_a_new_campaign_proposes_the_half_year_under_way(centre):
    from blueprints.monitoring.campaigns import half_year

    label, start, _, deadline = half_year()
    html = centre.get("/monitoring/campaigns/new").text
    assert f'value="Мониторинг позитивных изменений в ШНОР, {label}"' in html
    assert f'value="{start.isoformat()}"' in html and f'value="{deadline.isoformat()}"' in html
    assert half_year(date(2026, 12, 3))[0] == "I полугодие 2026/2027"
    assert half_year(date(2027, 2, 1))[1:] == (date(2027, 1, 1), date(2027, 5, 31),
                                               date(2027, 6, 15))
