"""«Сформировать пакет приказов» in a browser: the job page counts «N из M» by htmx polling
without a reload, survives a reload, and offers the archive when done."""
import os
import re
from datetime import date

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402


def test_department_makes_a_package_of_draft_orders(page, live_server, shot):
    from models import Order, OrderClause, Organization, db

    with db.connection_context():
        department = Organization.get(Organization.kind == "department")
        for n in range(3):
            order = Order.create(organization=department, order_date=date(2026, 10, 1),
                                 heading=f"О проведении пакетного мероприятия {n + 1}",
                                 signer_position="Начальник управления образования",
                                 signer_name="Волков Михаил Евгеньевич", place="г. Новоречинск")
            OrderClause.create(order=order, position=0, text="Провести мероприятие.")
    log_in(page, "department")
    page.goto("/orders/")
    page.get_by_role("link", name="Сформировать пакет приказов").click()
    page.get_by_label("Сформировать PDF для каждого приказа").uncheck()
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Сформировать пакет").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    page.evaluate("window.__noReload = true")
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^(\d+) из \1$"), timeout=20_000)  # N из N, polled
    assert page.evaluate("window.__noReload") is True
    expect(page.get_by_role("link", name="Скачать архив (.zip)")).to_be_visible()
    shot(page, "30-job-package")
    page.reload()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^(\d+) из \1$"))
    expect(page.get_by_text("готово").first).to_be_visible()
