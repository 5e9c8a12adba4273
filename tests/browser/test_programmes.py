"""A programme's whole path in a browser: the school fills two sections with added rows and
sees the autosave, submits; the centre agrees; the department approves it by order and
publishes; the programme is on /docs."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402


def test_programme_from_draft_to_published_order(page, shot, browser, live_server):
    log_in(page, "school1")
    page.get_by_role("link", name="Программы").click()
    page.get_by_role("link", name=re.compile("Программа повышения качества")).first.click()
    page.get_by_role("link", name="Заполнять программу").click()
    page.get_by_role("button", name=re.compile("9. Риски реализации")).click()
    expect(page.get_by_role("heading", name="9. Риски реализации и меры")).to_be_visible()

    page.locator("#risks-0-risk").fill("Уход учителей математики в середине года")
    page.locator("#risks-0-mitigation").fill("Наставничество и совместительство с Гимназией № 3")
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="+ Риск").click()  # htmx: a new row in place
    page.locator("#risks-1-risk").fill("Низкая явка родителей на собрания")
    page.locator("#risks-1-mitigation").fill("Собрания онлайн и в выходные")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Сохранено в \d\d:\d\d"))
    assert page.evaluate("window.__noReload") is True
    shot(page, "30-programme-risks")

    page.get_by_role("button", name=re.compile("10. Ожидаемые результаты")).click()
    # Typed only once the new page is loaded (its htmx listens): under load the text could
    # otherwise be filled in before the autosave trigger exists.
    expect(page.get_by_role("heading", name="10. Ожидаемые результаты")).to_be_visible()
    page.wait_for_load_state("load")
    page.locator("#results").fill("Доля «2» на ВПР — не более 19 %\nКачество знаний — 45 %")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Сохранено в \d\d:\d\d"))
    page.get_by_role("button", name=re.compile("9. Риски реализации")).click()
    expect(page.locator("#risks-1-mitigation")).to_have_value("Собрания онлайн и в выходные")
    page.get_by_role("button", name="К отправке на рассмотрение →").click()
    page.get_by_role("button", name="Отправить в методический центр").click()
    expect(page.get_by_text("Программа отправлена в методический центр")).to_be_visible()
    expect(page.get_by_text("На рассмотрении").first).to_be_visible()
    shot(page, "31-programme-submitted")
    title = page.locator("h1").inner_text()

    centre = browser.new_context(base_url=live_server.url, locale="ru-RU").new_page()
    log_in(centre, "centre")
    centre.goto("/programmes/?status=submitted")
    centre.get_by_role("link", name=title).click()
    centre.get_by_role("link", name="Согласовать…").click()
    centre.get_by_role("button", name="Да, согласовать").click()  # asked first
    expect(centre.get_by_text("Программа согласована и ждёт утверждения приказом.")).to_be_visible()

    department = browser.new_context(base_url=live_server.url, locale="ru-RU").new_page()
    log_in(department, "department")
    department.goto("/programmes/")
    department.get_by_role("link", name=re.compile("Утвердить согласованные")).click()
    shot(department, "32-programme-approval")
    department.get_by_role("button", name="Зарегистрировать приказ и утвердить").click()
    expect(department.get_by_text(re.compile(r"Приказ зарегистрирован: № \d+"))).to_be_visible()
    department.get_by_role("button", name="Опубликовать приказ и программы на сайте").click()
    expect(department.get_by_text("опубликованы на сайте")).to_be_visible()

    page.goto("/docs/")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    with page.expect_download() as download:
        page.goto("/programmes/")
        page.get_by_role("link", name=title).click()
        page.get_by_role("link", name=re.compile("Скачать .docx")).click()
    assert download.value.suggested_filename.endswith(".docx")
