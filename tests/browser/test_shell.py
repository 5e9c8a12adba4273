"""What a user relies on in a real browser: sign-in, dashboard, live search, form errors,
sign-out, and screenshots of the key pages (into /tmp/opora-shots/, looked at by a person)."""
import os
import re

import pytest

from .conftest import CHROMIUM, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"Chromium not found at {CHROMIUM}")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from playwright.sync_api import expect  # noqa: E402


def valid_inn(body):
    """`body` (9 digits) plus its check digit: a legal entity's ИНН."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return body + str(sum(int(d) * w for d, w in zip(body, weights)) % 11 % 10)


def test_login_page_and_school_dashboard(page, shot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", name="Вход в «Опору»")).to_be_visible()
    shot(page, "01-login")

    log_in(page, "school1")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Орлова Елена Викторовна")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="МБОУ «СОШ № 1»")).to_be_visible()
    expect(main).to_contain_text("Средняя общеобразовательная школа № 1 г. Новоречинска")
    # A school sees its own card in the menu, not the directory.
    nav = page.get_by_role("navigation", name="Основное меню")
    expect(nav.get_by_role("link", name="Моя школа")).to_be_visible()
    expect(nav.get_by_role("link", name="Организации")).to_have_count(0)
    shot(page, "02-dashboard-school1")


def test_centre_live_search_in_directory(page, shot):
    log_in(page, "centre")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Белова Наталья Сергеевна")
    shot(page, "03-dashboard-centre")

    menu = page.get_by_role("navigation", name="Основное меню")
    menu.get_by_role("button", name="Ещё").click()  # the less daily pages, so the bar fits
    menu.get_by_role("link", name="Организации").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Справочник организаций")
    expect(page).to_have_url(re.compile(r"/orgs/$"))
    table = page.locator("main")
    rows = table.locator("table.table-orgs tbody tr")
    expect(rows.filter(has_text="МБОУ «СОШ № 1»")).to_have_count(1)
    all_rows = rows.count()
    assert all_rows >= 22  # the centre, the department and 20 schools
    shot(page, "04-directory")

    # A marker on window survives only if the page is not reloaded.
    page.evaluate("window.__operaNoReload = true")
    with page.expect_response(lambda r: "/orgs/?" in r.url and "q=" in r.url
                              and r.request.headers.get("hx-request") == "true") as search:
        page.get_by_role("searchbox", name="Поиск").press_sequentially("Лицей", delay=30)
    assert search.value.status == 200
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("МБОУ «Лицей № 4»")
    expect(table).not_to_contain_text("МБОУ «СОШ № 1»")
    expect(table.get_by_text(re.compile(r"^Найдено: "))).to_have_text(re.compile(r"^Найдено: 1 "))
    expect(page).to_have_url(re.compile(r"/orgs/\?(.*&)?q=%D0%9B%D0%B8%D1%86%D0%B5%D0%B9"))
    assert page.evaluate("window.__operaNoReload") is True, "the page was reloaded"
    shot(page, "05-directory-search")

    page.get_by_role("searchbox", name="Поиск").fill("")
    expect(rows).to_have_count(all_rows)
    expect(rows.filter(has_text="МБОУ «СОШ № 1»")).to_have_count(1)
    expect(page).not_to_have_url(re.compile(r"q=%D0%9B"))
    assert page.evaluate("window.__operaNoReload") is True, "the page was reloaded"


def test_live_search_swaps_the_table_not_nests_it(page):
    log_in(page, "centre")
    page.goto("/orgs/")
    with page.expect_response(lambda r: "q=" in r.url):
        page.get_by_role("searchbox", name="Поиск").fill("Гимназия")
    expect(page.locator("table.table-orgs tbody tr")).to_have_count(1)
    expect(page.locator("#orgs-table")).to_have_count(1, timeout=2000)


def test_centre_creates_school_after_fixing_inn(page, shot):
    log_in(page, "centre")
    page.goto("/orgs/")
    page.get_by_role("link", name="Добавить организацию").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Новая организация")

    typed = {
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение "
                     "«Средняя общеобразовательная школа № 11 г. Новоречинска»",
        "short_name": "МБОУ «СОШ № 11»",
        "municipality": "Новоречинский муниципальный район",
        "address": "663100, Красноярский край, г. Новоречинск, ул. Новая, д. 2",
        "kpp": "244701001",
        "phone": "+7 (39145) 2-99-11",
        "email": "school11@novorech-edu.example.ru",
        "head_position": "Директор",
        "head_name": "Соловьёва Мария Игоревна",
    }
    form = page.locator("#org-form")
    form.locator("#kind").select_option("school")
    for field, value in typed.items():
        form.locator(f"#{field}").fill(value)
    form.locator("#inn").fill("1234567890")
    form.get_by_label("Школа с низкими образовательными результатами (ШНОР)").check()

    # The invalid form comes back as 422; Chromium notes that in the console.
    page.problems.allow(r"status of 422 .*/orgs/new'")
    form.get_by_role("button", name="Сохранить").click()
    error = page.locator("#inn-error")
    expect(error).to_have_text("ИНН должен состоять из 10 цифр с верной контрольной цифрой.")
    expect(page.locator("#inn")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#inn")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#inn")).to_have_value("1234567890")
    expect(page.get_by_role("alert")).to_contain_text("Проверьте поля, отмеченные красным.")
    for field, value in typed.items():
        expect(page.locator(f"#{field}")).to_have_value(value)
        expect(page.locator(f"#{field}")).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#is_low_result")).to_be_checked()
    assert page.locator(".invalid-feedback").count() == 1
    shot(page, "06-org-form-error")

    inn = valid_inn("246600011")
    assert not inn.startswith("2447")
    page.locator("#inn").fill(inn)
    page.get_by_role("button", name="Сохранить").click()
    expect(page).to_have_url(re.compile(r"/orgs/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("МБОУ «СОШ № 11»")
    expect(page.locator("main")).to_contain_text("Организация «МБОУ «СОШ № 11»» добавлена.")
    expect(page.locator("main dl")).to_contain_text(f"{inn} / 244701001")
    expect(page.locator("main dl")).to_contain_text(typed["full_name"])
    expect(page.locator("main")).to_contain_text("ШНОР")
    shot(page, "07-org-card")


def test_logout_returns_to_login(page):
    log_in(page, "school2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Кузнецов Павел Андреевич")
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Вход в «Опору»")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Вы вышли из системы.")
    expect(page.get_by_role("button", name="Выйти")).to_have_count(0)
    # The session is really over: the dashboard asks to sign in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    # And signing in again works with the fresh CSRF token the login page brought.
    log_in(page, "school2")


def test_admin_pages_and_not_found(page, shot):
    log_in(page, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Соколова Ирина Владимировна")
    shot(page, "08-dashboard-admin")
    for width in (1200, 1280):  # the admin's bar (the longest) stays on one line, «Выйти» on screen
        page.set_viewport_size({"width": width, "height": 800})
        logout = page.get_by_role("button", name="Выйти").bounding_box()
        brand = page.get_by_role("link", name="Опора", exact=True).bounding_box()
        assert logout["x"] + logout["width"] <= width and abs(logout["y"] - brand["y"]) < 30
    page.set_viewport_size({"width": 1280, "height": 800})

    menu = page.get_by_role("navigation", name="Основное меню")
    menu.get_by_role("button", name="Ещё").click()
    menu.get_by_role("link", name="Пользователи").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Пользователи")
    for login in ("admin", "centre", "department", "school1", "school2"):
        expect(page.locator("main")).to_contain_text(login)
    shot(page, "09-users")

    menu.get_by_role("button", name="Ещё").click()
    menu.get_by_role("link", name="Журнал").click()
    expect(page).to_have_url(re.compile(r"/audit$"))
    expect(page.locator("main table")).to_be_visible()
    shot(page, "10-audit")

    page.problems.allow(r"status of 404 .*/no-such-page'")
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Страница не найдена"))
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    shot(page, "11-not-found")


def test_lists_fit_a_phone_screen(page):
    """At 390 px the register, the directory and a road map show their rows as labelled cards:
    nothing runs past the right edge (the page never scrolls sideways)."""
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "centre")
    for path in ("/documents/", "/orgs/", "/roadmaps/1"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        row = page.locator("table.stack-table tbody tr").first
        assert row.bounding_box()["width"] <= 390, path
