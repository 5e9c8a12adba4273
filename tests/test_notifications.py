"""Notifications: in-app (the bell, the list, marking read, only one's own), e-mail through a
real SMTP server on loopback (instant, daily digest, none; kept without SMTP settings; retried,
then shown to the admin as undelivered) and the daily deadline job, once per event."""
import email
import socket
from datetime import date, timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from blueprints.core import mail
from blueprints.core.notify import notify
from blueprints.jobs.queue import drain
from blueprints.notifications import reminders
from models import Notification, OutgoingMail, User, db



class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd checks its own start by connecting
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(app, smtp):
    """The test app sending through the loopback server (the queue runs tasks in this app)."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_TLS="none",
                      SITE_URL="https://opora.example.ru")
    return app


def _body(message):
    return message.get_body(("plain",)).get_content()


def test_instant_mail_reaches_the_smtp_server_in_russian_with_the_link(mail_app, make_user,
                                                                      smtp):
    school = make_user("school", email="director@school1.ru")
    other = make_user("school", email="other@school2.ru")
    with mail_app.app_context(), db.connection_context():
        notify([school], "remark_added", "Центр оставил замечание к разделу «Цели и задачи» "
               "программы МБОУ «СОШ № 1».", "/programmes/7#section-goals")
    assert drain()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "director@school1.ru"
    assert message["Subject"] == "Опора: новое замечание"
    body = _body(message)
    assert "замечание к разделу «Цели и задачи»" in body
    assert "https://opora.example.ru/programmes/7#section-goals" in body
    assert "other@school2.ru" not in message.as_string() and other.login not in body
    with db.connection_context():
        assert OutgoingMail.get().status == "sent"


def test_digest_collects_the_day_and_none_sends_nothing(mail_app, make_user, smtp):
    digest = make_user("school", email="digest@school.ru", email_mode="digest")
    silent = make_user("school", email="silent@school.ru", email_mode="none")
    with mail_app.app_context(), db.connection_context():
        for n in (1, 2):
            notify([digest, silent], "reminder", f"Напоминание № {n}", "/monitoring/campaigns")
        assert mail.queue_digests() == 1
        assert mail.queue_digests() == 0  # nothing new since the last digest
    assert drain()
    assert [m["To"] for m in smtp.messages] == ["digest@school.ru"]
    assert smtp.messages[0]["Subject"] == "Опора: 2 события за день"
    assert "Напоминание № 1" in _body(smtp.messages[0]) and "Напоминание № 2" in _body(
        smtp.messages[0])


def test_without_smtp_mail_is_kept_for_the_admin_then_sent_on_retry(app, make_user, login_as):
    school = make_user("school", email="director@school1.ru")
    with app.app_context(), db.connection_context():
        notify([school], "reminder", "Сдайте отчёт", "/monitoring/campaigns")
    assert drain()
    with db.connection_context():
        kept = OutgoingMail.get()
    assert kept.status == "kept"
    admin = login_as("admin")
    page = admin.get("/notifications/outbox").get_data(as_text=True)
    assert "director@school1.ru" in page and "Почтовый сервер не настроен" in page
    assert "Отправить снова" in page


def test_a_refusing_server_is_retried_then_shown_as_undelivered(app, make_user):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_TLS="none", SMTP_TIMEOUT=2)
    application = app
    school = make_user("school", email="director@school1.ru")
    with application.app_context(), db.connection_context():
        notify([school], "reminder", "Сдайте отчёт", "/")
        drain()
        for _ in range(10):  # each retry made due at once, as the minute's job finds it later
            OutgoingMail.update(next_attempt_at=date(2000, 1, 1)).execute()
            mail.deliver_pending()
        failed = OutgoingMail.get()
    assert failed.status == "failed" and failed.attempts == 5
    assert "Connection" in failed.last_error or "Errno" in failed.last_error


def test_bell_counts_unread_and_opening_marks_read_and_goes_to_the_place(app, login_as):
    client = login_as("school")
    with app.app_context(), db.connection_context():
        note = notify([client.user], "report_returned", "Отчёт возвращён с замечаниями.",
                      "/monitoring/campaigns")[0]
    page = client.get("/notifications/").get_data(as_text=True)
    assert "непрочитанных 1" in page and "Отчёт возвращён с замечаниями." in page
    response = client.post(f"/notifications/{note.id}/open")
    assert response.status_code == 303 and response.headers["Location"] == "/monitoring/campaigns"
    assert "непрочитанных" not in client.get("/notifications/").get_data(as_text=True)


def test_another_users_notification_answers_404(app, login_as, make_user):
    client = login_as("school")
    stranger = make_user("school")
    with app.app_context(), db.connection_context():
        note = notify([stranger], "reminder", "Чужое", "/")[0]
    assert client.post(f"/notifications/{note.id}/open").status_code == 404
    with db.connection_context():
        assert Notification.get_by_id(note.id).read_at is None


def test_settings_need_an_address_unless_mail_is_off(app, login_as):
    client = login_as("school")
    response = client.post("/notifications/settings", data={"email": "", "email_mode": "digest"})
    assert response.status_code == 422
    assert "Укажите адрес, куда присылать письма" in response.get_data(as_text=True)
    response = client.post("/notifications/settings", data={"email": "не адрес",
                                                             "email_mode": "instant"})
    assert response.status_code == 422 and "Укажите адрес электронной почты" in \
        response.get_data(as_text=True)
    assert client.post("/notifications/settings", data={
        "email": "head@school.ru", "email_mode": "digest"}).status_code == 303
    with db.connection_context():
        user = User.get_by_id(client.user.id)
    assert (user.email, user.email_mode) == ("head@school.ru", "digest")


def test_daily_job_raises_each_deadline_event_once(app, make_user, make_org):
    from .test_roadmaps import create_activity
    school = make_user("school")
    today = date(2026, 12, 3)
    activity = create_activity(app, school.organization_id)
    with app.app_context(), db.connection_context():
        activity.ends_on = today + timedelta(days=5)
        activity.save()
        assert reminders.raise_deadline_events(today) == 1
        assert reminders.raise_deadline_events(today) == 0  # the same day again: nothing
        activity.ends_on = today - timedelta(days=1)
        activity.save()
        assert reminders.raise_deadline_events(today) == 1  # now overdue: one more event
        notes = list(Notification.select().where(Notification.user == school.id)
                     .order_by(Notification.id))
    assert [n.kind for n in notes] == ["deadline_soon", "overdue"]
    assert notes[0].text.startswith("Срок 08.12.2026: мероприятие дорожной карты «Совещание»")
    assert notes[1].url == f"/roadmaps/{activity.roadmap_id}#activity-{activity.id}"


def test_partnership_confirmation_asks_the_other_side_and_a_change_clears_it(app, make_user):
    from blueprints.partnerships import agreement
    from models import Partnership

    from .test_partnerships import create_partnership
    partner = make_user("school")
    pair = create_partnership(app, partner.organization_id)
    with app.app_context(), db.connection_context():
        Partnership.update(status="approved").where(Partnership.id == pair.id).execute()
        pair = Partnership.get_by_id(pair.id)
        leader = User.create(login="leader-x", full_name="Лидеров Л. Л.", role="school",
                             organization=pair.leader_id, password_hash="-")
        agreement.add_row(pair, {"title": "Семинар", "deadline_text": f"октябрь "
                                 f"{pair.period_start}"}, leader.id)
        pair = Partnership.get_by_id(pair.id)
        agreement.confirm(pair, "leader", leader.id, pair.version)
        asked = Notification.get(Notification.user == partner.id)
        agreement.save_terms(pair, {"subject": "Новый предмет соглашения"}, [], partner.id,
                             Partnership.get_by_id(pair.id).version)
        cleared = Notification.get((Notification.user == leader.id)
                                   & (Notification.kind == "confirmation_cleared"))
    assert asked.kind == "confirmation_asked" and "ждёт вашего согласования" in asked.text
    assert asked.url == f"/partnerships/{pair.id}"
    assert "согласование снято" in cleared.text


def test_centre_reminds_chosen_schools_of_a_road_map_at_once(app, login_as, make_user):
    from models import ActivityOrganization, RoadmapActivity

    from .test_roadmaps import create_activity
    late = make_user("school")
    calm = make_user("school")
    activity = create_activity(app, late.organization_id)
    with app.app_context(), db.connection_context():
        RoadmapActivity.update(ends_on=date.today() - timedelta(days=3)).where(
            RoadmapActivity.id == activity.id).execute()
        ActivityOrganization.create(activity=activity.id, organization=calm.organization_id)
    centre = login_as("centre")
    page = centre.get(f"/roadmaps/{activity.roadmap_id}/remind").get_data(as_text=True)
    assert "Отправить напоминание" in page
    assert centre.post(f"/roadmaps/{activity.roadmap_id}/remind", data={}).status_code == 422
    response = centre.post(f"/roadmaps/{activity.roadmap_id}/remind",
                           data={"school": [str(late.organization_id)]})
    assert response.status_code == 303
    with db.connection_context():
        got = list(Notification.select().where(Notification.user == late.id))
        assert not Notification.select().where(Notification.user == calm.id).exists()
    assert len(got) == 1 and "просрочено 1 мероприятие" in got[0].text
    assert got[0].url == f"/roadmaps/{activity.roadmap_id}?mine=1"
    school = login_as(late)
    assert school.get(f"/roadmaps/{activity.roadmap_id}/remind").status_code == 403


def test_review_events_reach_the_school_in_app_and_by_mail(mail_app, make_user, login_as, smtp):
    """A remark added by the centre, a return and an acceptance: the school's user is told in
    the app and by mail (a remark on a programme; a monitoring report returned and accepted)."""
    from blueprints.monitoring import reports as report_services
    from blueprints.programmes import sections as S, services as programmes
    from models import MonitoringReport

    from .conftest import create_campaign
    from .test_programmes import create_programme
    school = make_user("school", email="head@school1.ru")
    stranger = make_user("school", email="head@school2.ru")
    programme = create_programme(mail_app, school, status="submitted")
    campaign = create_campaign([school.organization_id])
    with mail_app.app_context(), db.connection_context():
        programmes.add_comment(programme, S.BY_KEY["goals"], "goal", "Цель программы",
                               "Уточните цель: она должна быть измеримой.", None)
        report = MonitoringReport.get(MonitoringReport.campaign == campaign.id)
        MonitoringReport.update(status="submitted", revision=1).where(
            MonitoringReport.id == report.id).execute()
        report = MonitoringReport.get_by_id(report.id)
        report_services.add_remark(report, "failed", "Число получивших «2»", "Проверьте.", None)
        report_services.return_report(report)
        notes = list(Notification.select().where(Notification.user == school.id)
                     .order_by(Notification.id))
    assert drain()
    assert [n.kind for n in notes] == ["remark_added", "report_returned"]
    assert "замечание к полю «Цель программы»" in notes[0].text
    assert notes[0].url == f"/programmes/{programme.id}#section-goals"
    assert "возвращён: 1 замечание" in notes[1].text
    assert [m["To"] for m in smtp.messages] == ["head@school1.ru", "head@school1.ru"]
    assert "измеримой" in _body(smtp.messages[0]) and "head@school2.ru" not in str(
        [m.as_string() for m in smtp.messages])
    assert not Notification.select().where(Notification.user == stranger.id).exists()
