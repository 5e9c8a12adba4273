"""The four partnership doctypes: the order approving the list of pairs (order_partnerships),
the agreement (partnership_agreement), its attachment the interaction plan (partnership_plan)
and the report on the plans' execution (partnership_report).

Each `data()` reads what its document needs in a few queries (the organisations of every
pair in one, the plan rows of every pair in one: bulk generation renders 200 agreements and
plans) and returns plain data; each context builder is pure.

The agreement's per-pair fields live in `Partnership.terms` (JSON). Its keys, with the labels
the agreement form and the field-level diff show (TERM_LABELS):

  place               Место заключения соглашения («г. Новоречинск»)
  subject             Предмет соглашения (абзацы, по одному в строке) — пункты 1.1, 1.2…
  directions_extra    Другие направления взаимодействия (по одному в строке), к направлениям
                      пары из справочника
  leader_duties       Обязанности школы-лидера (по одной в строке) — пункты 3.1.1, 3.1.2…
  partner_duties      Обязанности школы-партнёра (по одной в строке) — пункты 3.2.1…
  coordinator_duties  Обязанности координатора (по одной в строке; печатаются, если в паре
                      есть координатор)
  reporting           Порядок взаимодействия и отчётности (по пункту в строке) — раздел 4
  financing           Финансовые условия (по пункту в строке) — раздел 5
  valid_until         Срок действия соглашения, до (дата ISO «2027-08-31»)
  auto_extend         Продление на следующий учебный год, если ни одна из сторон не
                      откажется за 30 дней (true/false; «1», «on», «да» — да)
  leader_basis        Руководитель школы-лидера действует на основании (род. падеж: «Устава»)
  partner_basis       Руководитель школы-партнёра действует на основании
  coordinator_basis   Руководитель координатора действует на основании

A missing or blank key takes its default wording from default_terms(pair) (built from the
pair's directions and schools), so a freshly proposed pair already yields a complete
agreement; a value as typed replaces the default.
"""
from datetime import date, timedelta

from models import (INTERACTION_DIRECTIONS, GeneratedDocument, Organization, PlanRow,
                    school_year, year_bounds)

from ..core.filters import (date_num, date_words, deadline_text, fio_case, fio_short, gender_of,
                            genitive, morph_analyzer, percent, place_of, plural_ru, strip_end)
from ..documents import api
from ..documents.doctype import Doctype
from ..documents.requisites import founder_of

BLANK_DATE = "«___» ____________ 20__ г."
SIGN = "_____________"
PARTY_FIELDS = ("full_name", "short_name", "address", "inn", "kpp", "phone", "email",
                "head_position", "head_name")

TERM_LABELS = {
    "place": "Место заключения соглашения",
    "subject": "Предмет соглашения",
    "directions_extra": "Другие направления взаимодействия",
    "leader_duties": "Обязанности школы-лидера",
    "partner_duties": "Обязанности школы-партнёра",
    "coordinator_duties": "Обязанности координатора",
    "reporting": "Порядок взаимодействия и отчётности",
    "financing": "Финансовые условия",
    "valid_until": "Срок действия соглашения (до)",
    "auto_extend": "Автоматическое продление на следующий учебный год",
    "leader_basis": "Руководитель школы-лидера действует на основании",
    "partner_basis": "Руководитель школы-партнёра действует на основании",
    "coordinator_basis": "Руководитель координатора действует на основании",
}

# What each direction of interaction obliges the leader and the partner to do (section 3).
DIRECTION_DUTIES = {
    "consulting": (
        "проводить консультации для административной команды и педагогов Школы-партнёра по "
        "вопросам организации образовательного процесса и повышения качества образования",
        "определять темы консультаций и обеспечивать участие в них педагогов и "
        "административной команды"),
    "lesson_visits": (
        "организовывать взаимопосещение уроков с последующим их анализом и обсуждением",
        "обеспечивать участие педагогов во взаимопосещении уроков и открытость своих уроков "
        "для педагогов Школы-лидера"),
    "joint_mo": (
        "организовать работу совместных методических объединений учителей-предметников и "
        "участвовать в их заседаниях",
        "обеспечить участие учителей-предметников в работе совместных методических "
        "объединений"),
    "mentoring": (
        "закрепить наставников из числа опытных педагогов за педагогами Школы-партнёра, "
        "нуждающимися в методической поддержке",
        "определить педагогов, нуждающихся в наставничестве, и обеспечить их взаимодействие "
        "с наставниками"),
    "resources": (
        "предоставлять Школе-партнёру методические, информационные и иные ресурсы для "
        "использования в образовательном процессе",
        "использовать предоставленные ресурсы по назначению и обеспечивать их сохранность"),
    "student_events": (
        "проводить совместные мероприятия для обучающихся (олимпиады, конкурсы, проекты) и "
        "приглашать к участию в них обучающихся Школы-партнёра",
        "обеспечивать участие обучающихся в совместных мероприятиях"),
    "training": (
        "проводить для педагогов Школы-партнёра семинары, мастер-классы и стажировки",
        "направлять педагогов на семинары, мастер-классы и стажировки, проводимые "
        "Школой-лидером"),
    "diagnostics": (
        "участвовать в анализе результатов оценочных процедур Школы-партнёра и в подготовке "
        "рекомендаций по их улучшению",
        "предоставлять Школе-лидеру результаты оценочных процедур для совместного анализа"),
}
PLAN_DUTY = "выполнять мероприятия плана взаимодействия в установленные им сроки"
RIGHTS = [
    "запрашивать друг у друга информацию, необходимую для выполнения настоящего соглашения",
    "вносить предложения об изменении плана взаимодействия",
    "привлекать к проведению мероприятий плана взаимодействия других участников по "
    "согласованию со Сторонами",
]
COPIES = {2: "двух", 3: "трёх"}


# --- reading the directory (one query for every organisation needed) ----------------------

def _party(organization):
    return {name: getattr(organization, name) or "" for name in PARTY_FIELDS}


def _organizations(ids):
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {o.id: _party(o) for o in Organization.select().where(Organization.id.in_(ids))}


def _pair_plain(pair, parties):
    return {"period_start": pair.period_start,
            "leader": parties.get(pair.leader_id) or _party(Organization()),
            "partner": parties.get(pair.partner_id) or _party(Organization()),
            "coordinator": parties.get(pair.coordinator_id) if pair.coordinator_id else None,
            "directions": pair.direction_keys}


def _direction_labels(keys):
    return [INTERACTION_DIRECTIONS.get(key, key) for key in keys]


def _name(party):
    return (party or {}).get("short_name") or (party or {}).get("full_name") or ""


# --- terms of the agreement ---------------------------------------------------------------

def _lines(text):
    return [line.strip() for line in str(text or "").replace("\r", "").split("\n")
            if line.strip()]


def _defaults(plain):
    """The default terms of a pair given as plain data (period, parties, direction keys)."""
    start = plain["period_start"]
    year = school_year(start)
    keys = [key for key in plain.get("directions") or [] if key in DIRECTION_DUTIES]
    coordinator = plain.get("coordinator")
    report_to = "Координатору" if coordinator else "в управление образования"
    leader_duties = [PLAN_DUTY] + [DIRECTION_DUTIES[key][0] for key in keys] + [
        "назначить ответственного за организацию взаимодействия со Школой-партнёром",
        "не разглашать персональные данные обучающихся и работников Школы-партнёра, ставшие "
        "известными при выполнении настоящего соглашения"]
    partner_duties = [PLAN_DUTY] + [DIRECTION_DUTIES[key][1] for key in keys] + [
        "назначить ответственного за организацию взаимодействия со Школой-лидером",
        "создавать условия для проведения мероприятий плана взаимодействия на своей базе",
        "учитывать результаты взаимодействия при реализации программы повышения качества "
        "образования"]
    return {
        "place": _place_of(plain["leader"]),
        "subject": "Предметом настоящего соглашения является сотрудничество Сторон по оказанию "
                   "Школой-лидером методической, консультационной и организационной помощи "
                   "Школе-партнёру в целях повышения качества образования и перехода "
                   f"Школы-партнёра в эффективный режим работы в {year} учебном году.",
        "directions_extra": "",
        "leader_duties": "\n".join(leader_duties),
        "partner_duties": "\n".join(partner_duties),
        "coordinator_duties": "\n".join([
            "осуществлять методическое сопровождение взаимодействия Сторон",
            "проводить мониторинг выполнения плана взаимодействия",
            "оказывать Сторонам консультационную помощь в разрешении разногласий"])
        if coordinator else "",
        "reporting": "\n".join([
            "Стороны назначают ответственных за организацию взаимодействия и сообщают друг "
            "другу их контактные данные в течение 10 рабочих дней со дня подписания настоящего "
            "соглашения.",
            "Мероприятия проводятся в сроки, установленные планом взаимодействия. О переносе "
            "мероприятия Сторона сообщает другой Стороне не позднее чем за 5 рабочих дней до "
            "установленного срока.",
            "Стороны отмечают выполнение мероприятий плана взаимодействия в течение 10 рабочих "
            "дней после их проведения с приложением подтверждающих материалов.",
            f"По итогам учебного года Стороны представляют {report_to} информацию о "
            f"реализации плана взаимодействия в срок до {date_words(date(start + 1, 6, 10))}"]),
        "financing": "\n".join([
            "Взаимодействие Сторон по настоящему соглашению осуществляется на безвозмездной "
            "основе и не влечёт финансовых обязательств Сторон.",
            "Каждая Сторона самостоятельно несёт расходы, связанные с выполнением своих "
            "обязательств."]),
        "valid_until": year_bounds(start)[1].isoformat(),
        "auto_extend": True,
        "leader_basis": "Устава",
        "partner_basis": "Устава",
        "coordinator_basis": "Устава" if coordinator else "",
    }


def _place_of(party):
    return place_of((party or {}).get("address", ""))


def _flag(value):
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "off", "no", "нет")
    return bool(value)


def complete_terms(plain, terms=None):
    """The pair's terms with every missing or blank key given its default wording."""
    out = _defaults(plain)
    for key, value in (terms or {}).items():
        if key not in out:
            continue
        if key == "auto_extend":
            out[key] = _flag(value)
        elif key == "valid_until":
            try:
                out[key] = date.fromisoformat(str(value).strip()[:10]).isoformat()
            except ValueError:
                pass  # not a date: the end of the school year stays
        elif str(value or "").strip():
            out[key] = str(value).replace("\r\n", "\n").strip()
    return out


def default_terms(pair):
    """The default terms of a Partnership (what the agreement form pre-fills)."""
    parties = _organizations([pair.leader_id, pair.partner_id, pair.coordinator_id])
    return _defaults(_pair_plain(pair, parties))


# --- the agreement --------------------------------------------------------------------------

def agreement_data(pair):
    """The agreement as plain data: the parties from the directory, the pair's directions and
    its terms as stored (context fills the defaults). Two queries."""
    parties = _organizations([pair.leader_id, pair.partner_id, pair.coordinator_id])
    return dict(_pair_plain(pair, parties), terms=pair.terms_values)


def _named(full_name):
    """«именуемое» (учреждение, управление), «именуемый» (отдел, центр), «именуемая»."""
    morph = morph_analyzer()
    for word in (full_name or "").split():
        if not word.isalpha():
            continue
        parse = next((p for p in morph.parse(word) if p.tag.POS == "NOUN"
                      and "nomn" in p.tag), None)
        if parse is not None:
            return {"masc": "именуемый", "femn": "именуемая"}.get(parse.tag.gender,
                                                                  "именуемое")
    return "именуемое"


def _position_genitive(position):
    """«Директор» → «директора»; «Исполняющий обязанности директора» → «исполняющего
    обязанности директора»."""
    position = (position or "").strip() or "Руководитель"
    words = position.split(" ")
    if len(words) > 1 and words[1].lower() == "обязанности":
        first = genitive(words[0])
        out = " ".join([first] + words[1:])
    else:
        out = genitive(position)
    return out[:1].lower() + out[1:]


def _acting(head_name):
    from petrovich.enums import Gender
    parts = (head_name or "").split()
    return "действующей" if parts and gender_of(parts) == Gender.FEMALE else "действующего"


def party_clause(party, role, basis, side):
    """«МБОУ …, именуемое в дальнейшем «Школа-лидер», в лице директора Ивановой Анны
    Петровны, действующей на основании Устава, с одной стороны»."""
    full = party.get("full_name") or party.get("short_name") or "_______________"
    short = party.get("short_name") or ""
    if short and short != full:
        full = f"{full} ({short})"
    head = (party.get("head_name") or "").strip()
    who = fio_case(head, "genitive") if head else "_______________________"
    text = (f"{full}, {_named(party.get('full_name') or short)} в дальнейшем «{role}», в лице "
            f"{_position_genitive(party.get('head_position'))} {who}, {_acting(head)} на "
            f"основании {basis or 'Устава'}")
    return f"{text}, {side}" if side else text


def _items(lines, prefix, last="."):
    """«3.1.1. проводить …;» … «3.1.5. … .»: a numbered enumeration ending by position."""
    lines = [_lower_first(strip_end(line)) for line in lines]
    lines = [line for line in lines if line]
    return [f"{prefix}{n}. {line}{last if n == len(lines) else ';'}"
            for n, line in enumerate(lines, 1)]


def _lower_first(text):
    """«Проводить …» → «проводить …»; «МБОУ …» and «ВПР …» stay as typed."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _sentences(lines, prefix):
    """«4.1. Текст.» … each a sentence of its own."""
    out = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if line and line[-1] not in ".!?:;":
            line += "."
        out.append(f"{prefix}{n}. {line[:1].upper()}{line[1:]}")
    return out


def _requisites(party, role):
    inn, kpp = party.get("inn") or "", party.get("kpp") or ""
    return {"role": role,
            "name": party.get("full_name") or party.get("short_name") or "",
            "address": party.get("address") or "",
            "inn_kpp": " / ".join(x for x in (inn, kpp) if x),
            "phone": party.get("phone") or "", "email": party.get("email") or "",
            "position": party.get("head_position") or "Руководитель",
            "signature": f"{SIGN} {fio_short(party.get('head_name') or '') or '____________'}"}


def agreement_context(plain):
    number, on_date = plain.get("number") or "", plain.get("on_date")
    terms = complete_terms(plain, plain.get("terms"))
    coordinator = plain.get("coordinator")
    year = school_year(plain["period_start"])
    directions = _direction_labels(plain.get("directions") or []) + _lines(
        terms["directions_extra"])
    parties = [party_clause(plain["leader"], "Школа-лидер", terms["leader_basis"],
                            "с одной стороны"),
               party_clause(plain["partner"], "Школа-партнёр", terms["partner_basis"],
                            "с другой стороны")]
    if coordinator:
        parties.append(party_clause(coordinator, "Координатор", terms["coordinator_basis"],
                                    "с третьей стороны"))
    # «A, и B, вместе именуемые…»; with a coordinator «A, B, и C, …».
    joined = ", ".join(parties[:-1]) + f", и {parties[-1]}"
    parties_text = (f"{joined}, вместе именуемые «Стороны», заключили настоящее соглашение о "
                    "нижеследующем:")

    subject = _sentences(_lines(terms["subject"]), "1.")
    subject.append(f"1.{len(subject) + 1}. Взаимодействие Сторон осуществляется в соответствии "
                   f"с планом взаимодействия на {year} учебный год (приложение к настоящему "
                   "соглашению), согласованным руководителями Сторон.")
    if directions:
        section2 = ["2.1. Стороны осуществляют взаимодействие по следующим направлениям:"] + [
            "– " + item.split(" ", 1)[1] for item in _items(directions, "")]
    else:
        section2 = ["2.1. Направления взаимодействия определяются планом взаимодействия."]
    section2.append("2.2. Мероприятия по каждому направлению, сроки их проведения и "
                    "ответственные определяются планом взаимодействия.")

    section3 = ["3.1. Школа-лидер обязуется:"] + _items(_lines(terms["leader_duties"]), "3.1.")
    section3 += ["3.2. Школа-партнёр обязуется:"] + _items(_lines(terms["partner_duties"]),
                                                            "3.2.")
    rights = 3
    if coordinator and _lines(terms["coordinator_duties"]):
        section3 += ["3.3. Координатор обязуется:"] + _items(
            _lines(terms["coordinator_duties"]), "3.3.")
        rights = 4
    section3 += [f"3.{rights}. Стороны вправе:"] + _items(RIGHTS, f"3.{rights}.")

    until = date.fromisoformat(terms["valid_until"])
    section7 = [f"7.1. Настоящее соглашение вступает в силу со дня его подписания Сторонами и "
                f"действует до {date_words(until)}"]
    if terms["auto_extend"]:
        section7.append("7.2. Если ни одна из Сторон не позднее чем за 30 календарных дней до "
                        "окончания срока действия настоящего соглашения не заявит в письменной "
                        "форме о его прекращении, соглашение считается продлённым на следующий "
                        "учебный год на тех же условиях.")
    else:
        section7.append("7.2. Продление срока действия настоящего соглашения оформляется "
                        "дополнительным соглашением Сторон.")
    copies = 3 if coordinator else 2
    sections = [
        ("1. Предмет соглашения", subject),
        ("2. Направления взаимодействия", section2),
        ("3. Права и обязанности Сторон", section3),
        ("4. Порядок взаимодействия и отчётности",
         _sentences(_lines(terms["reporting"]), "4.")),
        ("5. Финансовые условия", _sentences(_lines(terms["financing"]), "5.")),
        ("6. Ответственность Сторон, порядок разрешения споров", [
            "6.1. Стороны несут ответственность за неисполнение или ненадлежащее исполнение "
            "обязательств по настоящему соглашению в соответствии с законодательством "
            "Российской Федерации.",
            "6.2. Споры и разногласия, возникающие при исполнении настоящего соглашения, "
            "разрешаются путём переговоров" + (" с участием Координатора" if coordinator else "")
            + ", а при недостижении согласия — в порядке, установленном законодательством "
              "Российской Федерации."]),
        ("7. Срок действия соглашения", section7),
        ("8. Изменение и расторжение соглашения", [
            "8.1. Изменения и дополнения к настоящему соглашению оформляются дополнительными "
            "соглашениями в письменной форме, которые являются его неотъемлемой частью.",
            "8.2. Настоящее соглашение может быть расторгнуто по соглашению Сторон, а также по "
            "инициативе любой из Сторон с письменным уведомлением других Сторон не позднее чем "
            "за 30 календарных дней до даты расторжения."]),
        ("9. Заключительные положения", [
            f"9.1. Неотъемлемой частью настоящего соглашения является план взаимодействия на "
            f"{year} учебный год (приложение).",
            f"9.2. Настоящее соглашение составлено в {COPIES[copies]} экземплярах, имеющих "
            "равную юридическую силу, по одному для каждой из Сторон.",
            "9.3. Во всём, что не предусмотрено настоящим соглашением, Стороны руководствуются "
            "законодательством Российской Федерации."]),
    ]
    return {
        "is_draft": not number,
        "number_text": number or "______",
        "place": terms["place"],
        "date_text": date_words(on_date) if number and on_date else BLANK_DATE,
        "period": year,
        "parties_text": parties_text,
        "directions": directions,
        # The last section keeps with the requisites (keep = True).
        "sections": [{"heading": heading, "paragraphs": paragraphs,
                      "keep": index == len(sections) - 1}
                     for index, (heading, paragraphs) in enumerate(sections)],
        "leader": _requisites(plain["leader"], "Школа-лидер"),
        "partner": _requisites(plain["partner"], "Школа-партнёр"),
        "coordinator": _requisites(coordinator, "Координатор") if coordinator else {},
    }


# --- the interaction plan -------------------------------------------------------------------

def _row_plain(row):
    return {"title": row.title, "form": row.form, "deadline_text": row.deadline_text,
            "starts_on": row.starts_on, "ends_on": row.ends_on,
            "leader_responsible": row.leader_responsible,
            "partner_responsible": row.partner_responsible,
            "expected_result": row.expected_result, "status": row.status,
            "execution": row.execution, "done_on": row.done_on}


def plan_data(pair, agreement=None):
    """The plan as plain data: the two schools, the rows in order and the agreement it is
    attached to. `agreement` ({"number", "date"} or a GeneratedDocument) names it when it is
    registered in the same go; otherwise the pair's registered agreement is read."""
    parties = _organizations([pair.leader_id, pair.partner_id])
    rows = PlanRow.select().where(PlanRow.partnership == pair.id).order_by(
        PlanRow.position, PlanRow.id)
    if agreement is None and pair.agreement_id:
        agreement = (GeneratedDocument.select(GeneratedDocument.number,
                                              GeneratedDocument.registered_on)
                     .where(GeneratedDocument.id == pair.agreement_id).first())
    if isinstance(agreement, GeneratedDocument):
        agreement = {"number": agreement.number or "", "date": agreement.registered_on}
    plain = _pair_plain(pair, parties)
    plain.pop("coordinator")
    return dict(plain, rows=[_row_plain(row) for row in rows],
                agreement=agreement or {"number": "", "date": None})


def execution_mark(row):
    """«выполнено 12.10.2026» and the execution text when done; «» otherwise."""
    if row.get("status") != "done":
        return ""
    head = f"выполнено {date_num(row.get('done_on'))}".strip()
    text = (row.get("execution") or "").strip()
    return f"{head}\n{text}" if text else head


def _head_line(party):
    position = (party.get("head_position") or "Руководитель").strip()
    return {"position": f"{position} {_name(party)}".strip(),
            "signature": f"{SIGN} {fio_short(party.get('head_name') or '') or '____________'}"}


def plan_context(plain):
    agreement = plain.get("agreement") or {}
    number, on = agreement.get("number") or "", agreement.get("date")
    reference = f"от {date_num(on) if number and on else '__________'} № {number or '____'}"
    rows = [{"number": str(n), "title": row.get("title") or "", "form": row.get("form") or "",
             "deadline": deadline_text(row),
             "leader_responsible": row.get("leader_responsible") or "",
             "partner_responsible": row.get("partner_responsible") or "",
             "expected_result": row.get("expected_result") or "",
             "mark": execution_mark(row)}
            for n, row in enumerate(plain.get("rows") or [], 1)]
    return {
        "is_draft": not plain.get("number"),
        "attachment": "Приложение\nк соглашению о сотрудничестве\n(сетевом взаимодействии)\n"
                      + reference,
        "title": f"План взаимодействия на {school_year(plain['period_start'])} учебный год",
        "parties_line": f"{_name(plain['leader'])} (школа-лидер) и {_name(plain['partner'])} "
                        "(школа-партнёр)",
        "rows": rows,
        "leader": _head_line(plain["leader"]),
        "partner": _head_line(plain["partner"]),
    }


# --- the report on the plans' execution -----------------------------------------------------

def report_data(record):
    """The report as plain data: `record` is {"period_start", "pairs": [Partnership],
    "on_date", "organization_name", "signer_position", "signer_name"} and optionally
    "executor_note". Two queries whatever the number of pairs."""
    pairs = list(record["pairs"])
    parties = _organizations([i for p in pairs for i in (p.leader_id, p.partner_id)])
    rows = {}
    if pairs:
        for row in PlanRow.select().where(PlanRow.partnership.in_([p.id for p in pairs])
                                          ).order_by(PlanRow.position, PlanRow.id):
            rows.setdefault(row.partnership_id, []).append(_row_plain(row))
    return {
        "period_start": record["period_start"], "on_date": record["on_date"],
        "organization_name": record.get("organization_name") or "",
        "signer_position": record.get("signer_position") or "",
        "signer_name": record.get("signer_name") or "",
        "executor_note": record.get("executor_note") or "",
        "pairs": [{"leader": {k: parties.get(p.leader_id, {}).get(k, "")
                              for k in ("full_name", "short_name")},
                   "partner": {k: parties.get(p.partner_id, {}).get(k, "")
                               for k in ("full_name", "short_name")},
                   "rows": rows.get(p.id, [])} for p in pairs],
    }


def _overdue(row, on_date):
    ends_on = row.get("ends_on")
    if isinstance(ends_on, str):
        ends_on = date.fromisoformat(ends_on[:10])
    return bool(ends_on and ends_on < on_date and row.get("status") != "done")


def report_context(plain):
    on_date = plain["on_date"]
    if isinstance(on_date, str):
        on_date = date.fromisoformat(on_date[:10])
    year = school_year(plain["period_start"])
    summary, details = [], []
    totals = {"planned": 0, "done": 0, "overdue": 0}
    for n, pair in enumerate(plain.get("pairs") or [], 1):
        rows = pair.get("rows") or []
        done = sum(row.get("status") == "done" for row in rows)
        late = sum(_overdue(row, on_date) for row in rows)
        leader, partner = _name(pair["leader"]), _name(pair["partner"])
        summary.append({"number": str(n), "leader": leader, "partner": partner,
                        "planned": len(rows), "done": done, "overdue": late,
                        "percent": percent(done, len(rows))})
        totals["planned"] += len(rows)
        totals["done"] += done
        totals["overdue"] += late
        details.append({
            "heading": f"{n}. {leader} — {partner}",
            "progress": f"выполнено {done} из {len(rows)}",
            "rows": [{"number": str(i), "title": row.get("title") or "",
                      "deadline": deadline_text(row),
                      "status": ("выполнено" if row.get("status") == "done" else
                                 "просрочено" if _overdue(row, on_date) else
                                 "запланировано"),
                      "mark": execution_mark(row)} for i, row in enumerate(rows, 1)]})
    totals["percent"] = percent(totals["done"], totals["planned"])
    count = len(summary)
    if count == 1:
        heading = (f"о реализации плана взаимодействия {summary[0]['leader']} (школа-лидер) "
                   f"и {summary[0]['partner']} (школа-партнёр) в {year} учебном году")
    else:
        heading = ("о реализации планов взаимодействия школ-лидеров и школ-партнёров "
                   f"в {year} учебном году")
    number = plain.get("number") or ""
    return {
        "organization_name": plain.get("organization_name") or "",
        "heading": heading,
        "date_text": date_num(on_date) + (f" № {number}" if number else ""),
        "report_date": f"по состоянию на {date_num(on_date)}",
        "summary_rows": summary,
        "totals": totals,
        "summary_text": (f"В {year} учебном году {'реализуется' if count == 1 else 'реализуются'}"
                         f" {count} {plural_ru(count, 'план', 'плана', 'планов')} "
                         f"взаимодействия. Запланировано мероприятий — {totals['planned']}, "
                         f"выполнено — {totals['done']} ({totals['percent']} %), "
                         f"не выполнено в срок — {totals['overdue']}."),
        "pairs": details,
        "signer_position": plain.get("signer_position") or "",
        "signer_name": fio_short(plain.get("signer_name") or ""),
        "executor_note": plain.get("executor_note") or "",
    }


# --- the order approving the list of pairs --------------------------------------------------

def _default_deadline(on_date, period_start):
    """Agreements and plans are due by 1 October, or a month after a later order."""
    due = date(period_start, 10, 1)
    return due if on_date + timedelta(days=14) <= due else on_date + timedelta(days=30)


def _centre_name():
    centre = Organization.centre()
    return _name(_party(centre)) if centre is not None else ""


def partnerships_order(organization_name, on_date, period_start, signer_position="",
                       signer_name="", founder="", place="", executor_note="", centre_name=None,
                       due=None):
    """The department's order approving the pairs, with its standard wording (the user may
    adjust it). `centre_name` is the methodological centre that supports the pairs (the
    directory's centre when None); `due` the deadline for agreements and plans."""
    year = school_year(period_start)
    due = date_num(due or _default_deadline(on_date, period_start))
    if centre_name is None:
        centre_name = _centre_name()
    centre = centre_name or "Методическому центру"
    return {
        "kind": "order", "founder": founder or founder_of(organization_name),
        "organization_name": organization_name, "order_date": on_date, "place": place,
        "period_start": period_start,
        "heading": f"Об организации партнёрского взаимодействия общеобразовательных "
                   f"организаций в {year} учебном году",
        "preamble": "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об "
                    "образовании в Российской Федерации», в целях оказания адресной методической "
                    "помощи школам с низкими образовательными результатами и повышения качества "
                    "образования",
        "clauses": [
            {"level": 0, "text": "Утвердить перечень пар общеобразовательных организаций "
                                 "«школа-лидер — школа-партнёр» для партнёрского "
                                 f"взаимодействия в {year} учебном году (приложение).",
             "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций, включённых в "
                                 "перечень:", "executor": "", "deadline": ""},
            {"level": 1, "text": "заключить соглашения о сотрудничестве (сетевом "
                                 "взаимодействии) и согласовать планы взаимодействия на "
                                 f"{year} учебный год", "executor": "", "deadline": due},
            {"level": 1, "text": "обеспечить выполнение планов взаимодействия и отмечать "
                                 "выполнение мероприятий с приложением подтверждающих "
                                 "материалов", "executor": "", "deadline": "ежеквартально"},
            {"level": 0, "text": f"{centre} обеспечить методическое сопровождение партнёрского "
                                 "взаимодействия и мониторинг выполнения планов "
                                 "взаимодействия", "executor": "",
             "deadline": f"в течение {year} учебного года"},
        ],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "signer_position": signer_position, "signer_name": signer_name,
        "executor_note": executor_note, "annexes": [],
    }


def order_data(record):
    """The order as plain data: `record` is {"order": partnerships_order() as the user
    adjusted it, "pairs": [Partnership]}. One query for every school of every pair."""
    pairs = list(record["pairs"])
    parties = _organizations([i for p in pairs for i in (p.leader_id, p.partner_id,
                                                          p.coordinator_id)])
    return {"order": record["order"],
            "pairs": [dict(_pair_plain(p, parties),
                           directions=_direction_labels(p.direction_keys)) for p in pairs]}


ANNEX_HEADER = ["№ п/п", "Школа-лидер", "Школа-партнёр", "Направления взаимодействия",
                "Координатор"]


def order_context(plain):
    order = plain["order"]
    year = school_year(order.get("period_start") or _period_of(plain))
    rows = [[str(n), _name(pair["leader"]), _name(pair["partner"]),
             ", ".join(pair.get("directions") or []),
             _name(pair.get("coordinator")) or "—"]
            for n, pair in enumerate(plain.get("pairs") or [], 1)]
    description = dict(order, annexes=[{
        "title": "Перечень пар общеобразовательных организаций — участников партнёрского "
                 f"взаимодействия в {year} учебном году",
        "header": ANNEX_HEADER, "rows": rows}])
    # The approving order is an order: the order doctype makes its context.
    return api.context("order", plain=dict(description, number=plain.get("number", ""),
                                           on_date=plain.get("on_date")))


def _period_of(plain):
    pairs = plain.get("pairs") or []
    if pairs:
        return pairs[0]["period_start"]
    on = plain["order"].get("order_date") or date.today()
    return on.year if on.month >= 6 else on.year - 1


# --- samples ------------------------------------------------------------------------------

def _sample_parties():
    leader = {"full_name": "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 7» "
                           "г. Новоречинска",
              "short_name": "МБОУ «Лицей № 7»",
              "address": "662500, Красноярский край, г. Новоречинск, ул. Ленина, д. 15",
              "inn": "2454012345", "kpp": "245401001", "phone": "8 (39145) 2-17-07",
              "email": "licey7@example.ru", "head_position": "Директор",
              "head_name": "Иванова Анна Петровна"}
    partner = {"full_name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
                            "общеобразовательная школа № 1» г. Новоречинска",
               "short_name": "МБОУ «СОШ № 1»",
               "address": "662501, Красноярский край, г. Новоречинск, ул. Заводская, д. 3",
               "inn": "2454011111", "kpp": "245401001", "phone": "8 (39145) 2-10-01",
               "email": "school1@example.ru", "head_position": "Директор",
               "head_name": "Петров Сергей Иванович"}
    coordinator = {"full_name": "Муниципальное казённое учреждение «Центр развития "
                                "образования» Новоречинского района",
                   "short_name": "МКУ «Центр развития образования»",
                   "address": "662500, Красноярский край, г. Новоречинск, ул. Мира, д. 2",
                   "inn": "2454009999", "kpp": "245401001", "phone": "8 (39145) 2-11-22",
                   "email": "cro@example.ru", "head_position": "Директор",
                   "head_name": "Соколова Анна Викторовна"}
    return leader, partner, coordinator


def _sample_rows():
    return [
        {"title": "Согласование плана взаимодействия, назначение ответственных",
         "form": "Совещание администраций", "deadline_text": "сентябрь 2026",
         "starts_on": date(2026, 9, 1), "ends_on": date(2026, 9, 30),
         "leader_responsible": "Сидорова Е.В., заместитель директора по УР",
         "partner_responsible": "Кузнецова О.Н., заместитель директора по УР",
         "expected_result": "План согласован, ответственные назначены", "status": "done",
         "execution": "Протокол совещания от 25.09.2026 № 3.", "done_on": date(2026, 9, 25)},
        {"title": "Анализ результатов ВПР по математике 5–8 классов",
         "form": "Методический семинар", "deadline_text": "", "starts_on": date(2026, 10, 1),
         "ends_on": date(2026, 10, 31), "leader_responsible": "Руководитель МО учителей "
                                                              "математики Орлова Т.С.",
         "partner_responsible": "Учителя математики", "expected_result": "Выявлены "
         "дефицитные темы, составлены планы коррекции", "status": "done",
         "execution": "Проведён семинар, 12 участников.", "done_on": date(2026, 10, 12)},
        {"title": "Взаимопосещение уроков математики и русского языка",
         "form": "Посещение уроков с анализом", "deadline_text": "ноябрь 2026 – март 2027",
         "starts_on": date(2026, 11, 1), "ends_on": date(2027, 3, 31),
         "leader_responsible": "Орлова Т.С.", "partner_responsible": "Кузнецова О.Н.",
         "expected_result": "Посещено не менее 10 уроков, даны рекомендации",
         "status": "planned", "execution": "", "done_on": None},
        {"title": "Наставничество для молодых педагогов школы-партнёра",
         "form": "Индивидуальные консультации", "deadline_text": "в течение года",
         "starts_on": date(2026, 9, 1), "ends_on": date(2027, 5, 31),
         "leader_responsible": "Наставники: Орлова Т.С., Белых А.А.",
         "partner_responsible": "Молодые педагоги (3 человека)",
         "expected_result": "Индивидуальные планы развития выполнены", "status": "planned",
         "execution": "", "done_on": None},
        {"title": "Совместная олимпиада по математике для обучающихся 7–9 классов",
         "form": "Олимпиада", "deadline_text": "ноябрь 2026", "starts_on": date(2026, 11, 1),
         "ends_on": date(2026, 11, 30), "leader_responsible": "Орлова Т.С.",
         "partner_responsible": "Учителя математики",
         "expected_result": "Участвуют не менее 30 обучающихся школы-партнёра",
         "status": "planned", "execution": "", "done_on": None},
        {"title": "Подведение итогов взаимодействия за учебный год",
         "form": "Совместный педагогический совет", "deadline_text": "май 2027",
         "starts_on": date(2027, 5, 1), "ends_on": date(2027, 5, 31),
         "leader_responsible": "Иванова А.П.", "partner_responsible": "Петров С.И.",
         "expected_result": "Отчёт о реализации плана взаимодействия", "status": "planned",
         "execution": "", "done_on": None},
    ]


def sample_agreement():
    leader, partner, coordinator = _sample_parties()
    return {"period_start": 2026, "leader": leader, "partner": partner,
            "coordinator": coordinator,
            "directions": ["consulting", "lesson_visits", "mentoring", "student_events"],
            "terms": {"place": "г. Новоречинск"},
            "number": "12-С", "on_date": date(2026, 9, 28)}


def sample_plan():
    leader, partner, _ = _sample_parties()
    return {"period_start": 2026, "leader": leader, "partner": partner,
            "directions": ["consulting", "lesson_visits", "mentoring", "student_events"],
            "rows": _sample_rows(), "agreement": {"number": "12-С", "date": date(2026, 9, 28)},
            "number": "12-П", "on_date": date(2026, 9, 28)}


def sample_report():
    leader, partner, _ = _sample_parties()
    other = [
        ({"full_name": "", "short_name": "МБОУ «Гимназия № 2»"},
         {"full_name": "", "short_name": "МБОУ «СОШ № 3» с. Заречное"}),
        ({"full_name": "", "short_name": "МБОУ «Лицей № 7»"},
         {"full_name": "", "short_name": "МБОУ «ООШ № 12» п. Северный"}),
    ]
    rows = _sample_rows()
    return {
        "period_start": 2026, "on_date": date(2026, 12, 1),
        "organization_name": "Муниципальное казённое учреждение «Центр развития образования» "
                             "Новоречинского района",
        "signer_position": "Директор МКУ «Центр развития образования»",
        "signer_name": "Соколова Анна Викторовна",
        "executor_note": "Белова Наталья Сергеевна, 8 (39145) 2-11-22",
        "pairs": [{"leader": leader, "partner": partner, "rows": rows}]
        + [{"leader": a, "partner": b, "rows": rows[:3 + n]} for n, (a, b) in enumerate(other)],
    }


def sample_order():
    leader, partner, coordinator = _sample_parties()
    order = partnerships_order(
        "Управление образования администрации муниципального образования Новоречинский "
        "район", date(2026, 9, 1), 2026, "Начальник управления образования",
        "Волков Михаил Евгеньевич",
        founder="Администрация муниципального образования Новоречинский район",
        place="г. Новоречинск", executor_note="Белова Наталья Сергеевна, 8 (39145) 2-11-22",
        centre_name="МКУ «Центр развития образования»")
    labels = _direction_labels
    pairs = [
        {"period_start": 2026, "leader": leader, "partner": partner, "coordinator": coordinator,
         "directions": labels(["consulting", "lesson_visits", "mentoring"])},
        {"period_start": 2026, "leader": {"short_name": "МБОУ «Гимназия № 2»"},
         "partner": {"short_name": "МБОУ «СОШ № 3» с. Заречное"}, "coordinator": coordinator,
         "directions": labels(["joint_mo", "training", "diagnostics"])},
        {"period_start": 2026, "leader": leader,
         "partner": {"short_name": "МБОУ «ООШ № 12» п. Северный"}, "coordinator": None,
         "directions": labels(["resources", "student_events"])},
    ]
    return {"order": order, "pairs": pairs, "number": "01-07/58", "on_date": date(2026, 9, 1)}


# --- the doctypes ---------------------------------------------------------------------------

ORDER_PARTNERSHIPS = Doctype(
    key="order_partnerships",
    title="Приказ об организации партнёрского взаимодействия",
    series="order",  # the department's orders share one yearly numbering
    data=order_data,
    context=order_context,
    sample=sample_order(),
    pattern="{n}",
    variables=api.variables_of("order"),  # the order's template context
)

AGREEMENT = Doctype(
    key="partnership_agreement",
    title="Соглашение о сотрудничестве (сетевом взаимодействии)",
    series="partnership_agreement",
    data=agreement_data,
    context=agreement_context,
    sample=sample_agreement(),
    pattern="{n}-С",
    variables={
        "is_draft": "соглашение ещё не зарегистрировано: печатается отметка «ПРОЕКТ», номер "
                    "и дата — пустые поля",
        "number_text": "номер соглашения («12-С»; в проекте — пустое поле)",
        "place": "место заключения («г. Новоречинск»)",
        "date_text": "дата заключения словами «28 сентября 2026 г.» (в проекте — пустые поля)",
        "period": "учебный год («2026/2027»)",
        "parties_text": "преамбула: стороны «…, именуемое в дальнейшем «Школа-лидер», в лице "
                        "директора Ивановой Анны Петровны, действующей на основании Устава, с "
                        "одной стороны, и …», заканчивается «о нижеследующем:»",
        "directions": "направления взаимодействия (строки)",
        "sections": "разделы 1–9: heading («1. Предмет соглашения»), paragraphs — абзацы с "
                    "номерами пунктов («3.1.2. …;»), keep — раздел держится на одной странице "
                    "с реквизитами (последний)",
        "leader": "реквизиты школы-лидера: role, name, address, inn_kpp («ИНН / КПП»), phone, "
                  "email, position, signature («_____________ А.П. Иванова»)",
        "partner": "реквизиты школы-партнёра (как leader)",
        "coordinator": "реквизиты координатора (как leader); пусто, если координатора нет",
    },
)

PLAN = Doctype(
    key="partnership_plan",
    title="План взаимодействия",
    series="partnership_plan",
    data=plan_data,  # (pair, agreement=None)
    context=plan_context,
    sample=sample_plan(),
    pattern="{n}-П",
    variables={
        "is_draft": "план ещё не зарегистрирован: печатается отметка «ПРОЕКТ»",
        "attachment": "отметка «Приложение к соглашению о сотрудничестве (сетевом "
                      "взаимодействии) от 28.09.2026 № 12-С» (строки; без номера соглашения — "
                      "пустые поля)",
        "title": "«План взаимодействия на 2026/2027 учебный год»",
        "parties_line": "«МБОУ «Лицей № 7» (школа-лидер) и МБОУ «СОШ № 1» (школа-партнёр)»",
        "rows": "мероприятия: number, title, form (форма проведения), deadline (срок), "
                "leader_responsible, partner_responsible, expected_result, mark (отметка о "
                "выполнении: «выполнено 12.10.2026. …» или пусто)",
        "leader": "согласование школы-лидера: position («Директор МБОУ «Лицей № 7»»), "
                  "signature («_____________ А.П. Иванова»)",
        "partner": "согласование школы-партнёра: position, signature",
    },
)

REPORT = Doctype(
    key="partnership_report",
    title="Справка о реализации плана взаимодействия",
    series="partnership_report",
    data=report_data,
    context=report_context,
    sample=sample_report(),
    pattern="{n}-СП",
    variables={
        "organization_name": "организация, составившая справку (методический центр)",
        "heading": "заголовок «о реализации плана (планов) взаимодействия … в 2026/2027 учебном "
                   "году»",
        "date_text": "дата справки 01.12.2026 (и номер, когда зарегистрирована)",
        "report_date": "«по состоянию на 01.12.2026»",
        "summary_rows": "сводная таблица: number, leader, partner, planned (запланировано), "
                        "done (выполнено), overdue (просрочено), percent (доля выполненных, %)",
        "totals": "итоги: planned, done, overdue, percent",
        "summary_text": "итог словами: «… Запланировано мероприятий — 12, выполнено — 6 "
                        "(50 %), не выполнено в срок — 2.»",
        "pairs": "по каждой паре: heading («1. МБОУ «Лицей № 7» — МБОУ «СОШ № 1»»), progress "
                 "(«выполнено 2 из 6»), rows — number, title, deadline, status, mark",
        "signer_position": "должность подписывающего",
        "signer_name": "подписывающий в форме «И.О. Фамилия»",
        "executor_note": "исполнитель и телефон (внизу мелким шрифтом)",
    },
)
