"""Demo: three pairs of the current school year. Лицей № 4 and СОШ № 2 have confirmed,
registered and signed their agreement and carry out the plan (half done, with evidence);
Гимназия № 3 confirmed its side and awaits СОШ № 1 (school1); СОШ № 7 and ООШ № 6 are a
proposal awaiting the order."""
import io
from datetime import date

from PIL import Image, ImageDraw

from models import GeneratedDocument, Organization, User, year_bounds

from . import agreement, execution, pairs, scans
from .documents import partnerships_order

# (leader, partner) by short name; directions
DEMO_PAIRS = [
    ("МБОУ «Лицей № 4»", "МБОУ «СОШ № 2»", ["consulting", "lesson_visits", "mentoring"]),
    ("МБОУ «Гимназия № 3»", "МБОУ «СОШ № 1»", ["consulting", "joint_mo", "student_events"]),
    ("МБОУ «СОШ № 7»", "МБОУ «ООШ № 6»", ["consulting", "resources"]),
]
# (month offset from September, event, form, leader's, partner's responsible, result)
PLAN = [
    (0, "Анализ результатов ВПР и ГИА школы-партнёра", "совместное совещание",
     "заместитель директора по УВР", "заместитель директора по УВР",
     "выявлены проблемные темы по математике и русскому языку"),
    (1, "Взаимопосещение уроков математики в 5–7 классах", "взаимопосещение",
     "руководитель МО математики", "учителя математики", "10 уроков, анализ и рекомендации"),
    (2, "Закрепление наставников за молодыми учителями школы-партнёра", "наставничество",
     "заместитель директора по НМР", "директор", "приказы о наставничестве, планы наставников"),
    (4, "Совместное заседание методических объединений учителей начальных классов",
     "методическое объединение", "руководитель МО", "руководитель МО",
     "протокол, обмен практиками формирующего оценивания"),
    (6, "Консультации по подготовке к ОГЭ по математике", "консультирование",
     "учитель математики высшей категории", "учителя математики 9 классов",
     "график консультаций, доля «2» на пробном ОГЭ ниже 15 %"),
    (8, "Итоговый семинар по результатам взаимодействия", "семинар",
     "директор", "директор", "аналитическая справка, план на следующий год"),
]
MONTHS = ["сентябрь", "октябрь", "ноябрь", "декабрь", "январь", "февраль", "март", "апрель",
          "май"]


def _deadline(year, offset):
    month = MONTHS[offset]
    return f"{month} {year + 1 if offset >= 4 else year} г."


def _scan_pages():
    """Two page images standing in for the scan of the signed agreement."""
    pages = []
    for number in (1, 2):
        image = Image.new("RGB", (620, 877), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((40, 40, 580, 837), outline="black")
        draw.text((60, 60), f"Agreement scan, page {number}", fill="black")
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        pages.append((f"скан-{number}.png", buffer.getvalue()))
    return pages


def load_demo_partnerships():
    year = pairs.current_year()
    centre = User.get(User.login == "centre")
    department = User.get(User.login == "department")
    orgs = {o.short_name: o for o in Organization.select()}
    created = pairs.create_pairs(year, [(orgs[lead].id, orgs[part].id, directions, None)
                                        for lead, part, directions in DEMO_PAIRS], centre)
    signed, awaiting, _ = created
    issuer = department.organization
    order = partnerships_order(issuer.full_name, year_bounds(year)[0].replace(day=10), year,
                               signer_position=issuer.head_position,
                               signer_name=issuer.head_name, place="г. Новоречинск",
                               executor_note="Белова Наталья Сергеевна, 8 (39145) 2-11-22")
    approval = pairs.approve_pairs([signed, awaiting], order, department, issuer.id)
    pairs.publish_approval(approval)  # on the site: both schools may cite it as evidence
    for pair in (signed, awaiting):
        pair = type(pair).get_by_id(pair.id)
        for offset, title, form, lead, part, result in PLAN:
            agreement.add_row(pair, {"title": title, "form": form,
                                     "deadline_text": _deadline(year, offset),
                                     "leader_responsible": lead, "partner_responsible": part,
                                     "expected_result": result}, centre)
    leaders = {pair.id: User.get(User.login == login) for pair, login in
               ((signed, "leader2"), (awaiting, "leader1"))}
    # Гимназия № 3 confirmed; СОШ № 1 (school1) is asked to.
    agreement.confirm(awaiting, "leader", leaders[awaiting.id],
                      type(awaiting).get_by_id(awaiting.id).version)
    # Лицей № 4 and СОШ № 2 both confirmed: registered, signed, half the plan done.
    version = type(signed).get_by_id(signed.id).version
    agreement.confirm(signed, "leader", leaders[signed.id], version)
    agreement.confirm(signed, "partner", User.get(User.login == "school2"), version)
    signed = type(signed).get_by_id(signed.id)
    scans.attach(signed, _scan_pages(), 20 * 1024 * 1024)
    _half_done(signed, leaders[signed.id])


def _half_done(pair, leader_user):
    """The rows whose deadline has passed are done, each with its evidence."""
    order = GeneratedDocument.get_by_id(pair.approval_id)
    today = date.today()
    for index, row in enumerate(execution.rows_of(pair)):
        if row.ends_on is None or row.ends_on >= today:
            continue
        execution.mark(row, leader_user, True, row.ends_on, "Проведено, материалы у "
                       "координатора.", row.version)
        if index == 0:
            execution.add_evidence(row, leader_user, pair.leader_id, document=order)
        else:
            execution.add_evidence(row, leader_user, pair.leader_id,
                                   url="https://novorech-edu.example.ru/partnership",
                                   title="Материалы на сайте школы-лидера")
