"""The indicator catalogue in a browser: the centre sees types and ranges, adds a choice
indicator, is refused a rule that calls a function (the reason at the field), adds a good rule
and deletes it after the confirmation."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402


def test_indicators_and_rules_on_the_reference_page(page, shot):
    page.problems.allow(r"422")
    log_in(page, "centre")
    page.goto("/programmes/reference")
    table = page.locator("#indicator-table")
    expect(table.locator("tr", has_text="share_2")).to_contain_text("доля в %")
    expect(table.locator("tr", has_text="share_2")).to_contain_text("0 – 100")
    expect(page.locator("#rule-table")).to_contain_text("failed <= participants")
    shot(page, "reference")

    page.get_by_role("link", name="Добавить показатель").click()
    page.locator("#code").fill("olympiad_level")
    page.locator("#name").fill("Уровень участия в олимпиадах")
    page.locator("#value_type").select_option("choice")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#choices-error")).to_contain_text("хотя бы два варианта")
    shot(page, "reference-indicator-form")
    page.locator("#choices").fill("школьный\nмуниципальный\nрегиональный")
    page.get_by_role("button", name="Сохранить").click()
    expect(table.locator("tr", has_text="olympiad_level")).to_contain_text(
        "школьный / муниципальный / региональный")

    page.get_by_role("link", name="Добавить правило").click()
    page.locator("#expression").fill("__import__('os').system('id') == 0")
    page.locator("#message").fill("Взлом")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#expression-error")).to_contain_text("вызовы функций не допускаются")
    shot(page, "reference-bad-rule")
    page.locator("#expression").fill("students_with_iom <= teachers")
    page.locator("#message").fill("С ИОМ больше, чем педагогов?")
    page.get_by_role("button", name="Сохранить").click()
    row = page.locator("#rule-table tr", has_text="students_with_iom <= teachers")
    expect(row).to_contain_text("С ИОМ больше, чем педагогов?")
    row.get_by_role("link", name="Удалить").click()
    expect(page.get_by_role("heading", name="Удалить правило проверки?")).to_be_visible()
    page.get_by_role("button", name="Да, удалить").click()
    expect(page.locator("#rule-table")).not_to_contain_text("students_with_iom <= teachers")
    expect(page.get_by_text(re.compile("Правило удалено"))).to_be_visible()
