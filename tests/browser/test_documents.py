"""The order's whole path in a browser: draft with two clauses, registration, publication, /docs."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402


def test_centre_creates_registers_and_publishes_an_order(page, shot):
    heading = "Об итогах методической недели в школах района"
    log_in(page, "centre")
    page.get_by_role("link", name="Приказы").click()
    page.get_by_role("link", name="Новый приказ").click()
    page.locator("#heading").fill(heading)
    page.locator("#clauses-0-text").fill("Утвердить итоги методической недели.")
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="+ Пункт").click()  # htmx: a new row, no reload
    page.locator("#clauses-1-text").fill("Руководителям ОО обсудить итоги на педсоветах.")
    page.locator("#clauses-1-executor").fill("руководители ОО")
    page.locator("#clauses-1-deadline").fill("до 15.12.2026")
    assert page.evaluate("window.__noReload") is True
    assert page.locator("#clauses-0-text").input_value() == "Утвердить итоги методической недели."
    shot(page, "20-order-form")
    page.get_by_role("button", name="Сохранить проект").click()
    expect(page.get_by_text("Проект приказа сохранён.")).to_be_visible()

    page.get_by_role("link", name="Зарегистрировать…").click()
    page.get_by_role("button", name="Да, зарегистрировать").click()  # asked first
    expect(page.get_by_text(re.compile(r"Приказ зарегистрирован: № \d+"))).to_be_visible()
    number = re.search(r"№ (\S+) от", page.get_by_text(
        re.compile(r"Приказ зарегистрирован")).inner_text()).group(1)
    page.get_by_role("link", name="Документ в реестре").click()
    shot(page, "21-register-document")
    page.get_by_role("link", name="Опубликовать на сайте…").click()
    page.get_by_role("button", name="Да, опубликовать").click()  # asked first
    expect(page.get_by_text("Опубликован", exact=True).first).to_be_visible()

    page.goto("/docs/")
    with page.expect_response(lambda r: "q=" in r.url):  # let the live search finish first
        page.get_by_role("searchbox").fill(heading)
    link = page.get_by_role("link", name=heading)
    expect(link).to_be_visible()
    shot(page, "22-public-docs")
    link.click()
    expect(page.get_by_text(f"№ {number}").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"\.docx|Word")).first.click()
    assert download.value.suggested_filename.endswith(".docx")
