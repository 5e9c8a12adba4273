"""Curators and visits (issue 14, items 5–6): who reads what as a curator, the visit cycle,
the visit report document and recommendations becoming road-map activities."""
import io
import re
from datetime import date, timedelta

import docx
import pytest

from models import (ActivityOrganization, Curatorship, GeneratedDocument, MonitoringReport,
                    Organization, ProgrammeComment, RiskFactor, Roadmap,
                    RoadmapActivity, RoadmapSection, User, Visit, VisitFinding,
                    VisitRecommendation, current_school_year, db, set_status)

from .conftest import HX, create_campaign, db_fingerprint

TODAY = date.today()
YEAR = current_school_year()


def curate(curator, school_id, date_from=None, date_to=None):
    with db.connection_context():
        return Curatorship.create(curator=curator.id, school=school_id,
                                  date_from=date_from or TODAY - timedelta(days=30),
                                  date_to=date_to or TODAY + timedelta(days=200))


def create_visit(app, curator, school_id=None, status="planned"):
    """A planned visit of `curator` to a school it curates now (a new school by default)."""
    with app.app_context(), db.connection_context():
        if school_id is None:
            school_id = Organization.create(
                kind="school", full_name="Муниципальное бюджетное общеобразовательное "
                "учреждение «Школа курируемая»", short_name="МБОУ «Школа курируемая»",
                municipality="Новоречинский муниципальный район").id
        if not Curatorship.curates(curator, school_id):
            curate(curator, school_id)
        return Visit.create(school=school_id, curator=curator.id, visit_date=TODAY,
                            purpose="Методическая помощь", status=status)


@pytest.fixture
def people(app, make_user, make_org):
    """The centre, a curator from a leader school, a listed school with its own user, another
    listed school nobody curates."""
    leader = make_org(is_leader=True)
    listed = make_user("school")
    other = make_user("school")
    with db.connection_context():
        for school_id in (listed.organization_id, other.organization_id):
            set_status(school_id, YEAR, True, "manual", reason="тест")
    return {"centre": make_user("centre"), "curator": make_user("school", organization=leader,
                                                                 position="Учитель математики"),
            "school": listed, "other": other, "leader": leader,
            "plain": make_user("school")}  # a school user of an ordinary school


def _assign(client, curator, school_id, **dates):
    data = {"curator": str(curator.id), "school": str(school_id),
            "date_from": str(dates.get("date_from", TODAY - timedelta(days=1))),
            "date_to": str(dates.get("date_to", TODAY + timedelta(days=120)))}
    return client.post("/visits/curators", data=data)


# --- curators ---------------------------------------------------------------------------------

def test_the_centre_assigns_curators_to_listed_schools_only(app, people, login_as, make_org):
    centre = login_as(people["centre"])
    page = centre.get("/visits/curators").get_data(as_text=True)
    assert people["curator"].full_name in page  # a leader school's staff may curate
    assert people["plain"].full_name not in page  # an ordinary school's may not
    assert _assign(centre, people["curator"], people["school"].organization_id).status_code == 303
    with db.connection_context():
        assert Curatorship.curates(people["curator"], people["school"].organization_id)

    unlisted = make_org()
    before = db_fingerprint()
    response = _assign(centre, people["curator"], unlisted.id)
    assert response.status_code == 422
    assert "не входит в утверждённый перечень" in response.get_data(as_text=True)
    response = _assign(centre, people["plain"], people["other"].organization_id)
    assert response.status_code == 422
    assert "методист центра или сотрудник школы-лидера" in response.get_data(as_text=True)
    response = _assign(centre, people["curator"], people["other"].organization_id,
                       date_from=TODAY, date_to=TODAY - timedelta(days=3))
    assert response.status_code == 422 and "раньше его начала" in response.get_data(as_text=True)
    assert db_fingerprint() == before  # nothing saved half


def test_a_school_cannot_assign_curators(people, login_as):
    client = login_as(people["curator"])
    assert _assign(client, people["curator"], people["school"].organization_id).status_code == 403


def test_ending_a_curatorship_closes_the_curators_reading(app, people, login_as):
    from .test_programmes import create_programme
    programme = create_programme(app, people["school"], status="submitted")
    curatorship = curate(people["curator"], people["school"].organization_id)
    curator = login_as(people["curator"])
    assert curator.get(f"/programmes/{programme.id}").status_code == 200
    centre = login_as(people["centre"])
    assert centre.post(f"/visits/curators/{curatorship.id}/end").status_code == 303
    with db.connection_context():
        Curatorship.update(date_to=TODAY - timedelta(days=1)).where(
            Curatorship.id == curatorship.id).execute()  # ended yesterday
    assert curator.get(f"/programmes/{programme.id}").status_code == 404


# --- a curator reads, never writes ----------------------------------------------------------

def test_curator_reads_the_programme_and_remarks_on_it_but_cannot_edit(app, people, login_as):
    from .test_programmes import create_programme
    programme = create_programme(app, people["school"], status="submitted")
    foreign = create_programme(app, people["other"], status="submitted")
    curate(people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])

    page = client.get(f"/programmes/{programme.id}")
    assert page.status_code == 200
    assert "Вы куратор этой школы" in page.get_data(as_text=True)
    assert "Добавить замечание" in page.get_data(as_text=True)
    assert client.get(f"/programmes/{foreign.id}").status_code == 404
    assert client.get("/programmes/").status_code == 200

    before = db_fingerprint()
    assert client.post(f"/programmes/{programme.id}/goals", data={"goal": "x"}).status_code == 404
    assert client.post(f"/programmes/{programme.id}/goals/autosave",
                       data={"goal": "x"}).status_code == 404
    assert client.post(f"/programmes/{programme.id}/submit").status_code == 404
    assert client.post(f"/programmes/{programme.id}/return").status_code == 403
    assert client.post(f"/programmes/{programme.id}/agree").status_code == 403
    assert client.post(f"/programmes/{foreign.id}/comments",
                       data={"section": "goals", "text": "Нет"}).status_code == 404
    assert db_fingerprint() == before

    response = client.post(f"/programmes/{programme.id}/comments",
                           data={"section": "goals", "field": "", "text": "Уточните цель."})
    assert response.status_code == 303
    with db.connection_context():
        remark = ProgrammeComment.get(ProgrammeComment.programme == programme.id)
        assert remark.text == "Уточните цель." and remark.author_id == people["curator"].id
        from models import Notification
        told = Notification.get(Notification.user == people["school"].id)
        assert told.text.startswith("Куратор оставил замечание")


def test_the_school_itself_cannot_remark_on_its_programme(app, people, login_as):
    from .test_programmes import create_programme
    programme = create_programme(app, people["school"], status="submitted")
    client = login_as(people["school"])
    response = client.post(f"/programmes/{programme.id}/comments",
                           data={"section": "goals", "text": "Сам себе"})
    assert response.status_code == 403


def test_curator_reads_the_partnership_and_reports_but_cannot_write(app, people, login_as):
    from .test_partnerships import create_partnership
    pair = create_partnership(app, people["school"].organization_id)
    foreign_pair = create_partnership(app, people["other"].organization_id)
    campaign = create_campaign([people["school"].organization_id,
                                people["other"].organization_id])
    with db.connection_context():
        report = MonitoringReport.get((MonitoringReport.campaign == campaign.id)
                                      & (MonitoringReport.school
                                         == people["school"].organization_id))
        foreign_report = MonitoringReport.get((MonitoringReport.campaign == campaign.id)
                                              & (MonitoringReport.school
                                                 == people["other"].organization_id))
    curate(people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    assert client.get(f"/partnerships/{pair.id}").status_code == 200
    assert client.get(f"/partnerships/{foreign_pair.id}").status_code == 404
    assert client.get(f"/monitoring/reports/{report.id}").status_code == 200
    assert client.get(f"/monitoring/reports/{foreign_report.id}").status_code == 404

    before = db_fingerprint()
    assert client.post(f"/partnerships/{pair.id}/terms", data={}).status_code == 403
    assert client.post(f"/partnerships/{pair.id}/confirm", data={}).status_code in (400, 403,
                                                                                     409)
    assert client.post(f"/monitoring/reports/{report.id}", data={}).status_code == 403
    assert client.post(f"/monitoring/reports/{report.id}/autosave", data={}).status_code == 409
    assert client.post(f"/monitoring/reports/{report.id}/evidence", data={}).status_code == 403
    assert db_fingerprint() == before
    # The school itself still fills its report.
    own = login_as(people["school"])
    assert own.post(f"/monitoring/reports/{report.id}", data={}).status_code != 403


def test_curator_reads_the_risk_profile_but_does_not_answer_it(app, people, login_as):
    from .test_risks import create_profile
    profile = create_profile(app, people["school"].organization_id)
    foreign = create_profile(app, people["other"].organization_id)
    curate(people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    assert client.get(f"/risks/profiles/{profile.id}").status_code == 200
    page = client.get(f"/risks/profiles/{profile.id}/diagnosis")
    assert page.status_code == 200 and "только для просмотра" in page.get_data(as_text=True)
    assert client.get(f"/risks/profiles/{foreign.id}").status_code == 404
    assert f"/risks/profiles/{profile.id}" in client.get("/visits/").get_data(as_text=True)
    before = db_fingerprint()
    assert client.post(f"/risks/profiles/{profile.id}/diagnosis",
                       data={"action": "submit"}).status_code == 403
    assert client.post(f"/risks/profiles/{profile.id}/diagnosis/autosave",
                       data={}).status_code == 409
    assert client.post(f"/risks/profiles/{profile.id}", data={}).status_code == 403
    assert db_fingerprint() == before


# --- the visit cycle --------------------------------------------------------------------------

def _report_form(visit, **changes):
    data = {"version": str(visit.version), "visit_date": str(visit.visit_date),
            "purpose": "Изучение работы с неуспевающими", "participants": "Куратор, директор",
            "lessons": "Математика, 6 «Б»", "papers_checked": "Программа",
            "interviews": "С завучем", "conclusion": "Дифференциации мало.",
            "finding-8": "18 % с «2» в 5–6 классах",
            "recommendations-0-text": "Провести диагностику",
            "recommendations-0-deadline_text": f"до 15.05.{YEAR + 1}",
            "recommendations-0-responsible": "Заместитель директора по УВР",
            "recommendations-1-text": "Взаимопосещение уроков",
            "recommendations-1-deadline_text": "ежемесячно",
            "recommendations-1-responsible": "Директор"}
    data.update(changes)
    return data


def test_a_curator_plans_writes_up_and_registers_a_visit(app, people, login_as):
    curate(people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    with db.connection_context():
        curatorship = Curatorship.get(Curatorship.curator == people["curator"].id)
    response = client.post("/visits/new", data={
        "curatorship": str(curatorship.id), "visit_date": str(TODAY),
        "purpose": "Изучение работы с неуспевающими", "participants": "Куратор"})
    assert response.status_code == 303
    with db.connection_context():
        visit = Visit.get(Visit.curator == people["curator"].id)
    assert visit.status == "planned" and visit.school_id == people["school"].organization_id
    assert "Заполните справку" in login_as(people["curator"]).get("/").get_data(as_text=True)

    # Rows are added in place (htmx) without saving.
    page = client.post(f"/visits/{visit.id}/edit", headers=HX,
                       data=dict(_report_form(visit), action="add:recommendations"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="visit-form"' in html and "<html" not in html
    assert "recommendations-2-text" in html
    with db.connection_context():
        assert Visit.get_by_id(visit.id).status == "planned"

    response = client.post(f"/visits/{visit.id}/edit", data=_report_form(visit))
    assert response.status_code == 303
    with db.connection_context():
        visit = Visit.get_by_id(visit.id)
        assert visit.status == "written"
        rows = list(visit.recommendations.order_by(VisitRecommendation.position))
        assert [r.text for r in rows] == ["Провести диагностику", "Взаимопосещение уроков"]
        assert rows[0].ends_on == date(YEAR + 1, 5, 15)
        assert VisitFinding.get(VisitFinding.visit == visit.id).risk_factor.code == 8

    response = client.post(f"/visits/{visit.id}/report")
    assert response.status_code == 303
    with db.connection_context():
        visit = Visit.get_by_id(visit.id)
        document = GeneratedDocument.get_by_id(visit.document_id)
    assert visit.status == "registered" and document.doctype == "visit_report"
    assert document.number.endswith("-В")
    download = client.get(f"/visits/{visit.id}/report.docx")
    assert download.status_code == 200
    assert f"№ {document.number}" in _docx_text(download.data)

    # Registered, not yet published: a correction is a new version under the same number.
    page = client.get(f"/visits/{visit.id}/edit").get_data(as_text=True)
    assert 'id="correcting"' in page and f"№ {document.number}" in page
    corrected = client.post(f"/visits/{visit.id}/edit", data=_report_form(
        visit, conclusion="Дифференциации обучения на уроках математики мало."))
    assert corrected.status_code == 303
    with db.connection_context():
        visit = Visit.get_by_id(visit.id)
        new = GeneratedDocument.get_by_id(visit.document_id)
        old = GeneratedDocument.get_by_id(document.id)
    assert visit.status == "registered" and new.id != document.id
    assert (new.number, new.registered_on, new.version, new.previous_id) == (
        document.number, document.registered_on, document.version + 1, document.id)
    assert old.status == "registered"  # the earlier version stays in the register
    text = _docx_text(client.get(f"/visits/{visit.id}/report.docx").data)
    assert "на уроках математики мало" in text and f"№ {document.number}" in text
    # A stale tab is refused, nothing saved.
    assert client.post(f"/visits/{visit.id}/edit", data=_report_form(
        visit, version=str(visit.version - 1))).status_code == 409
    document = new

    # Publishing is the centre's choice.
    assert client.post(f"/visits/{visit.id}/publish").status_code == 403
    centre = login_as(people["centre"])
    assert centre.post(f"/visits/{visit.id}/publish").status_code == 303
    with db.connection_context():
        assert Visit.get_by_id(visit.id).status == "published"
        assert GeneratedDocument.get_by_id(document.id).status == "published"
    # Published: no more changes (a withdrawal in the register is the way).
    with db.connection_context():
        visit = Visit.get_by_id(visit.id)
    refused = client.post(f"/visits/{visit.id}/edit", data=_report_form(visit))
    assert refused.status_code == 409 and "отзовите" in refused.get_data(as_text=True)


def test_a_visit_that_did_not_take_place_is_cancelled_but_a_registered_one_stays(
        app, people, login_as):
    curate(people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    with db.connection_context():
        curatorship = Curatorship.get(Curatorship.curator == people["curator"].id)
    for purpose in ("Не состоялся", "Состоялся"):
        client.post("/visits/new", data={"curatorship": str(curatorship.id),
                                         "visit_date": str(TODAY), "purpose": purpose,
                                         "participants": "Куратор"})
    with db.connection_context():
        cancelled = Visit.get(Visit.purpose == "Не состоялся")
        kept = Visit.get(Visit.purpose == "Состоялся")
    confirm = client.get(f"/visits/{cancelled.id}/delete").get_data(as_text=True)
    assert "Отменить выезд в" in confirm and "Да, отменить выезд" in confirm
    assert client.post(f"/visits/{cancelled.id}/delete").status_code == 303
    assert client.post(f"/visits/{kept.id}/edit", data=_report_form(kept)).status_code == 303
    assert client.post(f"/visits/{kept.id}/report").status_code == 303
    assert client.post(f"/visits/{kept.id}/delete").status_code == 409
    with db.connection_context():
        assert Visit.get_or_none(Visit.id == cancelled.id) is None
        assert Visit.get_by_id(kept.id).status == "registered"
    # The visited school does not cancel its curator's visits.
    client.post("/visits/new", data={"curatorship": str(curatorship.id),
                                     "visit_date": str(TODAY), "purpose": "Следующий",
                                     "participants": "Куратор"})
    with db.connection_context():
        planned = Visit.get(Visit.purpose == "Следующий")
    school = login_as(people["school"])
    assert school.post(f"/visits/{planned.id}/delete").status_code in (403, 404)
    with db.connection_context():
        assert Visit.get_or_none(Visit.id == planned.id) is not None


def test_bad_write_ups_are_refused_whole(app, people, login_as):
    visit = create_visit(app, people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    with db.connection_context():
        RiskFactor.update(valid_to=YEAR - 1).where(RiskFactor.code == 10).execute()
    before = db_fingerprint()
    no_deadline = client.post(f"/visits/{visit.id}/edit", data=_report_form(
        visit, **{"recommendations-1-deadline_text": ""}))
    assert no_deadline.status_code == 422
    assert "Укажите срок." in no_deadline.get_data(as_text=True)
    unreadable = client.post(f"/visits/{visit.id}/edit", data=_report_form(
        visit, **{"recommendations-0-deadline_text": "когда-нибудь"}))
    assert unreadable.status_code == 422
    assert "Срок не распознан" in unreadable.get_data(as_text=True)
    no_responsible = client.post(f"/visits/{visit.id}/edit", data=_report_form(
        visit, **{"recommendations-0-responsible": ""}))
    assert no_responsible.status_code == 422
    retired = client.post(f"/visits/{visit.id}/edit", data=_report_form(
        visit, **{"finding-10": "Мотивация низкая"}))
    assert retired.status_code == 422
    assert "Фактора риска с кодом «10»" in retired.get_data(as_text=True)
    stale = client.post(f"/visits/{visit.id}/edit", data=_report_form(visit, version="99"))
    assert stale.status_code == 409
    assert client.post(f"/visits/{visit.id}/report").status_code == 409  # nothing written yet
    assert db_fingerprint() == before


def test_a_visit_to_a_school_not_assigned_to_the_curator_is_refused(app, people, login_as,
                                                                     make_user):
    someone = make_user("school", organization=people["leader"])
    theirs = create_visit(app, someone, people["other"].organization_id)
    curate(people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    with db.connection_context():
        foreign = Curatorship.get(Curatorship.curator == someone.id)
    before = db_fingerprint()
    response = client.post("/visits/new", data={
        "curatorship": str(foreign.id), "visit_date": str(TODAY), "purpose": "Чужая школа"})
    assert response.status_code == 422
    with db.connection_context():
        mine = Curatorship.get(Curatorship.curator == people["curator"].id)
    outside = client.post("/visits/new", data={
        "curatorship": str(mine.id), "visit_date": str(TODAY + timedelta(days=400)),
        "purpose": "После окончания кураторства"})
    assert outside.status_code == 422
    assert "вне периода кураторства" in outside.get_data(as_text=True)
    assert db_fingerprint() == before
    assert client.get(f"/visits/{theirs.id}").status_code == 404
    assert client.post(f"/visits/{theirs.id}/edit", data=_report_form(theirs)).status_code == 404
    # Its own visit after the school was taken from it: a Russian reason, nothing saved.
    own = create_visit(app, people["curator"], people["school"].organization_id)
    before = db_fingerprint()
    with db.connection_context():
        Curatorship.update(date_to=TODAY - timedelta(days=1)).where(
            Curatorship.curator == people["curator"].id).execute()
    before = db_fingerprint()
    refused = client.post(f"/visits/{own.id}/edit", data=_report_form(own))
    assert refused.status_code == 403
    assert "не закреплена за вами" in refused.get_data(as_text=True)
    assert db_fingerprint() == before


def test_department_reads_visits_but_does_not_change_them(app, people, login_as, make_user):
    visit = create_visit(app, people["curator"], people["school"].organization_id)
    department = login_as("department")
    assert department.get(f"/visits/{visit.id}").status_code == 200
    assert department.post(f"/visits/{visit.id}/edit", data=_report_form(visit)).status_code \
        == 403


# --- the document ------------------------------------------------------------------------------

def _docx_text(data):
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\xa0", " ")


def test_the_sample_renders_with_every_section(app):
    from blueprints.documents import api
    with app.app_context(), db.connection_context():
        text = _docx_text(api.preview("visit_report"))
    assert "СПРАВКА" in text and "ПРОЕКТ" in text
    assert "по итогам выезда (посещения) в Муниципальное бюджетное" in text
    assert "3. Выявленное по факторам риска" in text and "4. Рекомендации" in text
    assert "до 15.12.2026" in text and "Со справкой ознакомлен(а):" in text
    assert "А.В. Семенова" in text and "О.Н. Макарова" in text
    assert "{{" not in text and "{%" not in text


def test_real_data_renders_into_the_report(app, people, login_as):
    visit = create_visit(app, people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    assert client.post(f"/visits/{visit.id}/edit", data=_report_form(
        visit, **{"finding-8": "", "recommendations-1-text": "",
                  "recommendations-1-deadline_text": "", "recommendations-1-responsible": ""})
    ).status_code == 303
    draft = client.get(f"/visits/{visit.id}/report.docx")
    text = _docx_text(draft.data)
    assert people["school"].organization.full_name in text.replace("\xa0", " ")
    assert "Провести диагностику" in text and "Взаимопосещение" not in text  # empty row dropped
    assert "Признаков факторов риска в ходе выезда не выявлено." in text
    assert "ПРОЕКТ" in text and people["curator"].full_name in text


# --- recommendations → road map --------------------------------------------------------------

def test_recommendations_become_road_map_activities_in_one_step(app, people, login_as):
    visit = create_visit(app, people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    assert client.post(f"/visits/{visit.id}/edit", data=_report_form(visit)).status_code == 303
    with db.connection_context():
        centre_org = Organization.get_by_id(people["centre"].organization_id)
        roadmap = Roadmap.create(title="Дорожная карта 500+", organization=centre_org,
                                 period_start=YEAR, period_end=YEAR + 1)
        RoadmapSection.create(roadmap=roadmap, position=0, number="1", title="Организация")
    confirm = client.get(f"/visits/{visit.id}/to-roadmap")
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Провести диагностику" in page and "Добавить 2 мероприятия" in page

    assert client.post(f"/visits/{visit.id}/to-roadmap",
                       data={"roadmap": "999999"}).status_code == 422
    with db.connection_context():  # another school's own map is not the curator's to add to
        foreign = Roadmap.create(title="Дорожная карта другой школы",
                                 organization=people["other"].organization_id,
                                 period_start=YEAR, period_end=YEAR + 1)
    assert "Дорожная карта другой школы" not in page
    assert "Дорожная карта другой школы" not in client.get(
        f"/visits/{visit.id}/to-roadmap").get_data(as_text=True)
    assert client.post(f"/visits/{visit.id}/to-roadmap",
                       data={"roadmap": str(foreign.id)}).status_code == 422
    response = client.post(f"/visits/{visit.id}/to-roadmap", data={"roadmap": str(roadmap.id)})
    assert response.status_code == 303
    with db.connection_context():
        activities = list(RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap.id)
                          .order_by(RoadmapActivity.position))
        assert len(activities) == 2
        first = activities[0]
        assert first.title.startswith("Провести диагностику")
        assert first.ends_on == date(YEAR + 1, 5, 15) and first.deadline_read
        assert first.section.title.startswith("Рекомендации кураторов")
        assert ActivityOrganization.get(ActivityOrganization.activity == first.id) \
            .organization_id == people["school"].organization_id
        assert Roadmap.get_by_id(roadmap.id).revision == 1
        assert all(r.activity_id for r in VisitRecommendation.select().where(
            VisitRecommendation.visit == visit.id))
    # The school now sees them as its own activities; a second click adds nothing.
    school = login_as(people["school"])
    assert "Провести диагностику" in school.get(f"/roadmaps/{roadmap.id}").get_data(as_text=True)
    again = client.post(f"/visits/{visit.id}/to-roadmap", data={"roadmap": str(roadmap.id)})
    assert again.status_code == 409
    with db.connection_context():
        assert RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap.id).count() == 2


# --- the curator's home --------------------------------------------------------------------------

def test_the_curators_home_shows_what_is_late_in_their_schools(app, people, login_as):
    from .test_programmes import create_programme
    from .test_roadmaps import create_activity
    activity = create_activity(app, people["school"].organization_id)
    with db.connection_context():
        RoadmapActivity.update(ends_on=TODAY - timedelta(days=5)).where(
            RoadmapActivity.id == activity.id).execute()
    create_programme(app, people["school"], status="returned")
    create_campaign([people["school"].organization_id], deadline=TODAY - timedelta(days=2))
    curate(people["curator"], people["school"].organization_id)
    client = login_as(people["curator"])
    home = client.get("/").get_data(as_text=True)
    school = people["school"].organization.short_name
    assert f"Курируемая школа {school}" in home
    assert "просрочено мероприятий дорожной карты: 1" in home
    assert "на доработке" in home and "прошёл" in home
    page = client.get("/visits/").get_data(as_text=True)
    assert "Мои школы" in page and school in page
    # Someone else's school is not on this curator's home.
    other = login_as(people["plain"])
    assert "Курируемая школа" not in other.get("/").get_data(as_text=True)


def test_demo_has_two_curators_and_a_written_visit(app):
    from blueprints.core.demo import load_demo
    with app.app_context(), db.connection_context():
        load_demo()
        curators = {u.login: u for u in User.select().where(User.login.in_(
            ("curator1", "curator2")))}
        assert curators["curator1"].role == "centre"
        assert curators["curator2"].organization.is_leader
        assert Curatorship.select().count() >= 2
        statuses = sorted(v.status for v in Visit.select())
        assert statuses == ["planned", "written"]
        written = Visit.get(Visit.status == "written")
        assert written.recommendations.count() == 3 and written.findings.count() == 2
        assert re.search(r"\d", written.recommendations[0].deadline_text)
