"""Demo: the centre's coordinating council, its members and one held meeting whose protocol
is registered and published (so /docs shows a protocol on first start)."""
from datetime import date

from models import Body, Meeting, Organization, User

from ..documents import api as documents
from . import services

COUNCIL = "Координационный совет по повышению качества образования"
# full name, position, role in the council
MEMBERS = [
    ("Смирнова Людмила Аркадьевна", "директор МБУ «Центр развития образования»", "chair"),
    ("Волков Михаил Евгеньевич", "начальник управления образования", "deputy"),
    ("Белова Наталья Сергеевна", "методист МБУ «Центр развития образования»", "secretary"),
    ("Гущин Андрей Петрович", "главный специалист управления образования", "member"),
    ("Макарова Ольга Николаевна", "директор МБОУ «СОШ № 1»", "member"),
    ("Тимофеев Сергей Иванович", "директор МБОУ «СОШ № 2»", "member"),
    ("Лебедева Анна Михайловна", "директор МБОУ «Гимназия № 3»", "member"),
    ("Никитин Алексей Юрьевич", "директор МБОУ «Лицей № 4»", "member"),
]
ABSENT = {"Никитин Алексей Юрьевич"}


def _decision(text, executor="", deadline=""):
    return {"text": text, "executor": executor, "deadline": deadline}


def _item(title, speaker, heard, decisions, votes, spoke=""):
    yes, no, abstained = votes
    return {"title": title, "speaker": speaker, "heard": heard, "spoke": spoke,
            "votes_for": yes, "votes_against": no, "votes_abstained": abstained,
            "decisions": decisions}


AGENDA = [
    _item("Об итогах всероссийских проверочных работ весной 2026 года в школах с низкими "
          "образовательными результатами",
          "Смирнова Л.А., директор МБУ «Центр развития образования»",
          "Смирнову Л.А. — доля работ с отметкой «2» в школах с низкими образовательными "
          "результатами снизилась с 31 % до 24 %; в СОШ № 2 и Малиновской ООШ доля по "
          "математике остаётся выше 30 %.",
          [_decision("Информацию принять к сведению."),
           _decision("Провести методический день для учителей математики школ с низкими "
                     "образовательными результатами.",
                     "МБУ «Центр развития образования»", "до 20.11.2026"),
           _decision("Включить СОШ № 2 и Малиновскую ООШ в график кураторских визитов.",
                     "Белова Н.С.", "до 01.11.2026")],
          (7, 0, 0),
          spoke="Макарова О.Н. предложила закрепить за школами наставников из числа учителей "
                "гимназии № 3 и лицея № 4."),
    _item("О закреплении школ-наставников за школами с низкими образовательными результатами",
          "Волков М.Е., начальник управления образования",
          "Волкова М.Е. — о проекте перечня пар «школа-наставник — школа-партнёр» на "
          "2026/2027 учебный год.",
          [_decision("Одобрить перечень пар школ, представленный управлением образования."),
           _decision("Заключить соглашения о сотрудничестве между школами пар.",
                     "руководители ОО", "до 01.12.2026")],
          (6, 0, 1)),
    _item("О плане заседаний координационного совета на 2026/2027 учебный год",
          "Белова Н.С., методист МБУ «Центр развития образования»",
          "Белову Н.С. — о проекте плана заседаний (один раз в квартал).",
          [_decision("Утвердить план заседаний на 2026/2027 учебный год.")],
          (7, 0, 0)),
]


def load_demo_meetings():
    centre = Organization.get(Organization.kind == "centre")
    author = User.get(User.login == "centre")
    body = services.save_body({"organization": centre.id, "name": COUNCIL, "name_genitive": ""})
    members = {name: services.save_member(
        {"full_name": name, "job_title": job, "role": role, "is_active": True}, body)
        for name, job, role in MEMBERS}
    by_role = {m.role: m.id for m in members.values()}
    meeting = services.save_meeting({
        "meeting_date": date(2026, 10, 15), "place": "г. Новоречинск",
        "chair": by_role["chair"], "secretary": by_role["secretary"],
        "attendees": [m.id for name, m in members.items() if name not in ABSENT],
        "guests": [{"full_name": "Орлова Елена Викторовна",
                    "job_title": "заместитель директора по УВР МБОУ «СОШ № 1»"}],
        "items": AGENDA, "version": ""}, body.id, author.id)
    document = services.register_meeting(Meeting.get_by_id(meeting.id), author.id)
    documents.publish(document)
    return Body.get_by_id(body.id)
