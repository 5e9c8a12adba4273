"""Demo: school1's draft with most sections filled, school2's programme returned with two
comments, and a third school's programme agreed and waiting for the department's order."""
from datetime import date

from models import Organization, Programme, User

from . import reads, services
from . import sections as S

DEMO = {
    "passport": {"basis": "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской "
                          "Федерации»\nПриказ управления образования о поддержке школ с низкими "
                          "образовательными результатами",
                 "customer": "Управление образования администрации муниципального образования "
                             "Новоречинский район",
                 "developers": "Рабочая группа: директор, заместители директора, руководители "
                               "методических объединений",
                 "stages": "I этап — подготовительный (первый год)\nII этап — основной (второй "
                           "год)\nIII этап — обобщающий (третий год)",
                 "funding": "В рамках муниципального задания; 60 000 руб. — муниципальный бюджет",
                 "control": "Ежеквартальный отчёт на педагогическом совете; мониторинг центра"},
    "info": {"general": "Городская школа в микрорайоне старой застройки, основана в 1962 году. "
                        "Обучение в одну смену, 1–11 классы.",
             "students": "486", "teachers": "31",
             "context": "18 % семей — малообеспеченные, 9 % обучающихся — с ОВЗ, "
                        "6 % — для которых русский язык не родной.",
             "staffing": "Две вакансии: учитель математики, учитель английского языка."},
    "analysis": {"results": "ВПР по математике: доля «2» — 34 % (2023), 32 % (2024), 31 % (2025).\n"
                            "ОГЭ по математике: 12 % не преодолели порог в 2025 году.",
                 "strengths": "Опытные учителя начальной школы\nАктивный родительский комитет",
                 "weaknesses": "Дефицит учителей математики\nНизкая объективность отметок",
                 "opportunities": "Школа-партнёр — Гимназия № 3\nКурсы ЦНППМ",
                 "threats": "Отток сильных обучающихся в гимназию",
                 "risks": ["2", "3", "10"],
                 "conclusion": "Главные причины низких результатов — кадровые и мотивационные."},
    "goals": {"goal": "Повысить качество образования и перевести школу в эффективный режим "
                      "работы к 2028 году.",
              "tasks-0-text": "Восполнить дефицит учителей математики и развить наставничество.",
              "tasks-0-risks": ["2", "3"],
              "tasks-1-text": "Повысить учебную мотивацию обучающихся 5–9 классов.",
              "tasks-1-risks": ["10"]},
    "indicators": {
        "indicators-0-code": "VPR-LOW", "indicators-0-name": "математика, 5–8 классы",
        "indicators-0-unit": "%", "indicators-0-baseline": "31", "indicators-0-baseline_year":
        "2025", "indicators-0-targets-0": "27", "indicators-0-targets-1": "23",
        "indicators-0-targets-2": "19", "indicators-0-source": "Результаты ВПР (ФИС ОКО)",
        "indicators-0-responsible": "Заместитель директора по УВР",
        "indicators-1-code": "QUALITY", "indicators-1-unit": "%", "indicators-1-baseline": "38",
        "indicators-1-baseline_year": "2025", "indicators-1-targets-0": "40",
        "indicators-1-targets-1": "42", "indicators-1-targets-2": "45",
        "indicators-1-source": "Электронный журнал", "indicators-1-responsible":
        "Заместитель директора по УВР"},
    "activities": {
        "activities-0-task": "1", "activities-0-title": "Закрепить наставника из Гимназии № 3 "
        "за учителями математики", "activities-0-start": "2026-09-01",
        "activities-0-end": "2026-09-30", "activities-0-responsible": "Директор",
        "activities-0-participants": "Учителя математики", "activities-0-result":
        "Приказ о наставничестве", "activities-0-evidence": "Приказ",
        "activities-1-task": "2", "activities-1-title": "Проектные недели для 5–9 классов",
        "activities-1-deadline": "ежеквартально", "activities-1-responsible":
        "Заместитель директора по ВР", "activities-1-participants": "Обучающиеся 5–9 классов",
        "activities-1-result": "Рост доли обучающихся, участвующих в проектах",
        "activities-1-evidence": "Справка"},
    "resources": {"staff": "Педагоги школы, наставники Гимназии № 3, методисты центра.",
                  "equipment": "Кабинет математики с интерактивной панелью.",
                  "finance-0-item": "Курсы повышения квалификации", "finance-0-amount": "60000",
                  "finance-0-source": "Муниципальный бюджет",
                  "information": "Сайт школы, родительские чаты, стенд в рекреации."},
    "mechanism": {"implementation": "Рабочая группа собирается ежемесячно; итоги — на "
                                    "педагогическом совете.",
                  "monitoring": "Мониторинг показателей — в декабре и мае."},
    "risks": {"risks-0-risk": "Уход педагогов", "risks-0-mitigation": "Наставничество, "
              "стимулирующие выплаты"},
    "results": {"results": "Доля «2» на ВПР по математике — не более 19 %\n"
                           "Качество знаний — не менее 45 %"},
}


def _fill(programme, author, skip=()):
    """Store the demo sections through the section forms and the service a save uses."""
    for section_key, values in DEMO.items():
        if section_key in skip:
            continue
        section = S.BY_KEY[section_key]
        stored = reads.stored_values(programme)
        values = dict(stored[section_key], **values)  # the passport keeps its prefilled fields
        form = reads.section_form(programme, section, dict(stored, **{section_key: values}))
        if not form.validate():  # the demo text must satisfy the same checks as typing
            raise ValueError(f"demo section {section_key}: "
                             f"{[(f.name, f.errors) for f in S.leaf_errors(form)]}")
        services.save_section(programme, section, form, author)


def load_demo_programmes():
    school1 = User.get(User.login == "school1")
    school2 = User.get(User.login == "school2")
    centre = User.get(User.login == "centre")
    year = date.today().year
    draft = services.create_programme(school1.organization, school1.id, year)
    _fill(draft, school1.id, skip=("risks", "results"))

    returned = services.create_programme(school2.organization, school2.id, year)
    _fill(returned, school2.id)
    services.submit_programme(returned, school2.id)
    returned = Programme.get_by_id(returned.id)
    for field, label, text in (
            ("goal", "Цель программы", "Цель должна быть измеримой: укажите, к какому году и "
                                       "какого значения показателей школа достигнет."),
            ("indicators-0-targets-2", "Показатель 1 — План на конец периода",
             "Плановое значение на последний год слишком осторожное: обоснуйте или повысьте.")):
        section = "goals" if field == "goal" else "indicators"
        services.add_comment(returned, S.BY_KEY[section], field, label, text, centre.id)
    services.return_programme(returned)

    third = Organization.get(Organization.short_name == "МБОУ «ООШ № 6»")
    agreed = services.create_programme(third, None, year)
    _fill(agreed, None)
    services.submit_programme(agreed, None)
    services.agree_programme(Programme.get_by_id(agreed.id), centre.organization.full_name,
                             date.today())
    return draft, returned, agreed
