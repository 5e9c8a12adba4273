"""Defects found when the app was walked as each role would use it (issue 13, part 6): empty
states that explain, plain Russian instead of technical words, titles that tell documents
apart."""
from models import GeneratedDocument, db

from .test_register import make_document  # noqa: F401 (a fixture)


def test_school_register_without_filters_explains_instead_of_blaming_the_search(login_as):
    page = login_as("school").get("/documents/").get_data(as_text=True)
    assert "Измените условия поиска" not in page
    assert "В реестре пока нет документов вашей школы" in page


def test_register_with_filters_says_nothing_matched(login_as):
    page = login_as("centre").get("/documents/", query_string={"q": "несуществующее"}).get_data(
        as_text=True)
    assert "По этим условиям документов не найдено" in page and "покажите все документы" in page


def test_public_list_empty_and_filtered_states(http):
    assert "Документы ещё не опубликованы" in http.get("/docs/").get_data(as_text=True)
    page = http.get("/docs/", query_string={"q": "несуществующее"}).get_data(as_text=True)
    assert "По этим условиям документов не найдено" in page


def test_repeated_titles_on_the_public_list_carry_number_and_date(app, http, make_document,
                                                                  make_org):
    organization = make_org(kind="centre").id
    first = make_document(organization, title="Протокол заседания методического совета",
                          status="published")
    make_document(organization, title="Протокол заседания методического совета",
                  status="published")
    single = make_document(organization, title="Об итогах мониторинга", status="published")
    page = http.get("/docs/").get_data(as_text=True)
    with db.connection_context():
        number = GeneratedDocument.get_by_id(first.id).number
    assert f"Протокол заседания методического совета № {number} от" in page
    assert f"Об итогах мониторинга</a>" in page.replace("\n", "") or \
        "Об итогах мониторинга</a>" in page
    assert single.title == "Об итогах мониторинга"


def test_document_page_speaks_plain_russian_and_folds_the_checksum(login_as, make_document,
                                                                   make_org):
    client = login_as("centre")
    document = make_document(make_org().id)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "SHA-256 файла" not in page and "встроенный" not in page
    assert "стандартный бланк Опоры" in page
    assert "<summary>Технические сведения (для проверки подлинности файла)</summary>" in page
    public = client.get("/orders/new").get_data(as_text=True)
    assert "Преамбула" not in public and "Вступительная часть (основание приказа)" in public


def test_public_footer_says_subscribe_not_atom(http):
    page = http.get("/docs/").get_data(as_text=True)
    assert "Лента Atom" not in page and "Подписаться на новые документы" in page


def test_every_register_entry_says_the_next_step_and_who_takes_it(login_as, make_document,
                                                                  make_org):
    department = login_as("department")
    document = make_document(department.user.organization_id)
    page = department.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "публикация на сайте: её выполняет методический центр" in page
    assert "публикация на сайте: её выполняет методический центр" in department.get(
        "/documents/").get_data(as_text=True)
    centre = login_as("centre")
    page = centre.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Следующий шаг: опубликовать на сайте" in page


def test_publishing_asks_first_and_says_what_happens(login_as, make_document, make_org):
    centre = login_as("centre")
    document = make_document(make_org().id)
    page = centre.get(f"/documents/{document.id}/publish").get_data(as_text=True)
    assert "Опубликовать «" in page and "сразу появится в разделе «Документы» на сайте" in page
    with db.connection_context():
        assert GeneratedDocument.get_by_id(document.id).status == "registered"
    assert centre.post(f"/documents/{document.id}/publish").status_code == 303
    with db.connection_context():
        assert GeneratedDocument.get_by_id(document.id).status == "published"


def test_order_editor_and_page_number_clauses_as_the_document_prints_them(login_as, app):
    from models import Order, OrderClause
    client = login_as("department")
    with db.connection_context():
        order = Order.create(organization=client.user.organization_id, order_date="2026-09-01",
                             heading="О мониторинге", preamble="В целях повышения качества",
                             signer_position="Начальник", signer_name="Волков Михаил Евгеньевич",
                             control_clause="Контроль оставляю за собой.")
        for position, (level, text) in enumerate([(0, "Провести мониторинг"),
                                                  (1, "в 5–9 классах"), (0, "Подвести итоги")]):
            OrderClause.create(order=order, position=position, level=level, text=text)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "В целях повышения качества," in page and "ПРИКАЗЫВАЮ:" in page
    for number in ("1.", "1.1.", "2.", "3."):
        assert f'<span class="me-1">{number}</span>' in page
    form = client.get(f"/orders/{order.id}/edit").get_data(as_text=True)
    assert "Пункт 1<" in form and "Подпункт 1.1<" in form and "Пункт 2<" in form
    assert "Подпункт 2<" not in form and "Пункт 3<" not in form


def test_programme_review_steps_ask_first_and_show_the_open_remarks(app, login_as, make_org):
    from models import Programme

    from .test_programmes import fill, new_programme
    org = make_org(kind="school", head_name="Иванова Ирина Ивановна", head_position="Директор",
                   phone="8 (39145) 2-33-44", address="663000, с. Заречное, ул. Школьная, 1")
    school = login_as("school", organization=org)
    pid = new_programme(school)
    fill(school, pid)
    assert school.post(f"/programmes/{pid}/submit").status_code == 303
    centre = login_as("centre")
    assert centre.post(f"/programmes/{pid}/comments", data={
        "section": "goals", "field": "", "text": "Сделайте цель измеримой."}).status_code == 303
    page = centre.get(f"/programmes/{pid}/agree").get_data(as_text=True)
    assert "Согласовать программу?" in page and "Открытых замечаний: 1" in page
    assert "Сделайте цель измеримой." in page
    assert "Вернуть программу на доработку?" in centre.get(
        f"/programmes/{pid}/return").get_data(as_text=True)
    with db.connection_context():
        assert Programme.get_by_id(pid).status == "submitted"  # asking changed nothing
    assert centre.post(f"/programmes/{pid}/return").status_code == 303
    # The school resubmits without answering: asked first, the remark shown, nothing sent.
    asked = school.post(f"/programmes/{pid}/submit")
    assert asked.status_code == 409 and "Сделайте цель измеримой." in asked.get_data(as_text=True)
    with db.connection_context():
        assert Programme.get_by_id(pid).status == "returned"
    assert school.post(f"/programmes/{pid}/submit", data={"despite": "1"}).status_code == 303
    with db.connection_context():
        assert Programme.get_by_id(pid).status == "submitted"


def test_refreshing_a_submission_address_goes_back_to_the_programme(app, login_as):
    from .test_programmes import create_programme
    school = login_as("school")
    programme = create_programme(app, school.user)
    response = school.get(f"/programmes/{programme.id}/submit")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/programmes/{programme.id}#submit"


def test_a_second_programme_for_the_same_years_leads_to_the_existing_one(app, login_as):
    from models import Programme

    from .test_programmes import create_programme
    school = login_as("school")
    existing = create_programme(app, school.user, status="returned")
    response = school.post("/programmes/new", data={"period_start": str(existing.period_start)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/programmes/{existing.id}"
    with db.connection_context():
        assert Programme.select().where(Programme.school == school.user.organization_id).count() == 1
    page = school.get("/programmes/").get_data(as_text=True)
    assert "Продолжить программу" in page


def test_programme_sidebar_says_what_each_section_still_lacks(app, login_as):
    from .test_programmes import create_programme
    school = login_as("school")
    programme = create_programme(app, school.user)
    page = school.get(f"/programmes/{programme.id}/goals").get_data(as_text=True)
    assert "не заполнено: Цель программы" in page


def test_a_chosen_file_is_kept_even_when_the_kind_still_says_document(app, login_as, make_org):
    import io

    from models import ActivityEvidence

    from .test_roadmaps import create_activity
    centre = login_as("centre")
    activity = create_activity(app, make_org().id)
    form = centre.get(f"/roadmaps/activities/{activity.id}").get_data(as_text=True)
    assert '<option selected value="file">Файл</option>' in form or \
        '<option value="file" selected>Файл</option>' in form
    response = centre.post(f"/roadmaps/activities/{activity.id}/evidence", data={
        "kind": "document", "title": "Акт проверки",
        "file": (io.BytesIO(b"%PDF-1.4 act"), "акт.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 303
    with db.connection_context():
        saved = ActivityEvidence.get(ActivityEvidence.activity == activity.id)
    assert (saved.kind, saved.title, saved.file_size) == ("file", "Акт проверки", 12)


def test_removing_evidence_asks_first(app, login_as, make_org):
    from models import ActivityEvidence

    from .test_roadmaps import create_evidence
    centre = login_as("centre")
    item = create_evidence(app, make_org().id)
    page = centre.get(f"/roadmaps/evidence/{item.id}/delete").get_data(as_text=True)
    assert "Убрать файл «акт.pdf»?" in page and "Да, убрать" in page
    with db.connection_context():
        assert ActivityEvidence.get_or_none(ActivityEvidence.id == item.id) is not None
    assert centre.post(f"/roadmaps/evidence/{item.id}/delete").status_code == 303
    with db.connection_context():
        assert ActivityEvidence.get_or_none(ActivityEvidence.id == item.id) is None


def test_registering_an_order_asks_first(login_as, make_order):
    from models import Order
    client = login_as("department")
    order = make_order(organization=client.user.organization_id)
    page = client.get(f"/orders/{order.id}/register").get_data(as_text=True)
    assert "Зарегистрировать «Об организации мониторинга»?" in page
    with db.connection_context():
        assert Order.get_by_id(order.id).document_id is None
    assert client.post(f"/orders/{order.id}/register").status_code == 303
    with db.connection_context():
        assert Order.get_by_id(order.id).document_id is not None
