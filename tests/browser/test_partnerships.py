"""Two schools confirm their partnership agreement in two browsers: the partner confirms, the
leader then changes a plan row, the partner's page shows its confirmation cleared with the
change; both confirm and the registered agreement and plan are offered for signing."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402

YEAR = 2031  # a school year of its own: the demo's pairs are for the current one


@pytest.fixture
def approved_pair(live_server):
    """school1's school leads school2's in YEAR/YEAR+1, approved by order (set directly: the
    order is another page's path);"""
    from blueprints.partnerships import services
    from models import Partnership, User, db

    with live_server.app.app_context(), db.connection_context():
        leader = User.get(User.login == "school1").organization
        partner = User.get(User.login == "school2").organization
        Partnership.delete().where((Partnership.period_start == YEAR)
                                   & (Partnership.partner == partner.id)).execute()
        pair = services.propose(YEAR, leader, partner, ["consulting", "lesson_visits"], None)
        Partnership.update(status="approved").where(Partnership.id == pair.id).execute()
    yield pair.id, partner.short_name


def _second_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda msg: pg.problems.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.problems.append(str(exc)))
    return pg


def test_one_side_edits_after_the_other_confirmed(page, browser, live_server, shot,
                                                  approved_pair):
    pair_id, partner_name = approved_pair
    url = f"/partnerships/{pair_id}"

    # The leader adds a plan row in place (no page reload).
    log_in(page, "school1")
    page.goto(url)
    page.evaluate("window.__noReload = true")
    page.locator("#new-title").fill("Взаимопосещение уроков математики")
    page.locator("#new-form").fill("открытые уроки")
    page.locator("#new-deadline_text").fill(f"октябрь {YEAR}")
    page.locator("#new-leader_responsible").fill("Соколова М. А.")
    page.locator("#new-partner_responsible").fill("Кузнецов П. А.")
    page.get_by_role("button", name="Добавить в план").click()
    expect(page.locator("#plan tbody tr")).to_have_count(1)
    expect(page.locator("#plan")).to_contain_text(f"октябрь {YEAR}")
    assert page.evaluate("window.__noReload") is True

    # The partner confirms.
    partner = _second_page(browser, live_server)
    log_in(partner, "school2")
    partner.goto(url)
    partner.get_by_role("button", name=f"Согласовать со стороны {partner_name}").click()
    expect(partner.get_by_text("Согласовано с вашей стороны")).to_be_visible()
    expect(partner.locator("#confirmation-partner")).to_contain_text("Согласовано")

    # The leader changes the row's deadline: the partner's confirmation is cleared.
    page.get_by_role("link", name="Изменить строку 1").click()
    page.locator("#edit-deadline_text").fill(f"ноябрь {YEAR}")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.locator("#plan tbody")).to_contain_text(f"ноябрь {YEAR}")
    expect(page.locator("#confirmation-partner")).to_contain_text("Согласование снято")
    assert page.evaluate("window.__noReload") is True

    # The partner's next view says so and shows what changed.
    partner.goto(url)
    cleared = partner.locator("#cleared")
    expect(cleared).to_contain_text("Ваше согласование снято")
    expect(cleared.locator("del")).to_contain_text(f"октябрь {YEAR}")
    expect(cleared).to_contain_text(f"ноябрь {YEAR}")
    expect(partner.locator("#changes")).to_contain_text("Орлова Елена Викторовна")
    shot(partner, "60-partnership-confirmation-cleared")
    partner.set_viewport_size({"width": 390, "height": 844})
    shot(partner, "60-partnership-confirmation-cleared-390")
    partner.set_viewport_size({"width": 1280, "height": 900})

    # Both confirm the current version: the agreement and the plan are registered.
    partner.get_by_role("button", name=f"Согласовать со стороны {partner_name}").click()
    expect(partner.get_by_text("Согласовано с вашей стороны")).to_be_visible()
    page.goto(url)
    page.get_by_role("button", name=re.compile("^Согласовать со стороны")).click()
    expect(page.get_by_text(re.compile("^Обе стороны согласовали"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Соглашение № "))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^План взаимодействия № "))).to_be_visible()
    expect(page.locator("#registered")).to_contain_text("загрузите скан")
    shot(page, "61-partnership-registered")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "61-partnership-registered-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    partner.goto(url)
    with partner.expect_download() as download:
        partner.get_by_role("link", name=re.compile(r"^Соглашение № ")).click()
    assert download.value.suggested_filename.endswith(".docx")
    assert partner.problems == []
    partner.context.close()
