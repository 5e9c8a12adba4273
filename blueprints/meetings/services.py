"""Council and meeting writes; the meeting as plain data for its protocol; registration."""
import re

from models import (AgendaItem, Body, BodyMember, Decision, Meeting, MeetingAttendee,
                    MeetingGuest, db, now)

from ..documents import api as documents


class InUse(Exception):
    """The record is referenced by meetings; the message says what to do instead."""


class EditConflict(Exception):
    """Someone saved the meeting after this form was opened."""


class NotEditable(Exception):
    """A meeting with a registered protocol never changes."""


class NotReady(Exception):
    """The meeting lacks something a protocol needs; the message names it."""


# --- councils and members --------------------------------------------------------------------

_PREPOSITIONS = {"по", "при", "для", "в", "во", "на", "о", "об", "с", "со", "от", "у"}
_ADJECTIVE = re.compile(r"(ый|ий|ой|ая|яя|ое|ее)$")


def _adjective_genitive(word):
    stem, ending = word[:-2], word[-2:]
    if ending in ("ая", "яя"):
        return stem + ("ей" if ending == "яя" or stem[-1:] in "жшщчц" else "ой")
    soft = ending in ("ий", "ее") and stem[-1:] not in "гкх"
    return stem + ("его" if soft else "ого")


def _noun_genitive(word):
    for ending, replacement in (("ия", "ии"), ("ие", "ия"), ("ь", "и"), ("я", "и"), ("а", "ы")):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if replacement == "ы" and stem[-1:] in "гкхжшщч":
                replacement = "и"
            return stem + replacement
    return word + "а" if re.search(r"[бвгджзклмнпрстфхцчшщ]$", word) else word


def guess_genitive(name):
    """«Координационный совет по …» → «координационного совета по …».

    Declines the leading adjectives and the first noun, keeps the rest; a guess the user
    can correct, for the common names of councils, commissions and groups.
    """
    words, out = name.split(), []
    for index, word in enumerate(words):
        lower = word.lower()
        if lower in _PREPOSITIONS or not re.fullmatch(r"[а-яё-]+", lower) or word.isupper():
            out += words[index:]
            break
        if _ADJECTIVE.search(lower) and index + 1 < len(words):
            out.append(_adjective_genitive(lower))
            continue
        out.append(_noun_genitive(lower))
        out += words[index + 1:]
        break
    return " ".join(out)


def save_body(data, body=None):
    body = body or Body()
    body.organization = data["organization"]
    body.name = data["name"]
    body.name_genitive = data["name_genitive"] or guess_genitive(data["name"])
    with db.atomic():
        body.save()
    return body


def delete_body(body):
    with db.atomic():
        if Meeting.select().where(Meeting.body == body.id).exists():
            raise InUse("Нельзя удалить: у совета есть заседания.")
        body.delete_instance(recursive=True)


def save_member(data, body, member=None):
    member = member or BodyMember(body=body)
    for name in ("full_name", "job_title", "role"):
        setattr(member, name, data[name] or "")
    member.is_active = bool(data["is_active"])
    with db.atomic():
        member.save()
    return member


def delete_member(member):
    with db.atomic():
        if member.is_used():
            raise InUse("Нельзя удалить: человек упоминается в заседаниях. Снимите отметку "
                        "«Входит в состав» — в прошлых протоколах он останется.")
        member.delete_instance()


# --- meetings ---------------------------------------------------------------------------------

def meeting_members(body, meeting=None):
    """Members a meeting form offers: the active ones and whoever the meeting already names."""
    named = set()
    if meeting is not None:
        named = {meeting.chair_id, meeting.secretary_id} | {
            a.member_id for a in meeting.attendees}
    query = BodyMember.select().where((BodyMember.body == body.id) & (
        (BodyMember.is_active == True) | BodyMember.id.in_(list(named - {None}))))  # noqa: E712
    return BodyMember.ordered(query)


def form_data(meeting):
    """A saved meeting as MeetingForm data."""
    items = []
    for item in meeting.items.order_by(AgendaItem.position):
        items.append({
            "title": item.title, "speaker": item.speaker, "heard": item.heard,
            "spoke": item.spoke, "votes_for": item.votes_for,
            "votes_against": item.votes_against, "votes_abstained": item.votes_abstained,
            "decisions": [{"text": d.text, "executor": d.executor, "deadline": d.deadline}
                          for d in item.decisions.order_by(Decision.position)]})
    return {
        "meeting_date": meeting.meeting_date, "place": meeting.place,
        "chair": meeting.chair_id, "secretary": meeting.secretary_id,
        "attendees": [a.member_id for a in meeting.attendees],
        "guests": [{"full_name": g.full_name, "job_title": g.job_title}
                   for g in meeting.guests.order_by(MeetingGuest.position)],
        "items": items, "version": str(meeting.version),
    }


def save_meeting(data, body, author, meeting=None):
    """Create or update a draft meeting with all its rows from validated MeetingForm data.

    The chair and the secretary are always among those present.
    """
    values = {"meeting_date": data["meeting_date"], "place": data["place"] or "",
              "chair": data["chair"], "secretary": data["secretary"]}
    present = {*data["attendees"], data["chair"], data["secretary"]} - {None}
    with db.atomic():
        if meeting is None:
            meeting = Meeting.create(body=body, created_by=author, **values)
        else:
            updated = Meeting.update(**values, updated_at=now(), version=Meeting.version + 1).where(
                (Meeting.id == meeting.id) & (Meeting.version == int(data["version"] or 0))
                & Meeting.document.is_null()).execute()
            if not updated:
                raise EditConflict()
            MeetingAttendee.delete().where(MeetingAttendee.meeting == meeting.id).execute()
            MeetingGuest.delete().where(MeetingGuest.meeting == meeting.id).execute()
            # Rows are rewritten from the form; decisions first, then their items.
            items = AgendaItem.select(AgendaItem.id).where(AgendaItem.meeting == meeting.id)
            Decision.delete().where(Decision.item.in_(items)).execute()
            AgendaItem.delete().where(AgendaItem.meeting == meeting.id).execute()
        for member in sorted(present):
            MeetingAttendee.create(meeting=meeting.id, member=member)
        for position, guest in enumerate(data["guests"]):
            MeetingGuest.create(meeting=meeting.id, position=position,
                                full_name=guest["full_name"], job_title=guest["job_title"] or "")
        for position, row in enumerate(data["items"]):
            item = AgendaItem.create(
                meeting=meeting.id, position=position, title=row["title"],
                speaker=row["speaker"] or "", heard=row["heard"] or "", spoke=row["spoke"] or "",
                votes_for=row["votes_for"], votes_against=row["votes_against"],
                votes_abstained=row["votes_abstained"])
            for number, decision in enumerate(row["decisions"]):
                Decision.create(item=item.id, position=number, text=decision["text"],
                                executor=decision["executor"] or "",
                                deadline=decision["deadline"] or "")
    return Meeting.get_by_id(meeting.id)


def check_ready(meeting):
    """A protocol needs a chair, a secretary, and agenda items that each have a decision."""
    if meeting.chair_id is None or meeting.secretary_id is None:
        raise NotReady("Укажите председателя и секретаря заседания.")
    items = list(meeting.items.order_by(AgendaItem.position))
    if not items:
        raise NotReady("В повестке дня нет вопросов.")
    for number, item in enumerate(items, start=1):
        if not item.decisions.exists():
            raise NotReady(f"По вопросу {number} нет решения (ПОСТАНОВИЛИ).")


def register_meeting(meeting, author):
    """Register the protocol: its number is the next of the «protocol» series for the year
    of the meeting; the meeting is locked."""
    if not meeting.is_draft:
        raise NotEditable()
    check_ready(meeting)
    with db.atomic():
        document = documents.register(
            # The register shows «Протокол заседания № …» beside the title: name the body.
            "protocol", meeting, title=meeting.body.name, on_date=meeting.meeting_date,
            author=author, organization=meeting.body.organization_id,
            source=("meeting", meeting.id))
        locked = Meeting.update(document=document, updated_at=now()).where(
            (Meeting.id == meeting.id) & Meeting.document.is_null()).execute()
        if not locked:  # registered by someone else a moment ago: undo ours
            raise NotEditable()
    return document


def delete_meeting(meeting):
    if not meeting.is_draft:
        raise NotEditable()
    with db.atomic():
        meeting.delete_instance(recursive=True)
