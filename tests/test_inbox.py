"""The home page is a work inbox: each role sees what waits for it, overdue first, each line
linking to the exact place; a school never sees another school's work."""
from datetime import date, timedelta

from models import (LoginFailure, MonitoringReport, Partnership, PlanRow, Programme,
                    ProgrammeComment, RoadmapActivity, db, now)

from .conftest import create_campaign
from .test_partnerships import create_partnership
from .test_programmes import create_programme
from .test_roadmaps import create_activity


def _inbox(client):
    page = client.get("/").get_data(as_text=True)
    start = page.index('id="inbox-heading"')
    return page[start:page.index("</section>", start)]


def test_school_inbox_lists_its_work_overdue_first_with_links(app, login_as, make_user):
    school = login_as("school")
    user = school.user
    programme = create_programme(app, user, status="returned")
    late = create_activity(app, user.organization_id)
    campaign = create_campaign([user.organization_id], deadline=date.today() + timedelta(days=5))
    pair = create_partnership(app, user.organization_id)
    with db.connection_context():
        for n in (1, 2):
            ProgrammeComment.create(programme=programme, section="goals", field="goal",
                                    text=f"Замечание {n}", revision=1)
        RoadmapActivity.update(ends_on=date.today() - timedelta(days=2)).where(
            RoadmapActivity.id == late.id).execute()
        Partnership.update(status="approved").where(Partnership.id == pair.id).execute()
        report = MonitoringReport.get(MonitoringReport.campaign == campaign.id)
    other = make_user("school")
    create_programme(app, other, status="returned")  # another school's: never shown
    inbox = _inbox(school)
    assert "Программа возвращена на доработку: 2 открытых замечания" in inbox
    assert f'href="/programmes/{programme.id}"' in inbox
    assert "Мероприятие дорожной карты: Совещание" in inbox and "просрочено, срок" in inbox
    assert f"Заполните отчёт: {campaign.title}" in inbox
    assert f'href="/monitoring/reports/{report.id}"' in inbox
    assert "Согласуйте соглашение и план взаимодействия с МБОУ «Лицей № 7»" in inbox
    order = [inbox.index(text) for text in ("Мероприятие дорожной карты", "Заполните отчёт",
                                           "Программа возвращена")]
    assert order == sorted(order)  # overdue, then by deadline, then without one
    assert inbox.count(">Программа возвращена") == 1


def test_centre_department_and_admin_see_their_queues(app, login_as, make_user, make_order):
    school = make_user("school")
    submitted = create_programme(app, school, status="submitted")
    create_campaign([school.organization_id, make_user("school").organization_id])
    centre = login_as("centre")
    inbox = _inbox(centre)
    assert f'href="/programmes/{submitted.id}"' in inbox and "Рассмотреть программу" in inbox
    assert "отправили 0 из 2" in inbox
    with db.connection_context():
        Programme.update(status="agreed").where(Programme.id == submitted.id).execute()
    department = login_as("department")
    make_order(organization=department.user.organization_id)
    inbox = _inbox(department)
    assert "ждут приказа об утверждении: 1 программа" in inbox
    assert "Приказы в черновике: 1" in inbox
    admin = login_as("admin")
    with db.connection_context():
        LoginFailure.create(login=school.login, failures=5,
                            locked_until=now() + timedelta(minutes=10))
    assert "заблокированы после неудачных входов: 1" in _inbox(admin)


def test_an_empty_inbox_says_what_will_appear(login_as):
    assert "Сейчас ничего не ждёт вашего решения" in _inbox(login_as("school"))


def test_plan_rows_are_asked_for_only_once_the_plan_is_registered(app, login_as):
    """Before both sides confirmed, the plan is a draft: its rows cannot be marked done, so the
    home page must not ask for it; once registered, a row due soon is asked for."""
    school = login_as("school")
    pair = create_partnership(app, school.user.organization_id)
    with db.connection_context():
        Partnership.update(status="approved").where(Partnership.id == pair.id).execute()
        PlanRow.create(partnership=pair.id, position=0, title="Семинар для учителей физики",
                       deadline_text="скоро", ends_on=date.today() + timedelta(days=3))
    assert "План взаимодействия: Семинар для учителей физики" not in _inbox(school)
    with db.connection_context():
        Partnership.update(status="registered").where(Partnership.id == pair.id).execute()
    assert "План взаимодействия: Семинар для учителей физики" in _inbox(school)
