"""Orders: the draft form with clause rows, preview, registration with numbers, locking."""
import io

import docx
import pytest

from models import GeneratedDocument, Order, OrderClause, db

from .conftest import HX

FORM = {
    "kind": "order", "order_date": "2026-09-01", "place": "г. Новоречинск",
    "founder": "Администрация муниципального образования Новоречинский район",
    "heading": "Об утверждении плана мониторинга",
    "preamble": "В целях повышения качества образования",
    "clauses-0-level": "0", "clauses-0-text": "Утвердить план мониторинга.",
    "clauses-0-executor": "", "clauses-0-deadline": "",
    "clauses-1-level": "1", "clauses-1-text": "представить отчёты;",
    "clauses-1-executor": "руководители ОО", "clauses-1-deadline": "до 15.09.2026",
    "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
    "signer_position": "Начальник управления образования",
    "signer_name": "Волков Михаил Евгеньевич",
    "executor_note": "Белова Н.С., 2-11-22",
    "annexes-0-title": "План мониторинга", "annexes-0-text": "",
    "annexes-0-table": "№\tМероприятие\tСрок\n1\tСбор данных ВПР\tоктябрь",
    "version": "",
}


def _text(data):
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts).replace("\xa0", " ")  # non-breaking spaces read as spaces


def _create(client, **changes):
    response = client.post("/orders/new", data=dict(FORM, **changes))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_create_with_clauses_subclauses_and_annex(login_as):
    client = login_as("department")
    order_id = _create(client)
    with db.connection_context():
        order = Order.get_by_id(order_id)
        clauses = list(order.clauses.order_by(OrderClause.position))
        assert [c.level for c in clauses] == [0, 1]
        assert order.annexes.count() == 1
    page = client.get(f"/orders/{order_id}").get_data(as_text=True)
    assert "Об утверждении плана мониторинга" in page and "Зарегистрировать" in page


def test_row_buttons_change_rows_without_saving(login_as):
    client = login_as("centre")
    added = client.post("/orders/new", data=dict(FORM, action="add:clauses"), headers=HX)
    body = added.get_data(as_text=True)
    assert added.status_code == 200
    assert body.lstrip().startswith('<form id="order-form"') and "<html" not in body
    assert body.count('id="clause-') == 3
    moved = client.post("/orders/new", data=dict(FORM, action="up:clauses:1"))
    page = moved.get_data(as_text=True)
    assert "<html" in page  # without htmx: the whole page, same form
    assert page.index("представить отчёты;") < page.index("Утвердить план мониторинга.")
    removed = client.post("/orders/new", data=dict(FORM, action="remove:clauses:0"), headers=HX)
    assert removed.get_data(as_text=True).count('id="clause-') == 1
    annex = client.post("/orders/new", data=dict(FORM, action="remove:annexes:0"), headers=HX)
    assert 'id="annex-' not in annex.get_data(as_text=True)
    with db.connection_context():
        assert Order.select().count() == 0


@pytest.mark.parametrize("field,value,message", [
    ("heading", "Об утверждении плана.", "Заголовок пишется без точки в конце."),
    ("heading", "", "Заполните это поле."),
    ("clauses-0-text", "", "Заполните это поле."),
    ("order_date", "31.02.2026", "Неверное значение даты."),
    ("order_date", "1800-01-01", "Укажите дату между 2000 и 2100 годом."),
    ("signer_name", "я" * 201, "Не длиннее 200 символов."),
    ("clauses-0-level", "7", ""),
])
def test_invalid_order_is_422_and_keeps_typing(login_as, field, value, message):
    client = login_as("centre")
    response = client.post("/orders/new", data=dict(FORM, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    if message:
        assert message in page
    assert "представить отчёты;" in page
    with db.connection_context():
        assert Order.select().count() == 0


def test_preview_is_marked_as_draft(login_as):
    client = login_as("department")
    order_id = _create(client)
    response = client.get(f"/orders/{order_id}/preview.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    text = _text(response.data)
    assert "ПРОЕКТ" in text and "Об утверждении плана мониторинга" in text


def test_register_numbers_serially_and_locks_the_draft(login_as):
    client = login_as("department")
    first, second = _create(client), _create(client, heading="О втором")
    assert client.post(f"/orders/{first}/register").status_code == 303
    assert client.post(f"/orders/{second}/register").status_code == 303
    with db.connection_context():
        numbers = [Order.get_by_id(i).document.number for i in (first, second)]
        document = Order.get_by_id(first).document
        from blueprints.documents.storage import FileStorage
        data = FileStorage(client.application.config["STORAGE_DIR"]).get(document.sha256)
    assert numbers == ["1", "2"]
    text = _text(data)
    for requisite in ("ПРИКАЗ", "ПРИКАЗЫВАЮ:", "01.09.2026", "№ 1", "М.Е. Волков",
                      "1. Утвердить план мониторинга.",
                      "1.1. представить отчёты; ответственный — руководители ОО, срок — до "
                      "15.09.2026.",
                      "Приложение\nк приказу муниципального бюджетного общеобразовательного",
                      "от 01.09.2026 № 1", "Сбор данных ВПР"):
        assert requisite in text
    assert "ПРОЕКТ" not in text
    assert client.get(f"/orders/{first}/edit").status_code == 403
    assert client.post(f"/orders/{first}/register").status_code == 403
    assert client.post(f"/orders/{first}/delete").status_code == 403


def test_concurrent_edits_do_not_overwrite(login_as, app):
    client = login_as("centre")
    order_id = _create(client)
    other = login_as("centre", organization=client.user.organization_id)
    form_a = client.get(f"/orders/{order_id}/edit").get_data(as_text=True)
    version = form_a.split('name="version" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"/orders/{order_id}/edit",
                       data=dict(FORM, version=version, heading="О версии А")).status_code == 303
    late = other.post(f"/orders/{order_id}/edit", data=dict(FORM, version=version,
                                                            heading="О версии Б"))
    assert late.status_code == 409
    assert "О версии Б" in late.get_data(as_text=True)  # the late typist's text is still shown
    with db.connection_context():
        assert Order.get_by_id(order_id).heading == "О версии А"


def test_another_organisation_cannot_edit(login_as):
    author = login_as("department")
    order_id = _create(author)
    stranger = login_as("centre")
    assert stranger.get(f"/orders/{order_id}").status_code == 200
    assert stranger.get(f"/orders/{order_id}/edit").status_code == 403
    assert login_as("school").get(f"/orders/{order_id}").status_code == 403


def test_delete_draft(login_as):
    client = login_as("centre")
    order_id = _create(client)
    assert "Да, удалить" in client.get(f"/orders/{order_id}/delete").get_data(as_text=True)
    assert client.post(f"/orders/{order_id}/delete").status_code == 303
    with db.connection_context():
        assert Order.select().count() == 0 and GeneratedDocument.select().count() == 0


def test_more_clauses_than_accepted_are_refused_with_a_message_never_dropped(login_as):
    client = login_as("department")
    data = {k: v for k, v in FORM.items() if not k.startswith("clauses-")}
    for i in range(200):
        data.update({f"clauses-{i}-level": "0", f"clauses-{i}-text": f"Пункт {i + 1}.",
                     f"clauses-{i}-executor": "", f"clauses-{i}-deadline": ""})
    with db.connection_context():
        before = Order.select().count()
    response = client.post("/orders/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "В форме 200 пунктов, а принимается не больше 100" in page
    with db.connection_context():
        assert Order.select().count() == before  # nothing saved, nothing cut
    data = {k: v for k, v in data.items()
            if not k.startswith("clauses-") or int(k.split("-")[1]) < 100}
    assert client.post("/orders/new", data=data).status_code == 303  # 100 are accepted
