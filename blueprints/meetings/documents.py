"""Protocol doctypes: the full protocol of a meeting and the extract of one agenda item.

Both builders read plain data, never ORM objects: `protocol_context` takes the meeting as
described by `meeting_data` (see `sample_meeting`), and `extract_context` takes a protocol
context, so an extract of a registered protocol is cut from its stored snapshot.
"""
from datetime import date

from models import AgendaItem, BodyMember, Decision, MeetingGuest

from ..core.filters import clause_sentence, date_num, fio_short, plural_ru, strip_end
from ..documents.doctype import Doctype

# Above this many members the names go to an attached list, the text gives the count.
ATTENDANCE_LIST_AFTER = 15


def surname_initials(full_name):
    """«Иванов Иван Иванович» → «Иванов И.И.»: the form of lists of people."""
    parts = (full_name or "").split()
    if len(parts) < 2:
        return full_name or ""
    return f"{parts[0]} " + "".join(f"{n[0]}." for n in parts[1:3])


def person_line(person):
    """«Иванов И.И., директор МБОУ «СОШ № 1»»."""
    name = surname_initials(person["full_name"])
    job = (person.get("job_title") or "").strip()
    return f"{name}, {job}" if job else name


def paragraphs(text):
    """User text → paragraphs: a blank line or a line break starts a new one."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def people_count(n):
    return f"{n} {plural_ru(n, 'человек', 'человека', 'человек')}"


def votes_text(votes):
    if not votes:
        return ""
    yes, no, abstained = votes
    return f"за — {yes}, против — {no}, воздержались — {abstained}"


def item_rows(items):
    """Agenda items with their numbered decisions flattened for the template."""
    rows = []
    for index, item in enumerate(items, start=1):
        heard = paragraphs(item.get("heard")) or paragraphs(item.get("speaker"))
        rows.append({
            "number": f"{index}.",
            "title": item["title"],
            "speaker": (item.get("speaker") or "").strip().rstrip("."),
            "heard": heard,
            "spoke": paragraphs(item.get("spoke")),
            # `text` is the whole sentence: «…; ответственный — …, срок — до ….»
            "decisions": [{"number": f"{index}.{sub}.",
                           "text": clause_sentence(d["text"], d.get("executor"),
                                                   d.get("deadline")),
                           "executor": strip_end(d.get("executor")),
                           "deadline": strip_end(d.get("deadline"))}
                          for sub, d in enumerate(item.get("decisions", []), start=1)],
            "votes_text": votes_text(item.get("votes")),
        })
    return rows


def _votes(item):
    """(for, against, abstained) of an AgendaItem; None when no vote was recorded."""
    values = (item.votes_for, item.votes_against, item.votes_abstained)
    return None if all(v is None for v in values) else tuple(v or 0 for v in values)


def _member(member):
    return {"full_name": member.full_name, "job_title": member.job_title} if member else None


def meeting_data(meeting):
    """The Meeting as the plain description protocol_context() reads (see sample_meeting)."""
    body = meeting.body
    others = [a.member for a in meeting.attendees
              if a.member_id not in (meeting.chair_id, meeting.secretary_id)]
    return {
        "organization_name": body.organization.full_name,
        "body_name_genitive": body.name_genitive,
        "meeting_date": meeting.meeting_date,
        "place": meeting.place,
        "chair": _member(meeting.chair),
        "secretary": _member(meeting.secretary),
        "attendees": [_member(m) for m in BodyMember.ordered(others)],
        "guests": [_member(g) for g in meeting.guests.order_by(MeetingGuest.position)],
        "items": [{"title": item.title, "speaker": item.speaker, "heard": item.heard,
                   "spoke": item.spoke, "votes": _votes(item),
                   "decisions": [{"text": d.text, "executor": d.executor,
                                  "deadline": d.deadline}
                                 for d in item.decisions.order_by(Decision.position)]}
                  for item in meeting.items.order_by(AgendaItem.position)],
    }


def extract_data(meeting, item, issued_on):
    """Agenda item `item` (1-based) of the meeting's protocol, certified on `issued_on`: cut
    from the registered snapshot, or from the draft as it stands."""
    if meeting.document is not None:
        protocol = meeting.document.context
    else:
        protocol = protocol_context(meeting_data(meeting))
    return {"protocol": protocol, "item": item, "issued_on": issued_on}


def protocol_context(meeting, number="", on_date=None):
    """Plain data for protocol.docx from a plain description of a meeting (see sample_meeting).

    The date is the meeting's; `on_date` (registration) does not change it.
    """
    # Members are listed in alphabetical order of surname (the chair and secretary first).
    attendees = sorted(meeting["attendees"], key=lambda p: (p["full_name"] or "").lower())
    present = len(attendees) + sum(1 for p in (meeting["chair"], meeting["secretary"]) if p)
    listed = len(attendees) <= ATTENDANCE_LIST_AFTER
    reference = f"от {date_num(meeting['meeting_date'])} № {number or '____'}"
    everyone = [p for p in (meeting["chair"], meeting["secretary"]) if p] + attendees
    return {
        "is_draft": not number,
        "organization_name": meeting["organization_name"],
        "date_text": date_num(meeting["meeting_date"]),
        "number_text": number or "______",
        "place": meeting.get("place", ""),
        "heading": f"заседания {meeting['body_name_genitive']}",
        "chair_line": person_line(meeting["chair"]) if meeting["chair"] else "",
        "secretary_line": person_line(meeting["secretary"]) if meeting["secretary"] else "",
        "attendees": [person_line(p) for p in attendees] if listed else [],
        "attendees_note": "" if listed else f"{people_count(present)} (список прилагается)",
        "present_count": present,
        "guests": [person_line(p) for p in meeting.get("guests", [])],
        "items": item_rows(meeting["items"]),
        "chair_name": fio_short(meeting["chair"]["full_name"]) if meeting["chair"] else "",
        "secretary_name": (fio_short(meeting["secretary"]["full_name"])
                           if meeting["secretary"] else ""),
        "attendance_heading": "" if listed else
        f"Приложение\nк протоколу заседания\n{meeting['body_name_genitive']}\n{reference}",
        "attendance_rows": [] if listed else [
            {"number": f"{i}.", "name": p["full_name"], "job_title": p.get("job_title", "")}
            for i, p in enumerate(everyone, start=1)],
    }


def extract_context(protocol, item_number, on_date=None):
    """Plain data for protocol_extract.docx: agenda item `item_number` (1-based) of a protocol
    context, certified by the secretary on `on_date`."""
    item = protocol["items"][item_number - 1]
    return {
        "is_draft": protocol["is_draft"],
        "organization_name": protocol["organization_name"],
        "date_text": protocol["date_text"],
        "number_text": protocol["number_text"],
        "place": protocol["place"],
        "heading": protocol["heading"],
        "chair_line": protocol["chair_line"],
        "secretary_line": protocol["secretary_line"],
        "present_text": people_count(protocol["present_count"]),
        "item": item,
        "chair_name": protocol["chair_name"],
        "secretary_name": protocol["secretary_name"],
        "issued_text": date_num(on_date or date.today()),
    }


def _person(full_name, job_title):
    return {"full_name": full_name, "job_title": job_title}


def sample_meeting():
    return {
        "organization_name": "Муниципальное бюджетное учреждение «Центр развития образования» "
                             "Новоречинского района",
        "body_name_genitive": "координационного совета по повышению качества образования",
        "meeting_date": date(2026, 10, 15),
        "place": "г. Новоречинск",
        "chair": _person("Смирнова Людмила Аркадьевна",
                         "директор МБУ «Центр развития образования»"),
        "secretary": _person("Белова Наталья Сергеевна",
                             "методист МБУ «Центр развития образования»"),
        "attendees": [
            _person("Волков Михаил Евгеньевич", "начальник управления образования"),
            _person("Макарова Ольга Николаевна", "директор МБОУ «СОШ № 1»"),
            _person("Тимофеев Сергей Иванович", "директор МБОУ «СОШ № 2»"),
            _person("Лебедева Анна Михайловна", "директор МБОУ «Гимназия № 3»"),
        ],
        "guests": [_person("Орлова Елена Викторовна",
                           "заместитель директора по УВР МБОУ «СОШ № 1»")],
        "items": [
            {"title": "Об итогах всероссийских проверочных работ весной 2026 года в школах "
                      "с низкими образовательными результатами",
             "speaker": "Смирнова Л.А., директор МБУ «Центр развития образования»",
             "heard": "Смирнову Л.А. — доля работ с отметкой «2» снизилась с 31 % до 24 %; "
                      "в двух школах доля остаётся выше 30 % по математике.",
             "spoke": "Макарова О.Н. предложила провести методический день по математике.",
             "votes": (6, 0, 0),
             "decisions": [
                 {"text": "Информацию принять к сведению.", "executor": "", "deadline": ""},
                 {"text": "Провести методический день для учителей математики ШНОР и "
                          "школ-наставников.",
                  "executor": "МБУ «Центр развития образования»", "deadline": "до 20.11.2026"},
             ]},
            {"title": "О закреплении школ-наставников за школами с низкими "
                      "образовательными результатами",
             "speaker": "Волков М.Е., начальник управления образования",
             "heard": "Волкова М.Е. — о проекте перечня пар «школа-наставник — школа-партнёр».",
             "spoke": "",
             "votes": (5, 0, 1),
             "decisions": [
                 {"text": "Одобрить перечень пар школ, представленный управлением образования.",
                  "executor": "", "deadline": ""},
                 {"text": "Заключить соглашения о сотрудничестве.",
                  "executor": "руководители ОО", "deadline": "до 01.12.2026"},
             ]},
        ],
    }


PROTOCOL_VARIABLES = {
    "is_draft": "протокол ещё не зарегистрирован: печатается отметка «ПРОЕКТ»",
    "organization_name": "полное наименование организации, при которой действует орган",
    "date_text": "дата заседания 15.10.2026",
    "number_text": "регистрационный номер протокола (в проекте — пустое поле)",
    "place": "место заседания («г. Новоречинск»)",
    "heading": "заголовок «заседания координационного совета …» (родительный падеж)",
    "chair_line": "председатель: «Фамилия И.О., должность»",
    "secretary_line": "секретарь: «Фамилия И.О., должность»",
    "attendees": "присутствовавшие члены (кроме председателя и секретаря), строки "
                 "«Фамилия И.О., должность»; пусто, если список прилагается",
    "attendees_note": "«18 человек (список прилагается)», когда присутствовало больше 15",
    "present_count": "число присутствовавших членов вместе с председателем и секретарём",
    "guests": "приглашённые: строки «Фамилия И.О., должность»",
    "items": "вопросы: number («1.»), title, speaker, heard и spoke (списки абзацев), "
             "decisions (number «1.1.», text, executor, deadline), votes_text",
    "chair_name": "председатель в форме «И.О. Фамилия» (подпись)",
    "secretary_name": "секретарь в форме «И.О. Фамилия» (подпись)",
    "attendance_heading": "отметка «Приложение к протоколу от … № …» над списком "
                          "присутствовавших; пусто, если список не прилагается",
    "attendance_rows": "список присутствовавших: number, name, job_title",
}

PROTOCOL = Doctype(
    key="protocol",
    title="Протокол заседания",
    series="protocol",
    data=meeting_data,
    # Registered plain data carries its number and date; a draft has neither.
    context=lambda plain: protocol_context(plain, plain.get("number", ""), plain.get("on_date")),
    sample=dict(sample_meeting(), number="7", on_date=date(2026, 10, 15)),
    pattern="{n}",
    variables=PROTOCOL_VARIABLES,
)

PROTOCOL_EXTRACT = Doctype(
    key="protocol_extract",
    title="Выписка из протокола",
    data=extract_data,  # (meeting, item=…, issued_on=…)
    context=lambda plain: extract_context(plain["protocol"], plain["item"], plain["issued_on"]),
    sample={"protocol": PROTOCOL.sample_context(), "item": 2, "issued_on": date(2026, 10, 20)},
    # Extracts are copies of a registered protocol and take no number of their own.
    series="protocol_extract",
    pattern="{n}",
    variables={
        **{key: PROTOCOL_VARIABLES[key] for key in (
            "is_draft", "organization_name", "date_text", "number_text", "place", "heading",
            "chair_line", "secretary_line", "chair_name", "secretary_name")},
        "present_text": "число присутствовавших членов: «6 человек»",
        "item": "один вопрос протокола, как элемент items: number, title, speaker, heard, "
                "spoke, decisions, votes_text",
        "issued_text": "дата выдачи выписки 20.10.2026",
    },
)
