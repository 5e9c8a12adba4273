"""A school's monitoring report in a browser: school1 opens its report, types more «2» than
participants and sees the rule's message next to both fields without a reload, fixes it, the
autosave says «Сохранено …», the values are there after a reload, and it sends the report."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402

RULE = "Получивших «2» не может быть больше, чем участников."


def _school1_report():
    from models import MonitoringReport, User, db

    from ..conftest import create_campaign
    with db.connection_context():
        school = User.get(User.login == "school1").organization_id
    campaign = create_campaign([school], title="Мониторинг позитивных изменений в ШНОР, "
                                               "браузерный тест")
    with db.connection_context():
        return MonitoringReport.get(MonitoringReport.campaign == campaign.id).id


def test_school_fills_its_report_with_an_in_place_rule_error_and_sends_it(page, shot):
    report_id = _school1_report()
    log_in(page, "school1")
    page.goto(f"/monitoring/reports/{report_id}")
    expect(page.get_by_role("heading", name=re.compile("^Отчёт "))).to_be_visible()
    page.evaluate("window.__noReload = true")

    page.locator("#v_participants").fill("40")
    page.locator("#v_share_2").fill("12,5")
    page.locator("#v_measures").fill("Консультации по математике для группы риска")
    page.locator("#v_failed").fill("50")
    expect(page.locator("#v_failed-check")).to_contain_text(RULE)
    expect(page.locator("#v_participants-check")).to_contain_text(RULE)
    shot(page, "40-monitoring-report-rule")

    page.locator("#v_failed").fill("5")
    expect(page.locator("#v_failed-check")).to_have_text("")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Сохранено в \d\d:\d\d$"))
    assert page.evaluate("window.__noReload") is True  # checked and saved in place

    page.reload()
    expect(page.locator("#v_failed")).to_have_value("5")
    expect(page.locator("#v_share_2")).to_have_value("12,5")
    page.get_by_role("button", name="Отправить в центр").click()
    expect(page.get_by_text("Отчёт отправлен в методический центр.")).to_be_visible()
    expect(page.locator("#report-status")).to_have_text("Отправлен")
    shot(page, "41-monitoring-report-sent")
