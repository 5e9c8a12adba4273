"""The organisation directory: list and live search, card CRUD, import with preview, export."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from blueprints.core.demo import demo_inn
from blueprints.orgs.forms import inn_is_valid
from models import Organization, db

from .conftest import HX

VALID = {"kind": "school", "full_name": "Муниципальное бюджетное общеобразовательное учреждение "
         "«Средняя школа № 12»", "short_name": "МБОУ «СШ № 12»",
         "municipality": "Новоречинский муниципальный район", "address": "ул. Мира, 1",
         "inn": demo_inn(900), "kpp": "244701001", "phone": "+7 (39145) 2-11-22",
         "email": "school12@example.ru", "head_position": "Директор",
         "head_name": "Петрова Анна Сергеевна"}


def _count(**where):
    with db.connection_context():
        query = Organization.select()
        for name, value in where.items():
            query = query.where(getattr(Organization, name) == value)
        return query.count()


def test_inn_checksum():
    assert inn_is_valid("7707083893")  # a real, published ИНН
    assert not inn_is_valid("7707083894")
    assert not inn_is_valid("770708389")
    assert not inn_is_valid("77070838ab")


def test_list_is_a_full_page_and_search_returns_a_fragment(login_as, make_org):
    make_org(short_name="МБОУ «Лицей № 9»", full_name="Лицей № 9")
    make_org(short_name="МБОУ «Школа № 3»", full_name="Школа № 3")
    client = login_as("centre")
    page = client.get("/orgs/")
    assert page.status_code == 200
    assert "<html" in page.get_data(as_text=True)
    fragment = client.get("/orgs/?q=ЛИЦЕЙ", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="orgs-table"')
    assert "Лицей № 9" in fragment and "Школа № 3" not in fragment
    boosted = client.get("/orgs/?q=лицей", headers={**HX, "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"]


def test_filters_and_pagination(login_as, make_org):
    for n in range(55):
        make_org(short_name=f"МБОУ «Школа {n:02d}»", is_leader=n < 3, is_low_result=n >= 50)
    make_org(short_name="МБОУ «Другая»", municipality="Соседний район")
    client = login_as("centre")
    first = client.get("/orgs/?kind=school").get_data(as_text=True)
    assert first.count('<tr id="org-') == 50 and "1 из 2" in first
    second = client.get("/orgs/?kind=school&page=2").get_data(as_text=True)
    assert second.count('<tr id="org-') == 6
    leaders = client.get("/orgs/?leader=leader", headers=HX).get_data(as_text=True)
    assert leaders.count('<tr id="org-') == 3
    low = client.get("/orgs/?leader=low", headers=HX).get_data(as_text=True)
    assert low.count('<tr id="org-') == 5
    other = client.get("/orgs/?municipality=Соседний+район", headers=HX).get_data(as_text=True)
    assert other.count('<tr id="org-') == 1
    empty = client.get("/orgs/?q=несуществующая", headers=HX).get_data(as_text=True)
    assert "Ничего не найдено" in empty


def test_create_show_edit(login_as):
    client = login_as("centre")
    response = client.post("/orgs/new", data=VALID)
    assert response.status_code == 303
    with db.connection_context():
        org = Organization.get(Organization.inn == VALID["inn"])
    assert response.headers["Location"] == f"/orgs/{org.id}"
    card = client.get(f"/orgs/{org.id}").get_data(as_text=True)
    assert "Петрова Анна Сергеевна" in card
    edited = dict(VALID, short_name="МБОУ «СШ № 12 им. Пушкина»", is_leader="y")
    assert client.post(f"/orgs/{org.id}/edit", data=edited).status_code == 303
    with db.connection_context():
        org = Organization.get_by_id(org.id)
    assert org.short_name == "МБОУ «СШ № 12 им. Пушкина»" and org.is_leader


@pytest.mark.parametrize("field,value,message", [
    ("inn", "1234567890", "ИНН должен состоять из 10 цифр с верной контрольной цифрой."),
    ("inn", "12345", "ИНН должен состоять из 10 цифр"),
    ("kpp", "12345", "КПП — 9 символов"),
    ("email", "not-an-email", "Укажите адрес электронной почты"),
    ("full_name", "", "Заполните это поле."),
    ("phone", "звоните", "Только цифры"),
])
def test_invalid_card_is_422_with_message_next_to_field(login_as, field, value, message):
    client = login_as("centre")
    response = client.post("/orgs/new", data=dict(VALID, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    group = page.split(f'id="{field}-group"')[1].split('id="', 1)[0] + page.split(f'id="{field}-error"')[1][:300]
    assert message in group
    assert VALID["head_name"] in page  # what was typed is still there
    assert _count() == 1  # only the user's own centre


def test_invalid_card_via_htmx_returns_the_form_fragment(login_as):
    client = login_as("centre")
    response = client.post("/orgs/new", data=dict(VALID, inn="1"), headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.lstrip().startswith('<form id="org-form"') and "<html" not in body


def test_duplicate_inn_names_the_other_organisation(login_as, make_org):
    make_org(inn=VALID["inn"], short_name="МБОУ «Первая»")
    client = login_as("centre")
    response = client.post("/orgs/new", data=VALID)
    assert response.status_code == 422
    assert "Этот ИНН уже указан у организации «МБОУ «Первая»»." in response.get_data(as_text=True)


def test_delete_asks_then_deletes(login_as, make_org):
    org = make_org()
    client = login_as("centre")
    confirm = client.get(f"/orgs/{org.id}/delete").get_data(as_text=True)
    assert "Удалить" in confirm and _count(id=org.id) == 1
    assert client.post(f"/orgs/{org.id}/delete").status_code == 303
    assert _count(id=org.id) == 0


def test_delete_refused_while_accounts_belong_to_it(login_as, make_user):
    school_user = make_user("school")
    client = login_as("centre")
    response = client.post(f"/orgs/{school_user.organization_id}/delete", follow_redirects=True)
    assert "Нельзя удалить" in response.get_data(as_text=True)
    assert _count(id=school_user.organization_id) == 1


def test_department_reads_but_cannot_edit(login_as, make_org):
    org = make_org()
    client = login_as("department")
    assert client.get(f"/orgs/{org.id}").status_code == 200
    assert client.get(f"/orgs/{org.id}/edit").status_code == 403


# --- import and export -------------------------------------------------------------------

HEADERS = ["ИНН", "Краткое наименование", "Полное наименование", "Муниципальное образование",
           "ФИО руководителя", "Школа-лидер"]


def _xlsx(rows, headers=HEADERS, title=None):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, data, name="schools.xlsx"):
    return client.post("/orgs/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _good_rows(n=3):
    return [[demo_inn(500 + i), f"МБОУ «Школа {i}»", f"Школа {i} полностью",
             "Новоречинский муниципальный район", "Иванов Иван Иванович", "да" if i == 0 else ""]
            for i in range(n)]


def test_import_previews_then_saves_on_confirmation(login_as):
    client = login_as("centre")
    preview = _upload(client, _xlsx(_good_rows(), title="Список школ района"))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Ошибок нет" in page
    assert _count() == 1  # nothing saved yet
    token = page.split('/orgs/import/')[1].split('"')[0]
    assert client.post(f"/orgs/import/{token}").status_code == 303
    assert _count(kind="school") == 3
    assert _count(is_leader=True) == 1
    # The same preview cannot be confirmed twice.
    client.post(f"/orgs/import/{token}")
    assert _count(kind="school") == 3


def test_import_with_bad_rows_saves_nothing_and_names_the_rows(login_as):
    client = login_as("centre")
    rows = _good_rows(2) + [["1234567890", "МБОУ «Плохая»", "Плохая школа", "Район", "", ""],
                            [demo_inn(500), "МБОУ «Дубль»", "Дубль", "Район", "", ""],
                            [demo_inn(600), "", "", "Район", "", ""]]
    response = _upload(client, _xlsx(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Строк с ошибками: 3 из 5" in page
    assert "ИНН: ИНН должен состоять из 10 цифр с верной контрольной цифрой." in page
    assert "ИНН: повторяет строку 2." in page
    assert "Полное наименование: Заполните это поле." in page
    assert "<td>4</td>" in page  # the row number as in the file
    assert "/orgs/import/" not in page  # no confirm button
    assert _count(kind="school") == 0


def test_import_csv_in_windows_1251_with_semicolons(login_as):
    client = login_as("centre")
    text = "Полное наименование;Муниципальное образование;ИНН\r\n" \
           f"Сосновская СОШ;Новоречинский район;{demo_inn(700)}\r\n"
    response = _upload(client, text.encode("cp1251"), "schools.csv")
    assert response.status_code == 200 and "Ошибок нет" in response.get_data(as_text=True)


@pytest.mark.parametrize("name,data,message", [
    ("schools.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "Файл не является книгой Excel .xlsx"),  # an encrypted (password-protected) workbook
    ("schools.xlsx", b"PK\x03\x04broken", "Файл повреждён"),
    ("schools.pdf", b"%PDF-1.4", "Нужен файл .xlsx или .csv."),
    ("schools.csv", "Название;Адрес\r\nШкола;ул. Мира\r\n".encode(), "Не найдена строка заголовков"),
    ("schools.csv", b"", "Выберите файл."),
])
def test_import_rejects_unreadable_files(login_as, name, data, message):
    client = login_as("centre")
    response = _upload(client, data, name) if data else client.post(
        "/orgs/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(kind="school") == 0


def test_import_rejects_an_oversized_file(app, login_as):
    app.config["MAX_UPLOAD_BYTES"] = 1000
    client = login_as("centre")
    response = _upload(client, _xlsx(_good_rows(40)))
    assert response.status_code == 422
    assert "Файл больше" in response.get_data(as_text=True)


def test_someone_elses_preview_cannot_be_confirmed(login_as):
    first = login_as("centre")
    page = _upload(first, _xlsx(_good_rows())).get_data(as_text=True)
    token = page.split('/orgs/import/')[1].split('"')[0]
    second = login_as("centre")
    second.post(f"/orgs/import/{token}")
    assert _count(kind="school") == 0


def test_export_round_trips_through_import(login_as, make_org):
    make_org(short_name="МБОУ «Экспорт»", inn=demo_inn(800), is_leader=True)
    client = login_as("department")
    response = client.get("/orgs/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Вид", "Полное наименование", "Краткое наименование")
    assert any(r[2] == "МБОУ «Экспорт»" and r[11] == "да" for r in rows[1:])
