"""Meetings: councils and members, the meeting form with its rows, the protocol and its extract,
registration numbers, access."""
import io
import itertools
from datetime import date

import docx
import pytest
from docx.shared import Pt

from blueprints.documents import registry
from blueprints.documents.storage import FileStorage
from blueprints.meetings import services
from blueprints.meetings.documents import ATTENDANCE_LIST_AFTER
from models import (AgendaItem, Body, BodyMember, Decision, GeneratedDocument, Meeting,
                    MeetingAttendee, MeetingGuest, Organization, db)

from .conftest import HX, db_fingerprint

_serial = itertools.count(1)
MEMBERS = [("Смирнова Людмила Аркадьевна", "директор МБУ «Центр развития образования»", "chair"),
           ("Белова Наталья Сергеевна", "методист", "secretary"),
           ("Волков Михаил Евгеньевич", "начальник управления образования", "deputy"),
           ("Макарова Ольга Николаевна", "директор МБОУ «СОШ № 1»", "member")]


# --- factories (also used by the access matrix and the CSRF suite) -----------------------------

def create_body(organization=None, members=MEMBERS):
    """A council of a (new) centre with the members given as (full name, job, role)."""
    with db.connection_context():
        if organization is None:
            n = next(_serial)
            organization = Organization.create(
                kind="centre", full_name=f"Муниципальное бюджетное учреждение «Центр № {n}»",
                short_name=f"МБУ «Центр № {n}»", municipality="Новоречинский район").id
        body = Body.create(organization=organization, name="Координационный совет",
                           name_genitive="координационного совета")
        for full_name, job_title, role in members:
            BodyMember.create(body=body, full_name=full_name, job_title=job_title, role=role)
    return body


def create_member(body=None):
    body = body or create_body(members=[])
    with db.connection_context():
        return BodyMember.create(body=body, full_name="Новиков Олег Петрович", role="member")


def _ids(body_id):
    with db.connection_context():
        return {m.role: m.id for m in BodyMember.select().where(BodyMember.body == body_id)}


def create_meeting(body=None, on=date(2026, 10, 15)):
    """A draft meeting, ready to register: one agenda item with a decision."""
    body = body or create_body()
    ids = _ids(body.id)
    with db.connection_context():
        everyone = [m.id for m in BodyMember.select().where(BodyMember.body == body.id)]
        return services.save_meeting({
            "meeting_date": on, "place": "г. Новоречинск", "chair": ids["chair"],
            "secretary": ids["secretary"], "attendees": everyone, "guests": [],
            "items": [{"title": "О плане работы", "speaker": "", "heard": "Белову Н.С.",
                       "spoke": "", "votes_for": None, "votes_against": None,
                       "votes_abstained": None,
                       "decisions": [{"text": "Утвердить план.", "executor": "",
                                      "deadline": ""}]}],
            "version": ""}, body.id, None)


# --- helpers -----------------------------------------------------------------------------------

def meeting_form(ids, **changes):
    """A valid posted meeting form: 4 present, a guest, two items, three decisions."""
    data = {
        "meeting_date": "2026-10-15", "place": "г. Новоречинск",
        "chair": str(ids["chair"]), "secretary": str(ids["secretary"]),
        "attendees": [str(ids["deputy"]), str(ids["member"])],
        "guests-0-full_name": "Орлова Елена Викторовна", "guests-0-job_title": "завуч СОШ № 1",
        "items-0-title": "Об итогах ВПР", "items-0-speaker": "Смирнова Л.А., директор",
        "items-0-heard": "Смирнову Л.А. — доля отметок «2» снизилась.\nВторой абзац доклада.",
        "items-0-spoke": "Макарова О.Н. предложила методический день.",
        "items-0-votes_for": "3", "items-0-votes_against": "1", "items-0-votes_abstained": "0",
        "items-0-decisions-0-text": "Информацию принять к сведению.",
        "items-0-decisions-0-executor": "", "items-0-decisions-0-deadline": "",
        "items-0-decisions-1-text": "Провести методический день по математике.",
        "items-0-decisions-1-executor": "Центр развития образования",
        "items-0-decisions-1-deadline": "до 20.11.2026",
        "items-1-title": "О наставничестве", "items-1-speaker": "Волков М.Е.",
        "items-1-heard": "Волкова М.Е. — о парах школ.", "items-1-spoke": "",
        "items-1-votes_for": "", "items-1-votes_against": "", "items-1-votes_abstained": "",
        "items-1-decisions-0-text": "Одобрить перечень пар школ.",
        "items-1-decisions-0-executor": "руководители ОО",
        "items-1-decisions-0-deadline": "до 01.12.2026",
        "version": "",
    }
    data.update(changes)
    return data


def docx_text(data):
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts).replace("\xa0", " ")  # non-breaking spaces read as spaces


@pytest.fixture
def council(login_as):
    """A centre user's client and a council of that centre with four members."""
    client = login_as("centre")
    body = create_body(client.user.organization_id)
    return client, body, _ids(body.id)


def _create(client, body, ids, **changes):
    response = client.post(f"/meetings/bodies/{body.id}/meetings/new",
                           data=meeting_form(ids, **changes))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _count(model):
    with db.connection_context():
        return model.select().count()


# --- councils and members ----------------------------------------------------------------------

def test_body_and_member_crud(login_as):
    client = login_as("centre")
    org = client.user.organization_id
    assert client.post("/meetings/bodies/new", data={"organization": org, "name": ""}
                       ).status_code == 422
    school = login_as("school").user.organization_id  # a school keeps no council
    for bad in (school, 999999, "x"):
        assert client.post("/meetings/bodies/new", data={"organization": bad, "name": "Совет"}
                           ).status_code == 422
    response = client.post("/meetings/bodies/new", data={
        "organization": org, "name": "Методический совет", "name_genitive": ""})
    assert response.status_code == 303
    body_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/meetings/bodies/{body_id}").get_data(as_text=True)
    assert "«заседания методического совета»" in page  # the genitive was guessed

    url = f"/meetings/bodies/{body_id}/members/new"
    for name, role in (("Смирнова Людмила Аркадьевна", "chair"),
                       ("Белова Наталья Сергеевна", "secretary")):
        assert client.post(url, data={"full_name": name, "job_title": "методист", "role": role,
                                      "is_active": "y"}).status_code == 303
    second = client.post(url, data={"full_name": "Иванов Иван Иванович", "role": "chair",
                                    "is_active": "y"})
    assert second.status_code == 422
    assert "Председатель уже есть: Смирнова Людмила Аркадьевна" in second.get_data(as_text=True)
    assert client.post(url, data={"full_name": "", "role": "member"}).status_code == 422
    assert client.post(url, data={"full_name": "Иванов Иван Иванович", "role": "boss",
                                  "is_active": "y"}).status_code == 422
    assert client.post(url, data={"full_name": "Иванов Иван Иванович", "role": "member",
                                  "is_active": "y"}).status_code == 303
    with db.connection_context():
        ivanov = BodyMember.get(BodyMember.full_name == "Иванов Иван Иванович")
    assert client.post(f"/meetings/members/{ivanov.id}/edit", data={
        "full_name": "Иванов Иван Иванович", "job_title": "директор", "role": "deputy",
        "is_active": "y"}).status_code == 303
    with db.connection_context():
        assert BodyMember.get_by_id(ivanov.id).role == "deputy"
    assert client.post(f"/meetings/members/{ivanov.id}/delete").status_code == 303
    assert _count(BodyMember) == 2

    assert client.post(f"/meetings/bodies/{body_id}/edit", data={
        "organization": org, "name": "Методический совет района",
        "name_genitive": "методического совета района"}).status_code == 303
    with db.connection_context():
        assert Body.get_by_id(body_id).name_genitive == "методического совета района"
    assert client.post(f"/meetings/bodies/{body_id}/delete").status_code == 303
    assert _count(Body) == 0 and _count(BodyMember) == 0


@pytest.mark.parametrize("name,genitive", [
    ("Координационный совет по повышению качества образования",
     "координационного совета по повышению качества образования"),
    ("Методический совет", "методического совета"),
    ("Управляющий совет", "управляющего совета"),
    ("Рабочая группа", "рабочей группы"),
    ("Экспертная комиссия", "экспертной комиссии"),
    ("Общее собрание работников", "общего собрания работников"),
    ("Совет директоров", "совета директоров"),
    ("Коллегия", "коллегии"),
])
def test_genitive_guess(name, genitive):
    assert services.guess_genitive(name) == genitive


def test_used_member_is_kept_and_can_be_marked_as_left(council):
    client, body, ids = council
    meeting_id = _create(client, body, ids)
    member = ids["member"]
    response = client.post(f"/meetings/members/{member}/delete", follow_redirects=True)
    assert "упоминается в заседаниях" in response.get_data(as_text=True)
    assert client.post(f"/meetings/members/{member}/edit", data={
        "full_name": "Макарова Ольга Николаевна", "role": "member"}).status_code == 303
    new_form = client.get(f"/meetings/bodies/{body.id}/meetings/new").get_data(as_text=True)
    assert "Макарова Ольга Николаевна" not in new_form  # left: not offered for new meetings
    old_form = client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    assert "Макарова Ольга Николаевна" in old_form  # but still on the meeting she attended
    assert client.post(f"/meetings/bodies/{body.id}/delete").status_code == 303
    with db.connection_context():
        assert Body.get_or_none(Body.id == body.id) is not None  # a body with meetings stays


# --- the meeting form --------------------------------------------------------------------------

def test_create_and_edit_meeting(council):
    client, body, ids = council
    new_form = client.get(f"/meetings/bodies/{body.id}/meetings/new").get_data(as_text=True)
    assert new_form.count('checked') == 4  # every active member is ticked
    meeting_id = _create(client, body, ids)
    with db.connection_context():
        meeting = Meeting.get_by_id(meeting_id)
        present = {a.member_id for a in meeting.attendees}
        items = list(meeting.items.order_by(AgendaItem.position))
        assert present == set(ids.values())  # chair and secretary counted as present
        assert [i.title for i in items] == ["Об итогах ВПР", "О наставничестве"]
        assert (items[0].votes_for, items[0].votes_against, items[0].votes_abstained) == (3, 1, 0)
        assert items[1].votes_for is None
        assert [d.text for d in items[0].decisions.order_by(Decision.position)] == [
            "Информацию принять к сведению.", "Провести методический день по математике."]
        assert meeting.guests.count() == 1
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Об итогах ВПР" in page and "1.2. Провести методический день" in page
    assert "Зарегистрировать протокол" in page

    edit = client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    version = edit.split('name="version" type="hidden" value="')[1].split('"')[0]
    changed = meeting_form(ids, version=version, **{"items-1-title": "О парах школ"})
    del changed["guests-0-full_name"], changed["guests-0-job_title"]
    assert client.post(f"/meetings/{meeting_id}/edit", data=changed).status_code == 303
    with db.connection_context():
        assert AgendaItem.get(AgendaItem.position == 1).title == "О парах школ"
        assert MeetingGuest.select().count() == 0
        assert AgendaItem.select().count() == 2 and Decision.select().count() == 3
    late = client.post(f"/meetings/{meeting_id}/edit", data=dict(changed, **{
        "items-0-title": "Опоздавшая правка"}))
    assert late.status_code == 409
    assert "Опоздавшая правка" in late.get_data(as_text=True)


@pytest.mark.parametrize("field,value,message", [
    ("items-0-votes_for", "1001", "Число от 0 до 1000."),
    ("items-0-votes_against", "-1", "Число от 0 до 1000."),
    ("items-0-votes_abstained", "много", ""),
    ("items-0-votes_for", "99999999999999999999", ""),
    ("items-0-votes_for", "4", "Голосов (5) больше, чем присутствовало членов (4)."),
    ("items-0-title", "", "Заполните это поле."),
    ("items-1-decisions-0-text", "", "Заполните это поле."),
    ("items-0-title", "я" * 1001, "Не длиннее 1000 символов."),
    ("meeting_date", "", "Укажите дату."),
    ("meeting_date", "31.02.2026", "Неверное значение даты."),
    ("meeting_date", "2026-02-30", "Неверное значение даты."),
    ("meeting_date", "1800-01-01", "Укажите дату между 2000 и 2100 годом."),
    ("chair", "", "Выберите председателя."),
    ("chair", "999999", ""),
    ("attendees", ["999999"], ""),
    ("place", "Новоречинск\x00", "управляющие символы"),
])
def test_invalid_meeting_is_422_and_keeps_typing(council, field, value, message):
    client, body, ids = council
    response = client.post(f"/meetings/bodies/{body.id}/meetings/new",
                           data=meeting_form(ids, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Проверьте поля, отмеченные красным." in page
    if message:
        assert message in page
    assert "Провести методический день по математике." in page  # nothing typed is lost
    assert _count(Meeting) == 0


def test_chair_and_secretary_differ(council):
    client, body, ids = council
    response = client.post(f"/meetings/bodies/{body.id}/meetings/new",
                           data=meeting_form(ids, secretary=str(ids["chair"])))
    assert response.status_code == 422
    assert "Председатель и секретарь — разные люди." in response.get_data(as_text=True)


def test_member_of_another_body_cannot_be_chosen(council):
    client, body, ids = council
    stranger = create_member()
    response = client.post(f"/meetings/bodies/{body.id}/meetings/new",
                           data=meeting_form(ids, attendees=[str(stranger.id)]))
    assert response.status_code == 422 and _count(Meeting) == 0


# --- row buttons: htmx fragment or full page, never saved ---------------------------------------

def _act(client, url, ids, action, hx=True, **changes):
    response = client.post(url, data=meeting_form(ids, action=action, **changes),
                           headers=HX if hx else {})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_row_buttons_change_rows_without_saving(council):
    client, body, ids = council
    url = f"/meetings/bodies/{body.id}/meetings/new"
    before = db_fingerprint()

    added = _act(client, url, ids, "add:items")
    assert added.lstrip().startswith('<form id="meeting-form"') and "<html" not in added
    assert added.count('id="item-') == 3
    assert "Провести методический день по математике." in added  # typed text kept

    moved = _act(client, url, ids, "up:items:1", hx=False)
    assert "<html" in moved  # without htmx: the whole page with the same form
    assert moved.index("О наставничестве") < moved.index("Об итогах ВПР")
    down = _act(client, url, ids, "down:items:0")
    assert down.index("О наставничестве") < down.index("Об итогах ВПР")

    removed = _act(client, url, ids, "remove:items:0")
    assert removed.count('id="item-') == 1 and "Об итогах ВПР" not in removed

    decision = _act(client, url, ids, "add:decisions:1")
    assert decision.count('id="decision-1-') == 2
    swapped = _act(client, url, ids, "down:decisions:0:0", hx=False)
    assert swapped.index("Провести методический день") < swapped.index("принять к сведению")
    dropped = _act(client, url, ids, "remove:decisions:0:1")
    assert dropped.count('id="decision-0-') == 1
    assert "Провести методический день по математике." not in dropped

    guests = _act(client, url, ids, "add:guests")
    assert guests.count('id="guest-') == 2
    assert "Приглашённых нет." in _act(client, url, ids, "remove:guests:0")

    # Row buttons do not validate: a half-typed form is re-rendered, not refused.
    half = _act(client, url, ids, "add:items", **{"items-0-votes_for": "5000",
                                                   "items-0-title": ""})
    assert half.count('id="item-') == 3 and "is-invalid" not in half
    # A bad index or an unknown action changes nothing and never fails.
    assert _act(client, url, ids, "remove:items:99").count('id="item-') == 2
    assert _act(client, url, ids, "up:decisions:7:0").count('id="item-') == 2
    assert db_fingerprint() == before


def test_row_buttons_on_the_edit_form_save_nothing(council):
    client, body, ids = council
    meeting_id = _create(client, body, ids)
    before = db_fingerprint()
    page = _act(client, f"/meetings/{meeting_id}/edit", ids, "remove:items:1")
    assert page.count('id="item-') == 1
    assert db_fingerprint() == before


# --- the protocol and its extract --------------------------------------------------------------

def test_protocol_docx_has_every_requisite(council):
    client, body, ids = council
    meeting_id = _create(client, body, ids)
    response = client.get(f"/meetings/{meeting_id}/protocol.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    text = docx_text(response.data)
    for requisite in (
            "ПРОЕКТ", "ПРОТОКОЛ", "15.10.2026", "№ ______", "г. Новоречинск",
            "заседания координационного совета",
            "Председатель — Смирнова Л.А., директор МБУ «Центр развития образования»",
            "Секретарь — Белова Н.С., методист", "Присутствовали:",
            "Волков М.Е., начальник управления образования;", "Приглашённые:",
            "Орлова Е.В., завуч СОШ № 1.", "ПОВЕСТКА ДНЯ:", "1. Об итогах ВПР",
            "Докладчик — Смирнова Л.А., директор.", "2. О наставничестве",
            "1. СЛУШАЛИ:", "Второй абзац доклада.", "ВЫСТУПИЛИ:", "ПОСТАНОВИЛИ:",
            "1.1. Информацию принять к сведению.",
            "1.2. Провести методический день по математике; ответственный — Центр развития "
            "образования, срок — до 20.11.2026.",
            "2.1. Одобрить перечень пар школ; ответственный — руководители ОО, срок — до "
            "01.12.2026.",
            "Голосовали: за — 3, против — 1, воздержались — 0.", "2. СЛУШАЛИ:",
            "Л.А. Смирнова", "Н.С. Белова"):
        assert requisite in text, requisite
    assert text.count("Голосовали:") == 1  # item 2 had no vote
    assert text.count("ВЫСТУПИЛИ:") == 1
    assert "список прилагается" not in text


def test_many_members_are_counted_and_listed_in_an_annex(login_as):
    client = login_as("centre")
    many = MEMBERS + [(f"Участникова Мария Петровна {n}", f"директор школы № {n}", "member")
                      for n in range(ATTENDANCE_LIST_AFTER)]
    body = create_body(client.user.organization_id, members=many)
    meeting = create_meeting(body)
    text = docx_text(client.get(f"/meetings/{meeting.id}/protocol.docx").data)
    present = len(many)
    assert f"Присутствовали: {present} человек (список прилагается)." in text
    assert "Список присутствовавших на заседании" in text
    assert "Участникова Мария Петровна 14" in text and "директор школы № 14" in text
    assert "Приложение\nк протоколу заседания\n" in text and "\nот 15.10.2026 № ____" in text


def test_extract_has_only_its_item(council):
    client, body, ids = council
    meeting_id = _create(client, body, ids)
    response = client.get(f"/meetings/{meeting_id}/items/2/extract.docx")
    assert response.status_code == 200
    text = docx_text(response.data)
    for requisite in ("ВЫПИСКА ИЗ ПРОТОКОЛА", "ПРОЕКТ", "заседания координационного совета",
                      "Присутствовали: 4 человека.", "2. О наставничестве", "2. СЛУШАЛИ:",
                      "ПОСТАНОВИЛИ:", "2.1. Одобрить перечень пар школ; ответственный — "
                      "руководители ОО, срок — до 01.12.2026.", "Выписка верна",
                      "Н.С. Белова", "Л.А. Смирнова", date.today().strftime("%d.%m.%Y")):
        assert requisite in text, requisite
    for other in ("Об итогах ВПР", "Информацию принять к сведению", "ПОВЕСТКА ДНЯ",
                  "Голосовали"):
        assert other not in text
    assert client.get(f"/meetings/{meeting_id}/items/3/extract.docx").status_code == 404
    assert client.get(f"/meetings/{meeting_id}/items/0/extract.docx").status_code == 404


@pytest.mark.parametrize("key", ["protocol", "protocol_extract"])
def test_templates_follow_gost_page_setup(key):
    document = docx.Document(registry.get_doctype(key).template_path)
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert round(normal.paragraph_format.first_line_indent.cm, 2) == 1.25
    assert section.different_first_page_header_footer and "PAGE" in section.header._element.xml


# --- registration ------------------------------------------------------------------------------

def _stored(client, document):
    return FileStorage(client.application.config["STORAGE_DIR"]).get(document.sha256)


def test_registration_numbers_protocols_in_order_and_locks_them(council):
    client, body, ids = council
    first = _create(client, body, ids)
    second = _create(client, body, ids, meeting_date="2026-11-12")
    assert client.post(f"/meetings/{first}/register").status_code == 303
    assert client.post(f"/meetings/{second}/register").status_code == 303
    with db.connection_context():
        documents = [Meeting.get_by_id(i).document for i in (first, second)]
    assert [d.number for d in documents] == ["1", "2"]
    assert [d.status for d in documents] == ["registered", "registered"]
    assert documents[1].registered_on == date(2026, 11, 12)  # the protocol is dated by the meeting
    text = docx_text(_stored(client, documents[0]))
    assert "№ 1" in text and "ПРОЕКТ" not in text and "1.2. Провести методический день" in text

    page = client.get(f"/meetings/{first}").get_data(as_text=True)
    assert "протокол № 1" in page and f"/documents/{documents[0].id}" in page
    download = client.get(f"/meetings/{first}/protocol.docx")
    assert download.status_code == 302 and download.headers["Location"].endswith(
        f"/documents/{documents[0].id}/docx")
    extract = docx_text(client.get(f"/meetings/{first}/items/1/extract.docx").data)
    assert "№ 1" in extract and "ПРОЕКТ" not in extract

    before = db_fingerprint()
    assert client.get(f"/meetings/{first}/edit").status_code == 403
    assert client.post(f"/meetings/{first}/edit", data=meeting_form(ids)).status_code == 403
    assert client.post(f"/meetings/{first}/delete").status_code == 403
    again = client.post(f"/meetings/{first}/register", follow_redirects=True)
    assert "Протокол уже зарегистрирован." in again.get_data(as_text=True)
    assert db_fingerprint() == before


def test_a_protocol_without_decisions_is_not_registered(council):
    client, body, ids = council
    data = {k: v for k, v in meeting_form(ids).items() if not k.startswith("items-1-decisions")}
    response = client.post(f"/meetings/bodies/{body.id}/meetings/new", data=data)
    assert response.status_code == 303  # a draft may wait for its decisions
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = client.post(f"/meetings/{meeting_id}/register", follow_redirects=True)
    assert "По вопросу 2 нет решения (ПОСТАНОВИЛИ)." in response.get_data(as_text=True)
    with db.connection_context():
        assert Meeting.get_by_id(meeting_id).document is None
        assert GeneratedDocument.select().count() == 0


def test_demo_protocol_is_registered_and_published(app):
    from blueprints.core.demo import load_demo
    with app.app_context(), db.connection_context():
        load_demo()
        document = GeneratedDocument.get(GeneratedDocument.doctype == "protocol")
        meeting = Meeting.get(Meeting.document == document.id)
        assert document.status == "published" and document.number == "1"
        assert meeting.items.count() == 3 and MeetingAttendee.select().count() == 7
    text = docx_text(FileStorage(app.config["STORAGE_DIR"]).get(document.sha256))
    assert "Координационного" not in text and "заседания координационного совета по " \
        "повышению качества образования" in text
    assert "Голосовали: за — 6, против — 0, воздержались — 1." in text


# --- access ------------------------------------------------------------------------------------

def test_school_cannot_see_meetings(login_as):
    meeting = create_meeting()
    client = login_as("school")
    for url in ("/meetings/", "/meetings/bodies/", f"/meetings/bodies/{meeting.body_id}",
                f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/protocol.docx",
                f"/meetings/{meeting.id}/items/1/extract.docx"):
        assert client.get(url).status_code == 403, url


def test_department_reads_but_cannot_edit(login_as):
    meeting = create_meeting()
    body_id = meeting.body_id
    client = login_as("department")
    for url in ("/meetings/", "/meetings/bodies/", f"/meetings/bodies/{body_id}",
                f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/protocol.docx",
                f"/meetings/{meeting.id}/items/1/extract.docx"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Зарегистрировать протокол" not in page and "Изменить" not in page
    ids = _ids(body_id)
    before = db_fingerprint()
    for url, data in ((f"/meetings/bodies/{body_id}/meetings/new", meeting_form(ids)),
                      (f"/meetings/{meeting.id}/edit", meeting_form(ids)),
                      (f"/meetings/{meeting.id}/register", {}),
                      (f"/meetings/{meeting.id}/delete", {}),
                      ("/meetings/bodies/new", {"name": "Совет"}),
                      (f"/meetings/bodies/{body_id}/members/new", {"full_name": "Х"}),
                      (f"/meetings/members/{ids['member']}/delete", {})):
        assert client.post(url, data=data).status_code == 403, url
    assert db_fingerprint() == before


def test_missing_ids_are_404(login_as):
    client = login_as("centre")
    for url in ("/meetings/999999", "/meetings/bodies/999999", "/meetings/members/999999/edit",
                "/meetings/99999999999999999999", "/meetings/999999/items/1/extract.docx"):
        assert client.get(url).status_code == 404, url
