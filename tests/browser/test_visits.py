"""A curator from a leader school writes up the demo visit in a browser: adds a recommendation
row in place (htmx), is told about an unreadable deadline next to the field, saves, registers
the report and adds the recommendations to a road map after the confirmation page."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402


def test_a_curator_writes_up_a_visit_and_sends_recommendations_to_the_road_map(page,
                                                                             live_server):
    from models import User, Visit, db
    with live_server.app.app_context(), db.connection_context():
        curator = User.get(User.login == "curator2")
        visit = Visit.get((Visit.curator == curator.id) & (Visit.status == "written"))
    page.problems.allow(r"status of 422 .*/visits/\d+/edit'")  # the refused deadline
    log_in(page, "curator2")
    expect(page.get_by_text(re.compile(r"Курируемая школа"))).to_be_visible()
    page.goto(f"/visits/{visit.id}/edit")
    rows = page.locator("textarea[name$='-text'][name^='recommendations-']")
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="+ Рекомендация").click()
    expect(rows).to_have_count(4)  # added in place, nothing saved
    page.locator("textarea[name='recommendations-3-text']").fill("Провести педсовет")
    page.locator("input[name='recommendations-3-deadline_text']").fill("когда-нибудь")
    page.locator("input[name='recommendations-3-responsible']").fill("Директор")
    page.get_by_role("button", name="Сохранить справку").click()
    expect(page.get_by_text("Срок не распознан")).to_be_visible()
    page.locator("input[name='recommendations-3-deadline_text']").fill("январь 2027")
    page.get_by_role("button", name="Сохранить справку").click()
    expect(page.get_by_text("Справка сохранена")).to_be_visible()
    page.get_by_role("button", name="Зарегистрировать справку").click()
    expect(page.get_by_text(re.compile(r"Справка зарегистрирована: № \d+-В"))).to_be_visible()
    page.get_by_role("link", name="Добавить рекомендации в дорожную карту…").click()
    expect(page.get_by_role("heading", name="Добавить рекомендации в дорожную карту?")) \
        .to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Добавить 4 мероприятия")).click()
    expect(page.get_by_text("В дорожную карту добавлено мероприятий: 4")).to_be_visible()
    expect(page.get_by_text("Провести педсовет")).to_be_visible()  # the road map page
