"""School monitoring reports: the typed form with in-place checks and autosave, conflicts,
submission, the centre's review (remarks, return, acceptance), filling on a school's behalf,
visibility and attachments."""
import html
import re
from decimal import Decimal

import pytest

from models import AuditLog, MonitoringReport, ReportEvidence, ReportRemark, ReportValue, db

from .conftest import HX, create_campaign

CODES = ("participants", "failed", "share_2", "has_iom", "parent_satisfaction",
         "absences_per_student", "measures")
FULL = {"v_participants": "40", "v_failed": "5", "v_share_2": "12,5", "v_has_iom": "да",
        "v_parent_satisfaction": "высокая", "v_absences_per_student": "1,5",
        "v_measures": "Консультации по математике"}


def create_report_remark(report, text="Проверьте число участников."):
    """A centre remark on a report's field (for the access matrix)."""
    with db.connection_context():
        return ReportRemark.create(report=report.id, field="participants",
                                   field_label="Участники", text=text, revision=1)


def create_report_evidence(app, report, organization_id):
    from blueprints.monitoring import reports
    with app.app_context(), db.connection_context():
        return reports.add_evidence(report, None, organization_id,
                                    upload=("справка.pdf", b"%PDF-1.4"))


def _report(campaign, school_org):
    with db.connection_context():
        return MonitoringReport.get((MonitoringReport.campaign == campaign.id)
                                    & (MonitoringReport.school == school_org))


def _values(report_id):
    with db.connection_context():
        return {v.indicator.code: v for v in ReportValue.select().where(
            ReportValue.report == report_id)}


def _fresh(report_id):
    with db.connection_context():
        return MonitoringReport.get_by_id(report_id)


@pytest.fixture
def filled(login_as):
    """A school client, its open campaign (the seeded indicators of every type) and report."""
    school = login_as("school")
    campaign = create_campaign([school.user.organization_id], codes=CODES)
    return school, campaign, _report(campaign, school.user.organization_id)


def _form_state(client, report_id):
    page = client.get(f"/monitoring/reports/{report_id}").get_data(as_text=True)
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)
    token = re.search(r'id="token" name="token" type="hidden" value="([0-9a-f]+)"', page).group(1)
    return {"version": version, "token": token}, page


def _autosave(client, report_id, state, **values):
    return client.post(f"/monitoring/reports/{report_id}/autosave", data=dict(state, **values),
                       headers=HX)


def test_the_form_shows_typed_inputs_units_ranges_and_the_previous_period(login_as):
    school = login_as("school")
    org = school.user.organization_id
    earlier = create_campaign([org], codes=CODES, status="closed")
    earlier_report = _report(earlier, org)
    with db.connection_context():
        MonitoringReport.update(status="accepted").where(
            MonitoringReport.id == earlier_report.id).execute()
        from models import Indicator
        ReportValue.create(report=earlier_report.id, indicator=Indicator.get(
            Indicator.code == "share_2"), text="20", number=Decimal(20))
    campaign = create_campaign([org], codes=CODES, previous=earlier.id)
    report = _report(campaign, org)
    _, page = _form_state(school, report.id)
    assert 'name="v_participants"' in page and "Число обучающихся, участвовавших в оценочной " \
        "процедуре, чел." in page
    assert "допустимо 0 – 100" in page  # the percent's range as the hint
    assert '<option value="высокая">' in page and '<option value="да">' in page
    assert "<textarea" in page and 'name="c_participants"' in page
    assert "Прошлый период:</span> 20" in page
    # Once a value is stored, the change from the previous period shows, in п. п. for a share.
    state, _ = _form_state(school, report.id)
    assert _autosave(school, report.id, state, v_share_2="12,5").status_code == 200
    page = school.get(f"/monitoring/reports/{report.id}").get_data(as_text=True)
    assert "▼ 7,5&nbsp;п. п." in page and "text-success" in page  # lower share of «2»: better


@pytest.mark.parametrize("field, text, message", [
    ("v_participants", "12,5", "Введите целое число, без дробной части."),
    ("v_share_2", "120", "Значение должно быть от 0 до 100."),
    ("v_parent_satisfaction", "отличная", "Выберите значение из списка"),
    ("v_has_iom", "может быть", "Ответьте «да» или «нет»."),
    ("v_absences_per_student", "много", "Введите число"),
])
def test_a_wrong_value_is_shown_at_its_field_and_kept_as_typed(filled, field, text, message):
    school, _, report = filled
    state, _ = _form_state(school, report.id)
    response = _autosave(school, report.id, state, **{field: text, "v_measures": "Меры"})
    body = response.get_data(as_text=True)
    check = re.search(rf'<div id="{field}-check"[^>]*>([^<]*)</div>', body).group(1)
    assert message in check
    assert "кроме полей с ошибками (1)" in body and "<html" not in body
    stored = _values(report.id)
    assert stored[field[2:]].text == text and stored["measures"].text == "Меры"
    # The tab closed and opened again: the typing is there, with its message.
    page = school.get(f"/monitoring/reports/{report.id}").get_data(as_text=True)
    if field not in ("v_parent_satisfaction", "v_has_iom"):  # a text input, not a list
        assert re.search(rf'name="{field}"[^>]*value="{re.escape(html.escape(text))}"', page)
    assert message in re.search(rf'<div id="{field}-check"[^>]*>([^<]*)</div>', page).group(1)
    assert "Исправьте значения с ошибками (1)" in page


def test_comma_and_point_both_read_as_the_same_number(filled):
    school, _, report = filled
    state, _ = _form_state(school, report.id)
    _autosave(school, report.id, state, v_share_2="12,5", v_absences_per_student="1.5")
    stored = _values(report.id)
    assert stored["share_2"].number == Decimal("12.5") and stored["share_2"].text == "12,5"
    assert stored["absences_per_student"].number == Decimal("1.5")
    assert stored["absences_per_student"].text == "1.5"  # the text as typed
    _autosave(school, report.id, state, v_share_2="12.5", v_has_iom="нет")
    stored = _values(report.id)
    assert stored["share_2"].number == Decimal("12.5") and stored["has_iom"].number == 0


def test_a_broken_rule_is_shown_next_to_both_fields_and_both_are_kept(filled):
    school, _, report = filled
    state, _ = _form_state(school, report.id)
    _autosave(school, report.id, state, v_participants="40", v_failed="5")
    body = _autosave(school, report.id, state, v_participants="40",
                     v_failed="50").get_data(as_text=True)
    rule = "Получивших «2» не может быть больше, чем участников."
    for field in ("v_failed", "v_participants"):
        assert rule in re.search(rf'<div id="{field}-check"[^>]*>([^<]*)</div>', body).group(1)
    assert _values(report.id)["failed"].text == "50"  # as typed, for the school to fix
    sent = school.post(f"/monitoring/reports/{report.id}",
                       data=dict(_form_state(school, report.id)[0], v_participants="40",
                                 v_failed="50", action="submit"))
    assert sent.status_code == 422 and rule in sent.get_data(as_text=True)
    with db.connection_context():
        assert MonitoringReport.get_by_id(report.id).status == "draft"
    fixed = _autosave(school, report.id, state, v_participants="40", v_failed="4",
                      v_share_2="10").get_data(as_text=True)
    assert re.search(r'<div id="v_failed-check"[^>]*></div>', fixed)  # the message is gone
    assert "Сохранено в" in fixed and _values(report.id)["failed"].number == 4


def test_first_save_makes_a_draft_and_the_same_tab_never_conflicts(filled):
    school, _, report = filled
    state, _ = _form_state(school, report.id)
    first = _autosave(school, report.id, state, v_participants="10")
    assert first.status_code == 200 and _fresh(report.id).status == "draft"
    assert re.search(r'id="report-status" hx-swap-oob="true">Черновик<', first.get_data(
        as_text=True))  # the badge changes in place
    # The tab saves again with the version it was opened at: its own token lets it through.
    second = _autosave(school, report.id, state, v_participants="11")
    assert second.status_code == 200 and "Сохранено в" in second.get_data(as_text=True)
    assert _values(report.id)["participants"].number == 11


def test_two_tabs_the_later_save_is_a_conflict_never_an_overwrite(filled):
    school, _, report = filled
    first, _ = _form_state(school, report.id)
    second, _ = _form_state(school, report.id)
    assert _autosave(school, report.id, first, v_participants="10").status_code == 200
    stale = _autosave(school, report.id, second, v_participants="99")
    assert stale.status_code == 409 and "изменён в другой вкладке" in stale.get_data(as_text=True)
    assert _values(report.id)["participants"].number == 10
    # Without htmx («Сохранить»): both values side by side, mine kept in a form to re-send.
    page = school.post(f"/monitoring/reports/{report.id}", data=dict(second, v_participants="99"))
    body = page.get_data(as_text=True)
    assert page.status_code == 409 and "Отчёт уже изменён" in body
    assert 'name="v_participants" value="99"' in body and _values(report.id)[
        "participants"].number == 10
    # «Сохранить мои значения» sends them again over the newer version: now they are saved.
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))
    assert school.post(f"/monitoring/reports/{report.id}", data=kept).status_code == 303
    assert _values(report.id)["participants"].number == 99


def test_submit_refused_while_incomplete_with_links_to_the_fields(filled):
    school, _, report = filled
    state, _ = _form_state(school, report.id)
    response = school.post(f"/monitoring/reports/{report.id}",
                           data=dict(state, v_participants="40", action="submit"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "не заполнены показатели" in body
    assert 'href="#v_failed"' in body and 'value="40"' in body  # typed values stay in the form
    assert _fresh(report.id).status == "not_started" and _values(report.id) == {}


def test_submit_refused_after_the_campaign_closed_nothing_saved(filled):
    school, campaign, report = filled
    state, _ = _form_state(school, report.id)
    from models import MonitoringCampaign
    with db.connection_context():
        MonitoringCampaign.update(status="closed").where(
            MonitoringCampaign.id == campaign.id).execute()
    response = school.post(f"/monitoring/reports/{report.id}", data=dict(state, action="submit",
                                                                        **FULL))
    assert response.status_code == 409
    assert "Сбор по кампании завершён" in response.get_data(as_text=True)
    assert _values(report.id) == {} and _fresh(report.id).status == "not_started"


def _submit(client, report_id):
    state, _ = _form_state(client, report_id)
    return client.post(f"/monitoring/reports/{report_id}",
                       data=dict(state, action="submit", **FULL))


def test_submit_return_with_a_remark_answer_resubmit_accept(filled, login_as):
    school, _, report = filled
    response = _submit(school, report.id)
    assert response.status_code == 303
    sent = _fresh(report.id)
    assert (sent.status, sent.revision) == ("submitted", 1) and sent.submitted_at
    assert _values(report.id)["share_2"].number == Decimal("12.5")
    # Sent: the school's form is read-only now; a stale tab's save is refused.
    assert school.post(f"/monitoring/reports/{report.id}", data=FULL).status_code == 409
    centre = login_as("centre")
    refused = centre.post(f"/monitoring/reports/{report.id}/return")
    assert refused.status_code == 409 and "хотя бы одно замечание" in refused.get_data(
        as_text=True)
    assert centre.post(f"/monitoring/reports/{report.id}/remarks", data={
        "field": "participants", "text": "Уточните число участников."}).status_code == 303
    assert centre.post(f"/monitoring/reports/{report.id}/return").status_code == 303
    assert _fresh(report.id).status == "returned"
    page = school.get(f"/monitoring/reports/{report.id}").get_data(as_text=True)
    assert "Уточните число участников." in page and "Отметить учтённым" in page
    with db.connection_context():
        remark = ReportRemark.get(ReportRemark.report == report.id)
        assert (remark.field, remark.field_label, remark.revision) == (
            "participants", "Число обучающихся, участвовавших в оценочной процедуре", 1)
    assert school.post(f"/monitoring/report-remarks/{remark.id}/answer",
                       data={"answer": "Исправлено"}).status_code == 303
    assert _submit(school, report.id).status_code == 303
    assert _fresh(report.id).revision == 2
    assert centre.post(f"/monitoring/reports/{report.id}/accept").status_code == 303
    accepted = _fresh(report.id)
    assert accepted.status == "accepted" and accepted.accepted_at
    with db.connection_context():
        actions = [a.action for a in AuditLog.select().where(
            AuditLog.object_type == "monitoringreport").order_by(AuditLog.id)]
    assert actions == ["monitoring_report_submitted", "monitoring_report_commented",
                       "monitoring_report_returned", "monitoring_report_remark_answered",
                       "monitoring_report_submitted", "monitoring_report_accepted"]


def test_another_schools_report_is_404_and_centre_actions_403(filled, login_as):
    _, campaign, report = filled
    stranger = login_as("school")
    assert stranger.get(f"/monitoring/reports/{report.id}").status_code == 404
    assert stranger.post(f"/monitoring/reports/{report.id}/autosave", data=FULL,
                         headers=HX).status_code == 404
    school = filled[0]
    for action in ("accept", "return", "remarks"):
        assert school.post(f"/monitoring/reports/{report.id}/{action}").status_code == 403
    department = login_as("department")
    assert department.get(f"/monitoring/reports/{report.id}").status_code == 200
    assert department.post(f"/monitoring/reports/{report.id}", data=FULL).status_code == 403
    assert _values(report.id) == {}


def test_the_centre_fills_a_report_on_the_schools_behalf(filled, login_as):
    _, _, report = filled
    centre = login_as("centre")
    page = centre.get(f"/monitoring/reports/{report.id}").get_data(as_text=True)
    assert "Вы заполняете отчёт за школу" in page
    assert _submit(centre, report.id).status_code == 303
    done = _fresh(report.id)
    assert done.filled_by_centre and done.status == "submitted"
    assert "заполнено центром за школу" in filled[0].get(
        f"/monitoring/reports/{report.id}").get_data(as_text=True)


def test_attachments_of_a_report(filled):
    school, _, report = filled
    response = school.post(f"/monitoring/reports/{report.id}/evidence", data={
        "kind": "url", "url": "https://school.example/report", "title": "Протокол"})
    assert response.status_code == 303
    page = school.get(f"/monitoring/reports/{report.id}").get_data(as_text=True)
    assert "https://school.example/report" in page
    bad = school.post(f"/monitoring/reports/{report.id}/evidence", data={"kind": "url",
                                                                        "url": "ftp://x"})
    assert bad.status_code == 422 and "http://" in bad.get_data(as_text=True)
    with db.connection_context():
        assert ReportEvidence.select().where(ReportEvidence.report == report.id).count() == 1


def test_the_whole_form_with_a_wrong_value_answers_the_messages_and_saves_nothing(filled):
    school, _, report = filled
    state, _ = _form_state(school, report.id)
    response = school.post(f"/monitoring/reports/{report.id}",
                           data=dict(state, v_participants="40", v_failed="2,5"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Отчёт не сохранён" in body
    assert "Введите целое число, без дробной части." in re.search(
        r'<div id="v_failed-check"[^>]*>([^<]*)</div>', body).group(1)
    assert 'value="2,5"' in body  # what was typed stays in the form
    assert _values(report.id) == {}  # a 4xx saves nothing (the autosave keeps correct ones)


def test_an_attachment_is_removed_by_its_school(filled):
    school, _, report = filled
    school.post(f"/monitoring/reports/{report.id}/evidence", data={
        "kind": "url", "url": "https://school.example/a", "title": "Протокол"})
    with db.connection_context():
        item = ReportEvidence.get(ReportEvidence.report == report.id)
    assert school.post(f"/monitoring/report-evidence/{item.id}/delete").status_code == 303
    with db.connection_context():
        assert not ReportEvidence.select().where(ReportEvidence.report == report.id).exists()


def test_a_control_character_is_a_wrong_value_and_never_stored(filled):
    school, _, report = filled
    state, _ = _form_state(school, report.id)
    body = _autosave(school, report.id, state, v_measures="Меры\x00", c_participants="ок\x01",
                     v_participants="3").get_data(as_text=True)
    assert "недопустимые управляющие символы" in body
    stored = _values(report.id)  # the typing without the character PostgreSQL refuses
    assert stored["measures"].text == "Меры" and stored["participants"].comment == "ок"
    whole = school.post(f"/monitoring/reports/{report.id}", data=dict(
        state, v_measures="Меры\x00", v_participants="4"))
    assert whole.status_code == 422 and _values(report.id)["participants"].number == 3
