"""School programmes: the form, autosave, conflicts, the review workflow, approval and
publication, access, and the documents."""
import io
import json
import re
import zipfile

from datetime import date

import pytest


from models import (GeneratedDocument, Organization, Programme, ProgrammeComment, ProgrammeRevision,
                    ProgrammeSection, db)

from .conftest import HX, db_fingerprint

SECTION_DATA = {
    "passport": {"title": "Программа повышения качества образования Школы на 2026–2028 годы",
                 "school_name": "МБОУ «Школа»", "basis": "Приказ управления от 15.01.2026 № 12",
                 "developers": "Рабочая группа", "executors": "Педагогический коллектив",
                 "period_start": "2026", "period_end": "2028", "stages": "I этап — 2026",
                 "head": "Директор Иванова И.И.", "contacts": "8 (39145) 2-33-44"},
    "info": {"general": "Сельская школа.", "students": "212", "teachers": "19"},
    "analysis": {"results": "Доля «2» на ВПР — 34 %.", "strengths": "Коллектив",
                 "weaknesses": "Кадры", "opportunities": "Партнёр", "threats": "Отток",
                 "risks": ["2", "10"]},
    "goals": {"goal": "Повысить качество образования.",
              "tasks-0-text": "Восполнить дефицит учителей.", "tasks-0-risks": ["2"],
              "tasks-1-text": "Повысить мотивацию.", "tasks-1-risks": ["10"]},
    "indicators": {"indicators-0-code": "VPR-LOW", "indicators-0-unit": "%",
                   "indicators-0-baseline": "34,5", "indicators-0-baseline_year": "2025",
                   "indicators-0-targets-0": "30", "indicators-0-targets-1": "27",
                   "indicators-0-targets-2": "24,5", "indicators-0-source": "ВПР",
                   "indicators-0-responsible": "Завуч",
                   "indicators-1-name": "Доля победителей олимпиад", "indicators-1-unit": "%",
                   "indicators-1-baseline": "1", "indicators-1-baseline_year": "2025",
                   "indicators-1-targets-0": "2", "indicators-1-targets-1": "3",
                   "indicators-1-targets-2": "4"},
    "activities": {"activities-0-task": "1", "activities-0-title": "Семинар для учителей",
                   "activities-0-start": "2026-10-01", "activities-0-end": "2026-11-30",
                   "activities-0-responsible": "Завуч",
                   "activities-1-task": "2", "activities-1-title": "Родительские собрания",
                   "activities-1-deadline": "ежемесячно", "activities-1-responsible": "Классные"},
    "resources": {"staff": "Учителя", "equipment": "Кабинет", "information": "Сайт",
                  "finance-0-item": "Курсы", "finance-0-amount": "60 000",
                  "finance-0-source": "Бюджет"},
    "mechanism": {"implementation": "Рабочая группа", "monitoring": "Два раза в год"},
    "risks": {"risks-0-risk": "Уход педагогов", "risks-0-mitigation": "Наставничество"},
    "results": {"results": "Доля «2» на ВПР — до 20 %"},
}


def version_of(page, name="version"):
    return re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def save(client, pid, key, data=None, **extra):
    """Post a section as the browser does: the page's version and token plus the values."""
    page = client.get(f"/programmes/{pid}/{key}").get_data(as_text=True)
    form = {"version": version_of(page), "token": version_of(page, "token")}
    form.update(SECTION_DATA[key] if data is None else data)
    form.update(extra)
    return client.post(f"/programmes/{pid}/{key}", data=form)


def create_programme(app, user, status="draft"):
    """A programme of `user`'s school made by the service, in `status`."""
    from blueprints.programmes import services
    with app.app_context(), db.connection_context():
        school = Organization.get_by_id(user.organization_id)
        programme = services.create_programme(school, user.id, 2026)
        Programme.update(status=status, revision=1).where(Programme.id == programme.id).execute()
        return Programme.get_by_id(programme.id)


def create_comment(app, user):
    """An open comment on a programme returned to `user`'s school."""
    programme = create_programme(app, user, status="returned")
    with db.connection_context():
        return ProgrammeComment.create(programme=programme, section="goals", field="goal",
                                       text="Уточните цель.", revision=1)


def create_approval(app, user):
    """A registered approval order that approved one programme of `user`'s school."""
    from blueprints.documents import api as documents
    from blueprints.programmes.documents import approval_order, sample_programme
    programme = create_programme(app, user, status="approved")
    order = approval_order("Управление образования", date(2026, 10, 1), "Начальник", "Волков М.Е.")
    with app.app_context(), db.connection_context():
        document = documents.register(
            "order_programmes_approval", plain={"order": order, "programmes": [sample_programme()]},
            title=order["heading"], on_date=date(2026, 10, 1))
        Programme.update(approval=document).where(Programme.id == programme.id).execute()
        return document


def new_programme(client):
    response = client.post("/programmes/new", data={"period_start": "2026"})
    assert response.status_code == 303
    return int(re.search(r"/programmes/(\d+)/passport", response.location).group(1))


def fill(client, pid):
    for key in SECTION_DATA:
        response = save(client, pid, key)
        assert response.status_code == 303, (key, response.get_data(as_text=True)[:3000])


@pytest.fixture
def school(login_as, make_org):
    org = make_org(kind="school", head_name="Иванова Ирина Ивановна", head_position="Директор",
                   phone="8 (39145) 2-33-44", address="663000, с. Заречное, ул. Школьная, 1")
    return login_as("school", organization=org)


def stored(pid, key):
    with db.connection_context():
        return ProgrammeSection.get((ProgrammeSection.programme == pid)
                                    & (ProgrammeSection.key == key))


def test_new_programme_prefills_the_passport_from_the_directory(school):
    pid = new_programme(school)
    page = school.get(f"/programmes/{pid}/passport").get_data(as_text=True)
    assert "Иванова Ирина Ивановна" in page and "8 (39145) 2-33-44" in page
    with db.connection_context():
        programme = Programme.get_by_id(pid)
    assert (programme.period_start, programme.period_end, programme.status) == (2026, 2028, "draft")
    assert programme.school_id == school.user.organization_id


def test_full_workflow_from_empty_form_to_published_documents(school, login_as, make_org, http):
    pid = new_programme(school)
    fill(school, pid)
    assert school.post(f"/programmes/{pid}/submit").status_code == 303
    # Submitted: the school can no longer change it.
    locked = school.post(f"/programmes/{pid}/goals", data={"version": "1", "goal": "Иначе"})
    assert locked.status_code == 403
    assert "изменять её нельзя" in locked.get_data(as_text=True)

    centre = login_as("centre")
    assert "Школа" in centre.get("/programmes/").get_data(as_text=True)
    response = centre.post(f"/programmes/{pid}/comments", data={
        "section": "goals", "field": "tasks-1-text", "text": "Уточните, как измерить мотивацию."})
    assert response.status_code == 303
    assert centre.post(f"/programmes/{pid}/return").status_code == 303
    with db.connection_context():
        assert Programme.get_by_id(pid).status == "returned"
        comment = ProgrammeComment.get(ProgrammeComment.programme == pid)

    # The school sees the comment next to the field, answers it, fixes the text, resubmits.
    page = school.get(f"/programmes/{pid}/goals").get_data(as_text=True)
    assert "Уточните, как измерить мотивацию." in page
    assert page.index("Уточните, как измерить") > page.index('name="tasks-1-text"')
    assert school.post(f"/programmes/comments/{comment.id}/answer",
                       data={"answer": "Добавили анкету"}).status_code == 303
    data = dict(SECTION_DATA["goals"], **{"tasks-1-text": "Повысить мотивацию (анкета)."})
    assert save(school, pid, "goals", data).status_code == 303
    assert school.post(f"/programmes/{pid}/submit").status_code == 303

    # The centre sees what changed between the two submissions, field by field.
    diff = centre.get(f"/programmes/{pid}/compare").get_data(as_text=True)
    assert "Задача 2 — Задача" in diff and "Повысить мотивацию (анкета)." in diff
    assert "Цель программы" not in diff  # unchanged fields are not listed
    assert centre.post(f"/programmes/{pid}/agree").status_code == 303

    department_org = make_org(kind="department", full_name="Управление образования "
                              "администрации Новоречинского района", head_name="Волков М.Е.")
    department = login_as("department", organization=department_org)
    page = department.get("/programmes/approve").get_data(as_text=True)
    assert f'value="{pid}"' in page
    response = department.post("/programmes/approve", data={
        "programmes": [str(pid)], "order_date": "2026-10-01",
        "heading": "Об утверждении программ повышения качества образования",
        "signer_position": "Начальник управления", "signer_name": "Волков Михаил Евгеньевич"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with db.connection_context():
        programme = Programme.get_by_id(pid)
        order = GeneratedDocument.get_by_id(programme.approval_id)
        own = GeneratedDocument.get_by_id(programme.document_id)
    assert programme.status == "approved"
    order_text = docx_text(department.get(f"/documents/{order.id}/docx").data)
    assert "Программа повышения качества образования Школы на 2026–2028 годы" in order_text
    programme_text = docx_text(school.get(f"/programmes/{pid}/programme.docx").data)
    # the stamp's number line never wraps: non-breaking spaces
    assert f"от\u00a0{order.registered_on:%d.%m.%Y}\u00a0№\u00a0{order.number}" in programme_text
    assert "ПРОЕКТ" not in programme_text

    assert department.post(f"/programmes/approvals/{order.id}/publish").status_code == 303
    with db.connection_context():
        assert Programme.get_by_id(pid).status == "published"
        assert GeneratedDocument.get_by_id(own.id).status == "published"
    public = http.get("/docs").get_data(as_text=True)
    assert "Программа повышения качества образования Школы" in public
    assert "Об утверждении программ" in public
    with db.connection_context():
        assert ProgrammeRevision.select().where(ProgrammeRevision.programme == pid).count() == 2


def docx_text(data):
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))


def test_required_fields_are_checked_only_at_submission(school):
    pid = new_programme(school)
    # An almost empty section saves without complaint…
    assert save(school, pid, "goals", {"goal": "Цель"}).status_code == 303
    # …and the submission lists what is missing, section by section, with links to fields.
    response = school.post(f"/programmes/{pid}/submit")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2. Информационная справка о школе" in page and "Число обучающихся" in page
    assert f"/programmes/{pid}/goals?check=1#tasks-0-text" in page
    with db.connection_context():
        assert Programme.get_by_id(pid).status == "draft"
    checked = school.get(f"/programmes/{pid}/goals?check=1").get_data(as_text=True)
    assert "Заполните это поле." in checked


@pytest.mark.parametrize("key, data, message", [
    ("info", {"students": "-5"}, "Введите число от 0 до 10000."),
    ("info", {"students": "много"}, "Неверное целое число."),
    ("passport", {"period_start": "2026", "period_end": "2024"}, "не может быть раньше"),
    ("indicators", {"indicators-0-unit": "%", "indicators-0-baseline": "140"}, "от 0 до 100"),
    ("indicators", {"indicators-0-baseline_year": "2030"}, "Год базового значения"),
    ("indicators", {"indicators-0-targets-0": "1e999"}, "Число вне допустимого диапазона"),
    ("activities", {"activities-0-start": "2025-05-01"}, "Дата вне срока программы"),
    ("activities", {"activities-0-start": "2026-10-02", "activities-0-end": "2026-10-01"},
     "Окончание раньше начала"),
    ("goals", {"goal": "x" * 2001}, "Не длиннее 2000 символов"),
])
def test_bad_input_is_a_russian_message_next_to_the_field_and_nothing_is_lost(
        school, key, data, message):
    pid = new_programme(school)
    before = stored(pid, key).values
    response = save(school, pid, key, dict(data, **{"results": "черновик"}) if key == "results"
                    else data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    for value in data.values():  # what was typed is still in the form
        assert value[:50] in page
    assert stored(pid, key).values == before


def test_mass_assignment_of_status_school_or_version_changes_nothing(school, make_org):
    pid = new_programme(school)
    other = make_org(kind="school")
    response = save(school, pid, "goals", {"goal": "Цель", "status": "approved",
                                           "school": str(other.id), "school_id": str(other.id)})
    assert response.status_code == 303
    with db.connection_context():
        programme = Programme.get_by_id(pid)
    assert (programme.status, programme.school_id) == ("draft", school.user.organization_id)
    # A forged version is a conflict, never an overwrite.
    forged = school.post(f"/programmes/{pid}/goals", data={"version": "999", "goal": "Чужое"})
    assert forged.status_code == 409
    assert stored(pid, "goals").values["goal"] == "Цель"


def test_another_school_gets_404_and_a_school_cannot_review(school, login_as):
    pid = new_programme(school)
    fill(school, pid)
    other = login_as("school")
    before = db_fingerprint()
    for url in (f"/programmes/{pid}", f"/programmes/{pid}/goals", f"/programmes/{pid}/programme.docx"):
        assert other.get(url).status_code == 404
    for url in (f"/programmes/{pid}/goals", f"/programmes/{pid}/goals/autosave",
                f"/programmes/{pid}/submit"):
        assert other.post(url, data={"goal": "Чужая цель", "version": "1"}).status_code == 404
    assert db_fingerprint() == before
    assert school.post(f"/programmes/{pid}/submit").status_code == 303
    assert school.post(f"/programmes/{pid}/agree").status_code == 403
    with db.connection_context():
        assert Programme.get_by_id(pid).status == "submitted"


def test_concurrent_saves_answer_a_conflict_page_with_both_values(school, make_user, app):
    pid = new_programme(school)
    colleague = app.test_client()
    from .conftest import login
    login(colleague, make_user("school", organization=school.user.organization_id))
    mine = school.get(f"/programmes/{pid}/goals").get_data(as_text=True)
    theirs = colleague.get(f"/programmes/{pid}/goals").get_data(as_text=True)
    first = colleague.post(f"/programmes/{pid}/goals", data={
        "version": version_of(theirs), "token": version_of(theirs, "token"), "goal": "Цель коллеги"})
    assert first.status_code == 303
    second = school.post(f"/programmes/{pid}/goals", data={
        "version": version_of(mine), "token": version_of(mine, "token"), "goal": "Моя цель"})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Моя цель" in page and "Цель коллеги" in page
    assert stored(pid, "goals").values["goal"] == "Цель коллеги"
    # «Keep mine» re-sends the typing against the newer version.
    keep = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert school.post(f"/programmes/{pid}/goals", data=keep).status_code == 303
    assert stored(pid, "goals").values["goal"] == "Моя цель"


def test_autosave_answers_a_fragment_and_the_same_tab_never_conflicts_with_itself(school):
    pid = new_programme(school)
    page = school.get(f"/programmes/{pid}/goals").get_data(as_text=True)
    form = {"version": version_of(page), "token": version_of(page, "token"), "goal": "Первая"}
    first = school.post(f"/programmes/{pid}/goals/autosave", data=form, headers=HX)
    body = first.get_data(as_text=True)
    assert first.status_code == 200 and "Сохранено в" in body and "<html" not in body
    assert 'hx-swap-oob="true"' in body
    # A second autosave from the same tab before the new version arrived: still saved.
    second = school.post(f"/programmes/{pid}/goals/autosave", data=dict(form, goal="Вторая"),
                         headers=HX)
    assert second.status_code == 200
    assert stored(pid, "goals").values["goal"] == "Вторая"
    bad = school.post(f"/programmes/{pid}/info/autosave", data={"students": "x"}, headers=HX)
    assert bad.status_code == 422 and "Раздел не сохранён" in bad.get_data(as_text=True)
    # The full page for a normal request, the fragment for a row button.
    assert "<html" in school.get(f"/programmes/{pid}/goals").get_data(as_text=True)
    rows = school.post(f"/programmes/{pid}/goals", data=dict(form, action="add:tasks"),
                       headers=HX)
    assert rows.status_code == 200 and "<html" not in rows.get_data(as_text=True)
    assert 'name="tasks-1-text"' in rows.get_data(as_text=True)


def test_typing_an_autosave_could_not_save_comes_back_after_the_tab_is_closed(school,
                                                                              make_user):
    """A section with one wrong field is not saved, but nothing typed is lost: reopening the
    section (a new tab) shows every field as typed, with the error next to the wrong one,
    until a save succeeds. Another user of the school does not get it."""
    pid = new_programme(school)
    page = school.get(f"/programmes/{pid}/info").get_data(as_text=True)
    typed = {"version": version_of(page), "token": version_of(page, "token"),
             "students": "много", "general": "Сельская школа в с. Ключи, основана в 1971 году."}
    assert school.post(f"/programmes/{pid}/info/autosave", data=typed,
                       headers=HX).status_code == 422
    reopened = school.get(f"/programmes/{pid}/info").get_data(as_text=True)
    assert 'id="unsaved"' in reopened
    assert 'value="много"' in reopened and "основана в 1971 году" in reopened
    assert "is-invalid" in reopened
    colleague = make_user("school", organization=school.user.organization_id)
    from .conftest import login
    other = login(school.application.test_client(), colleague)
    assert 'id="unsaved"' not in other.get(f"/programmes/{pid}/info").get_data(as_text=True)
    fixed = dict(typed, students="420")
    assert school.post(f"/programmes/{pid}/info/autosave", data=fixed,
                       headers=HX).status_code == 200
    again = school.get(f"/programmes/{pid}/info").get_data(as_text=True)
    assert 'id="unsaved"' not in again and 'value="420"' in again


def test_row_buttons_add_remove_and_move_rows_without_javascript(school):
    pid = new_programme(school)
    page = school.get(f"/programmes/{pid}/risks").get_data(as_text=True)
    base = {"version": version_of(page), "token": version_of(page, "token"),
            "risks-0-risk": "Первый", "risks-1-risk": "Второй"}
    moved = school.post(f"/programmes/{pid}/risks", data=dict(base, action="up:risks:1"))
    text = moved.get_data(as_text=True)
    assert moved.status_code == 200 and "<html" in text
    assert text.index("Второй") < text.index("Первый")
    removed = school.post(f"/programmes/{pid}/risks", data=dict(base, action="remove:risks:0"))
    assert "Первый" not in removed.get_data(as_text=True)


def test_expired_session_returns_the_form_with_everything_typed(school, app):
    pid = new_programme(school)
    page = school.get(f"/programmes/{pid}/mechanism").get_data(as_text=True)
    from .test_stash import expire_session  # not a logout: an ended session keeps nothing
    expire_session(school, app)
    response = school.post(f"/programmes/{pid}/mechanism", data={
        "version": version_of(page), "implementation": "Длинный текст, набранный час"})
    assert response.status_code in (302, 303)
    assert "/login" in response.location
    from .conftest import login
    login(school, school.user)
    target = re.search(r"next=([^&]+)", response.location).group(1)
    from urllib.parse import unquote
    restored = school.get(unquote(target)).get_data(as_text=True)
    assert "Длинный текст, набранный час" in restored
    assert "Сеанс истёк" in restored
    assert stored(pid, "mechanism").values == {}


def test_programme_document_has_the_school_every_indicator_target_and_activity(school):
    pid = new_programme(school)
    fill(school, pid)
    response = school.get(f"/programmes/{pid}/programme.docx")
    assert response.status_code == 200
    text = docx_text(response.data)
    assert "ПРОЕКТ" in text and "МБОУ «Школа»" in text
    for value in ("34,5 (2025)", "30", "27", "24,5", "Доля победителей олимпиад",
                  "Семинар для учителей", "01.10.2026 – 30.11.2026", "Родительские собрания",
                  "ежемесячно", "2026", "2027", "2028", "ПРИНЯТА", "СОГЛАСОВАНА", "УТВЕРЖДЕНА"):
        assert value in text, value


def test_reference_data_is_seeded_and_editable_by_the_centre(login_as):
    centre = login_as("centre")
    page = centre.get("/programmes/reference").get_data(as_text=True)
    assert "Низкая учебная мотивация обучающихся" in page and "VPR-LOW" in page
    response = centre.post("/programmes/reference/indicators/new", data={
        "code": "new-1", "name": "Новый показатель", "unit": "%", "direction": "up",
        "is_active": "y"})
    assert response.status_code == 303
    assert "new-1" in centre.get("/programmes/reference").get_data(as_text=True)  # as typed
    duplicate = centre.post("/programmes/reference/indicators/new", data={
        "code": "new-1", "name": "Ещё", "unit": "%", "direction": "up"})
    assert duplicate.status_code == 422 and "Такой код уже есть." in duplicate.get_data(as_text=True)
    school = login_as("school")
    assert school.get("/programmes/reference").status_code == 403


def test_stale_form_token_returns_the_form_with_everything_typed(tmp_path, make_org):
    from .conftest import build_app, csrf_from
    app = build_app(tmp_path, WTF_CSRF_ENABLED=True)
    org = make_org(kind="school")
    from models import User
    with app.app_context(), db.connection_context():
        user = User(login="stale", full_name="Школьная Ш.Ш.", role="school", organization=org)
        user.set_password("pass-pass-1")
        user.save()
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"login": "stale", "password": "pass-pass-1", "csrf_token": token})
    pid = create_programme(app, user).id
    page = client.get(f"/programmes/{pid}/mechanism").get_data(as_text=True)
    response = client.post(f"/programmes/{pid}/mechanism", data={
        "csrf_token": "expired", "version": version_of(page), "monitoring": "Набранный текст"})
    assert response.status_code == 303 and "?restore=" in response.location
    restored = client.get(response.location).get_data(as_text=True)
    assert "Набранный текст" in restored
    assert stored(pid, "mechanism").values == {}
    # Saving again from the restored page works.
    again = client.post(f"/programmes/{pid}/mechanism", data={
        "csrf_token": csrf_from(restored), "version": version_of(restored),
        "token": version_of(restored, "token"), "monitoring": "Набранный текст"})
    assert again.status_code == 303
    assert stored(pid, "mechanism").values["monitoring"] == "Набранный текст"
