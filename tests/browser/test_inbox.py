"""The home page is each demo account's work inbox: one item per role is followed to the exact
place it names."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402

# role → (the inbox line followed, where it leads, what that page shows)
ITEMS = {
    "school1": ("Закончите и отправьте отчёт", r"/monitoring/reports/\d+$", "Отправить в центр"),
    "centre": ("Мониторинг «", r"/monitoring/campaigns/\d+$", "Напомнить"),
    "department": ("ждут приказа об утверждении", r"/programmes/approve$",
                   "Зарегистрировать приказ и утвердить"),
    "admin": ("Просрочено", r"/roadmaps/\d+\?overdue=1$", "Напомнить школам"),
}


@pytest.mark.parametrize("login", ITEMS)
def test_each_role_follows_an_inbox_item_to_its_place(page, login):
    text, url, shown = ITEMS[login]
    log_in(page, login)
    inbox = page.locator("ul.inbox")
    expect(inbox).to_be_visible()
    inbox.get_by_role("link", name=re.compile(re.escape(text))).first.click()
    expect(page).to_have_url(re.compile(url))
    expect(page.locator("main")).to_contain_text(shown)
