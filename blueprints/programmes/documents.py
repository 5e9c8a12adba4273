"""The programme document (programme.docx) and the department's approval order
(order_programmes_approval.docx): context builders and sample data."""
from datetime import date

from models import Indicator, Organization, RiskFactor

from ..core.filters import NBSP, date_num, fio_short, genitive, number, place_of
from ..documents import api
from ..documents.doctype import Doctype
from ..documents.requisites import founder_of
from . import sections as S
from .reads import all_forms

ARROWS = {"up": "↑", "down": "↓"}


def _lines(text):
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _shown(form, name):
    return S.display(form[name])


def programme_data(programme, values=None):
    """The programme as plain strings and lists (see sample_programme()), from stored values."""
    forms = all_forms(programme, values)
    passport, info, analysis = forms["passport"], forms["info"], forms["analysis"]
    goals, indicators, activities = forms["goals"], forms["indicators"], forms["activities"]
    resources = forms["resources"]
    risk_names = {str(r.code): r.name for r in RiskFactor.select()}
    catalogue = {i.code: i for i in Indicator.select()}
    years = list(range(programme.period_start, programme.period_end + 1))
    adopted = passport.adopted_on.data
    return {
        "school_name": passport.school_name.data or programme.school.full_name,
        "school_short_name": programme.school.short_name,
        "place": place_of(programme.school.address),
        "status": programme.status,
        "years": years,
        "passport": {name: _shown(passport, name) for name in
                     ("title", "basis", "customer", "developers", "executors", "stages",
                      "funding", "control", "head", "contacts", "adopted_number")},
        "adopted_on": date_num(adopted) if adopted else "",
        "info": {name: _shown(info, name) for name in
                 ("general", "students", "teachers", "context", "staffing")},
        "analysis": {
            **{name: _shown(analysis, name) for name in
               ("results", "strengths", "weaknesses", "opportunities", "threats", "conclusion")},
            "risks": [{"code": code, "name": risk_names.get(code, "")}
                      for code in analysis.risks.data or []]},
        "goal": goals.goal.data or "",
        "tasks": [{"text": row.form.text.data or "", "risks": ", ".join(row.form.risks.data or [])}
                  for row in goals.tasks],
        "indicators": [_indicator(row.form, catalogue) for row in indicators.indicators],
        "activities": [_activity(row.form) for row in activities.activities],
        "resources": {
            **{name: _shown(resources, name) for name in ("staff", "equipment", "information")},
            "finance": [{"item": r.form.item.data or "", "amount": S.display(r.form.amount),
                         "source": r.form.source.data or ""} for r in resources.finance]},
        "mechanism": {name: _shown(forms["mechanism"], name)
                      for name in ("implementation", "monitoring")},
        "risks": [{"risk": r.form.risk.data or "", "mitigation": r.form.mitigation.data or ""}
                  for r in forms["risks"].risks],
        "results": forms["results"].results.data or "",
        "agreed": _agreed(programme),
        "approved": _approved(programme),
    }


def _agreed(programme):
    """The centre that agreed the programme and its head, who signs the stamp."""
    if not programme.agreed_by:
        return {}
    centre = (Organization.select().where(Organization.full_name == programme.agreed_by)
              .order_by(Organization.id).first())
    position = ""
    if centre is not None and centre.head_position:
        position = f"{centre.head_position} {centre.short_name or centre.full_name}".strip()
    return {"by": programme.agreed_by, "position": position,
            "name": centre.head_name if centre is not None else "",
            "date": date_num(programme.agreed_on) if programme.agreed_on else ""}


def _approved(programme):
    """The approving order's requisites once the department has registered it."""
    order = programme.approval
    if order is None or not order.number:
        return {}
    return {"by": genitive(order.organization.full_name) if order.organization else "",
            "number": order.number, "date": date_num(order.registered_on)}


def _indicator(form, catalogue):
    known = catalogue.get(form.code.data or "")
    name = form.name.data or ""
    if known:
        name = f"{known.name} ({name})" if name else known.name
    return {"name": name, "unit": form.unit.data or (known.unit if known else ""),
            "direction": ARROWS.get(known.direction, "") if known else "",
            "baseline": S.display(form.baseline),
            "baseline_year": str(form.baseline_year.data or ""),
            "targets": [S.display(entry) for entry in form.targets],
            "source": form.source.data or "", "responsible": form.responsible.data or ""}


def _activity(form):
    start, end = form.start.data, form.end.data
    when = " – ".join(date_num(d) for d in (start, end) if d)
    if form.deadline.data:
        when = f"{when}, {form.deadline.data}" if when else form.deadline.data
    return {"task": form.task.data or "", "title": form.title.data or "", "when": when,
            "responsible": form.responsible.data or "",
            "participants": form.participants.data or "", "result": form.result.data or "",
            "evidence": form.evidence.data or ""}


def _unbroken(text):
    """A line that must never wrap (the number line of a stamp): spaces made non-breaking."""
    return text.replace(" ", NBSP)


def _stamp(kind, data):
    """The three blocks of the title page; blanks to fill by hand where a value is missing."""
    if kind == "adopted":
        number, on = data["passport"].get("adopted_number"), data.get("adopted_on")
        return ["ПРИНЯТА", "решением педагогического совета (протокол",
                _unbroken(f"от {on or '__________'} № {number or '____'})")]
    if kind == "agreed":
        agreed = data.get("agreed") or {}
        position = agreed.get("position") or agreed.get("by") or "____________________"
        name = fio_short(agreed.get("name") or "") or "______________"
        return ["СОГЛАСОВАНА", position, _unbroken(f"__________ {name}"),
                _unbroken(agreed.get("date") or "«___» ____________ 20__ г.")]
    approved = data.get("approved") or {}
    on = approved.get("date")
    by = approved.get("by_genitive") or approved.get("by") or "____________"
    return ["УТВЕРЖДЕНА", f"приказом {by}",
            _unbroken(f"от {on or '__________'} № {approved.get('number') or '____'}")]


def _risk(item):
    """A risk of the profile as (catalogue code, name); older data held «2. Name»."""
    if isinstance(item, dict):
        return str(item.get("code") or ""), item.get("name") or ""
    code, _, name = str(item).partition(". ")
    return (code, name) if name else ("", code)


def _sentence_with(text, reference):
    """«Повысить мотивацию (факторы риска: 1, 2).»: the reference inside the sentence."""
    text = (text or "").strip()
    end = text[-1] if text and text[-1] in ".;!?" else "."
    body = text.rstrip(".;!? ")
    return f"{body}{f' ({reference})' if reference else ''}{end}"


def _filled(row, *names):
    return any(str(row.get(name) or "").strip() for name in names)


def programme_context(data):
    """Plain data for programme.docx from programme_data(): rows without data are left out
    (no empty numbered rows), risks of the profile numbered 1..n and cited by that number."""
    years = data["years"]
    period = f"{years[0]}–{years[-1]}" if years else ""
    p = data["passport"]
    analysis = data["analysis"]
    profile = [_risk(item) for item in analysis.get("risks") or []]
    profile = [(code, name) for code, name in profile if name or code]
    position = {code: str(n) for n, (code, _) in enumerate(profile, 1) if code}
    # Tasks renumbered without the empty ones; activities cite the new numbers.
    task_numbers, tasks = {}, []
    for index, task in enumerate(data["tasks"], 1):
        if not (task.get("text") or "").strip():
            continue
        task_numbers[str(index)] = str(len(tasks) + 1)
        codes = [c.strip() for c in (task.get("risks") or "").split(",") if c.strip()]
        cited = [position.get(code) for code in codes if position.get(code)]
        reference = f"факторы риска: {', '.join(cited)}" if cited else ""
        tasks.append({"number": f"{len(tasks) + 1}.",
                      "text": _sentence_with(task["text"], reference),
                      "risks": ", ".join(cited)})
    indicators = [i for i in data["indicators"]
                  if _filled(i, "name", "baseline", "source", "responsible")
                  or any(str(t).strip() for t in i.get("targets") or [])]
    activities = [a for a in data["activities"]
                  if _filled(a, "title", "when", "responsible", "result")]
    finance = [f for f in data["resources"]["finance"] if _filled(f, "item", "amount")]
    risks = [r for r in data["risks"] if _filled(r, "risk", "mitigation")]
    passport = [
        ("Наименование программы", p["title"]),
        ("Полное наименование образовательной организации", data["school_name"]),
        ("Основания для разработки", p["basis"]),
        ("Заказчик", p["customer"]),
        ("Разработчики", p["developers"]),
        ("Исполнители", p["executors"]),
        ("Цель", data["goal"]),
        ("Задачи", "\n".join(f"{t['number']} {t['text']}" for t in tasks)),
        ("Целевые показатели", "\n".join(
            f"{n}. {i['name']}" for n, i in enumerate(indicators, 1))),
        ("Сроки и этапы реализации", f"{period} годы\n{p['stages']}".strip() if period
         else p["stages"]),
        ("Объём и источники финансирования", p["funding"]),
        ("Ожидаемые результаты", data["results"]),
        ("Система организации контроля", p["control"]),
        ("Руководитель программы", p["head"]),
        ("Контакты", p["contacts"]),
    ]
    return {
        "is_draft": not (data.get("approved") or {}).get("number"),
        "stamps": [_stamp(kind, data) for kind in ("adopted", "agreed", "approved")],
        "school_name": data["school_name"],
        "title": p["title"],
        "place_year": ", ".join(
            x for x in (data.get("place", ""), str(years[0]) if years else "") if x),
        "passport": [{"label": label, "lines": _lines(value)} for label, value in passport
                     if _lines(value)],
        "info": [{"label": label, "lines": _lines(data["info"][key])} for key, label in (
            ("general", "Общие сведения"), ("students", "Число обучающихся"),
            ("teachers", "Число педагогических работников"),
            ("context", "Социальный контекст и контингент"), ("staffing", "Кадровый состав"))
            if _lines(data["info"][key])],
        "results_3y": _lines(analysis["results"]),
        # All four quarters or none: an empty SWOT table is not printed.
        "swot": [{"title": title, "points": _lines(analysis[key])} for key, title in (
            ("strengths", "Сильные стороны"), ("weaknesses", "Слабые стороны"),
            ("opportunities", "Возможности"), ("threats", "Угрозы"))]
        if any(_lines(analysis[key]) for key in ("strengths", "weaknesses", "opportunities",
                                                  "threats")) else [],
        "risk_profile": [f"{n}. {name}" for n, (_, name) in enumerate(profile, 1)],
        "conclusion": _lines(analysis["conclusion"]),
        "goal": (data["goal"] or "").strip(),
        "tasks": tasks,
        "years": [str(y) for y in years],
        "indicators": [dict(i, number=str(n), baseline=number(i["baseline"]),
                            targets=[number(t) for t in i["targets"]])
                       for n, i in enumerate(indicators, 1)],
        "activities": [dict(a, number=str(n),
                            task=f"Задача{NBSP}{task_numbers.get(str(a['task']), a['task'])}"
                            if a["task"] else "")
                       for n, a in enumerate(activities, 1)],
        "staff": _lines(data["resources"]["staff"]),
        "equipment": _lines(data["resources"]["equipment"]),
        "information": _lines(data["resources"]["information"]),
        "finance": [dict(f, number=str(n), amount=number(f["amount"]))
                    for n, f in enumerate(finance, 1)],
        "implementation": _lines(data["mechanism"]["implementation"]),
        "monitoring": _lines(data["mechanism"]["monitoring"]),
        "risks": [dict(r, number=str(n)) for n, r in enumerate(risks, 1)],
        "results": _lines(data["results"]),
    }


def sample_programme(indicators=4, activities=6, years=3):
    start = 2026
    return {
        "school_name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
                       "общеобразовательная школа № 3» с. Заречное",
        "school_short_name": "МБОУ СОШ № 3 с. Заречное",
        "place": "с. Заречное", "status": "draft",
        "years": list(range(start, start + years)),
        "passport": {"title": "Программа повышения качества образования МБОУ СОШ № 3 "
                              f"с. Заречное на {start}–{start + years - 1} годы",
                     "basis": "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в "
                              "Российской Федерации»\nПриказ управления образования от "
                              "15.01.2026 № 12 «О поддержке школ с низкими результатами»",
                     "customer": "Управление образования администрации Новоречинского района",
                     "developers": "Рабочая группа педагогов школы",
                     "executors": "Педагогический коллектив, обучающиеся, родители",
                     "stages": "I этап — 2026 г., подготовительный\nII этап — 2027 г., "
                               "основной\nIII этап — 2028 г., обобщающий",
                     "funding": "В рамках муниципального задания; 150 000 руб. — грант",
                     "control": "Ежеквартальный отчёт педагогическому совету и управлению "
                                "образования",
                     "head": "Директор Кузнецова Ирина Петровна",
                     "contacts": "8 (39145) 2-33-44, school3@example.ru",
                     "adopted_number": "1"},
        "adopted_on": "28.08.2026",
        "info": {"general": "Сельская школа, основана в 1965 году.", "students": "212",
                 "teachers": "19", "context": "12 % семей — малообеспеченные.",
                 "staffing": "Два вакантных места: математика, английский язык."},
        "analysis": {"results": "Доля «2» на ВПР по математике — 34 % (2024), 31 % (2025).",
                     "strengths": "Сплочённый коллектив\nНебольшие классы",
                     "weaknesses": "Дефицит учителей математики",
                     "opportunities": "Школа-партнёр в райцентре",
                     "threats": "Отток семей из села",
                     "conclusion": "Главные причины — кадровые и мотивационные.",
                     "risks": [{"code": "2", "name": "Дефицит педагогических кадров"},
                               {"code": "10", "name": "Низкая учебная мотивация обучающихся"}]},
        "goal": "Повысить качество образования и перевести школу в эффективный режим работы.",
        "tasks": [{"text": "Восполнить дефицит учителей математики.", "risks": "2"},
                  {"text": "Повысить учебную мотивацию обучающихся.", "risks": "10"}],
        "indicators": [
            {"name": f"Доля обучающихся, не достигших базового уровня ВПР ({n + 4} класс)",
             "unit": "%", "direction": "↓", "baseline": "34", "baseline_year": "2025",
             "targets": [str(30 - n - 3 * y) for y in range(years)],
             "source": "Результаты ВПР", "responsible": "Заместитель директора по УР"}
            for n in range(indicators)],
        "activities": [
            {"task": str(1 + n % 2), "title": f"Мероприятие {n + 1}: методический семинар "
                                             "для учителей и родителей",
             "when": "ежемесячно" if n % 3 == 0 else "01.10.2026 – 30.11.2026",
             "responsible": "Заместитель директора по УР", "participants": "Учителя 5–9 классов",
             "result": "Разработаны индивидуальные маршруты", "evidence": "Протокол"}
            for n in range(activities)],
        "resources": {"staff": "Учителя школы, наставники школы-партнёра.",
                      "equipment": "Кабинет информатики, интерактивная панель.",
                      "information": "Сайт школы, родительские чаты.",
                      "finance": [{"item": "Курсы повышения квалификации", "amount": "60000",
                                   "source": "Муниципальный бюджет"}]},
        "mechanism": {"implementation": "Рабочая группа собирается ежемесячно.",
                      "monitoring": "Мониторинг показателей — два раза в год."},
        "risks": [{"risk": "Уход педагогов", "mitigation": "Наставничество, доплаты"}],
        "results": "Снижение доли «2» на ВПР до 20 %\nРост качества знаний до 40 %",
        "agreed": {"by": "МКУ «Центр развития образования»",
                   "position": "Директор МКУ «Центр развития образования»",
                   "name": "Соколова Анна Викторовна", "date": "15.09.2026"},
        "approved": {"by": "управления образования", "number": "01-07/52",
                     "date": "01.10.2026"},
    }


def approval_context(order, programmes, number="", on_date=None):
    """Plain data for the approval order: the order's requisites plus an annex of programmes."""
    rows = []
    for n, data in enumerate(programmes, 1):
        years = data["years"]
        rows.append([str(n), data["school_name"], data["passport"]["title"],
                     f"{years[0]}–{years[-1]}" if years else ""])
    description = dict(order, annexes=[{
        "title": "Перечень программ повышения качества образования",
        "header": ["№ п/п", "Образовательная организация", "Наименование программы",
                   "Срок реализации"], "rows": rows}])
    # An approval order is an order: the order doctype makes its context.
    return api.context("order", plain=dict(description, number=number, on_date=on_date))


def approval_order(organization_name, on_date, signer_position="", signer_name="",
                   founder="", place="", executor_note=""):
    """The department's order with its standard wording; the user may adjust it. The founder
    line, when not given, is the one of the department's own orders (or read from its name)."""
    year = on_date.year
    return {
        "kind": "order", "founder": founder or founder_of(organization_name),
        "organization_name": organization_name,
        "order_date": on_date, "place": place,
        "heading": f"Об утверждении программ повышения качества образования "
                   f"общеобразовательных организаций на {year}–{year + 2} годы",
        "preamble": "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об "
                    "образовании в Российской Федерации», в целях повышения качества "
                    "образования в школах с низкими образовательными результатами",
        "clauses": [
            {"level": 0, "text": "Утвердить программы повышения качества образования "
                                 "общеобразовательных организаций (приложение).",
             "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций обеспечить "
                                 "реализацию программ и размещение их на официальных сайтах.",
             "executor": "руководители ОО", "deadline": ""},
        ],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "signer_position": signer_position, "signer_name": signer_name,
        "executor_note": executor_note, "annexes": [],
    }


def approval_data(record):
    """The approval order as plain data: `record` is {"order": approval_order() as the user
    adjusted it, "programmes": [Programme]}."""
    return {"order": record["order"],
            "programmes": [programme_data(p) for p in record["programmes"]]}


def approved_programme_data(programme, approved=None):
    """programme_data(), stamped with the approving order's requisites (`approved`: by,
    number, date) when it is registered together with that order."""
    data = programme_data(programme)
    if approved is not None:
        data["approved"] = approved
    return data


def _sample_approval():
    order = approval_order("Управление образования администрации муниципального образования "
                           "Новоречинский район", date(2026, 10, 1), "Начальник управления",
                           "Волков Михаил Евгеньевич", place="г. Новоречинск",
                           # Given, not looked up: a sample reads no database.
                           founder="Администрация муниципального образования Новоречинский "
                                   "район")
    return {"order": order, "programmes": [sample_programme()], "number": "01-07/52",
            "on_date": date(2026, 10, 1)}


PROGRAMME = Doctype(
    key="programme",
    title="Программа повышения качества образования",
    series="programme",
    data=approved_programme_data,  # (programme, approved=None)
    context=programme_context,  # the number is the approving order's, inside the data
    sample=sample_programme(),
    pattern="П-{n}",
    variables={
        "is_draft": "программа ещё не утверждена: на титульном листе отметка «ПРОЕКТ»",
        "stamps": "три грифа титульного листа (ПРИНЯТА, СОГЛАСОВАНА — с должностью, линией "
                  "подписи и «И.О. Фамилия», УТВЕРЖДЕНА): списки строк; строка с номером — "
                  "с неразрывными пробелами",
        "school_name": "полное наименование образовательной организации",
        "title": "наименование программы",
        "place_year": "место и год («с. Заречное, 2026»)",
        "passport": "строки паспорта: label, lines",
        "info": "информационная справка: label, lines",
        "results_3y": "абзацы о результатах за три года",
        "swot": "SWOT-анализ: title, points",
        "risk_profile": "факторы риска школы, пронумерованные по порядку: «1. Дефицит "
                        "педагогических кадров»",
        "conclusion": "абзацы выводов анализа",
        "goal": "цель программы",
        "tasks": "задачи: number, text (предложение с отсылкой «(факторы риска: 1, 2).»), "
                 "risks (номера факторов в рисковом профиле)",
        "years": "годы реализации — столбцы таблицы показателей",
        "indicators": "показатели: number, name, unit, direction, baseline, baseline_year, "
                      "targets (по годам), source, responsible",
        "activities": "мероприятия: number, task, title, when, responsible, participants, "
                      "result, evidence",
        "staff": "абзацы: кадровое обеспечение",
        "equipment": "абзацы: материально-техническое обеспечение",
        "information": "абзацы: информационное обеспечение",
        "finance": "финансовое обеспечение: number, item, amount, source",
        "implementation": "абзацы: механизм реализации",
        "monitoring": "абзацы: мониторинг и контроль",
        "risks": "риски реализации: number, risk, mitigation",
        "results": "ожидаемые результаты (строки)",
    },
)

APPROVAL = Doctype(
    key="order_programmes_approval",
    title="Приказ об утверждении программ",
    series="order",  # the department's orders share one yearly numbering
    data=approval_data,
    context=lambda plain: approval_context(plain["order"], plain["programmes"],
                                           plain.get("number", ""), plain.get("on_date")),
    sample=_sample_approval(),
    pattern="{n}",
    variables=api.variables_of("order"),  # the order's template context
)
