"""Demo: two curators — a centre methodist (curator1) and a teacher of a leader school
(curator2), password «demo» — for listed schools of the current school year; one visit
planned, one written up with findings and recommendations (not yet registered, so a user can
register it and add its recommendations to the road map)."""
from datetime import date, timedelta

from models import (Curatorship, LowResultStatus, Organization, RiskFactor, User, Visit, current_school_year,
                    set_status, year_bounds)

from . import services

# login, full name, position, organisation short name
CURATORS = [
    ("curator1", "Семенова Алла Викторовна", "Методист", None),  # the centre
    ("curator2", "Ковалёва Марина Сергеевна", "Учитель математики, руководитель ШМО",
     "МБОУ «Лицей № 4»"),
]
# Who curates which school (preferred; the first listed schools otherwise).
WANTED = {"curator1": ["МБОУ «СОШ № 2»", "МБОУ «ООШ № 6»"], "curator2": ["МБОУ «СОШ № 1»"]}


def _listed(year):
    """The listed schools of the year; a demo database without an approved list takes the
    directory's flags as this year's status, as migration 0023 does for a live one."""
    if not LowResultStatus.listed_ids(year):
        for school in Organization.select().where((Organization.kind == "school")
                                                  & Organization.is_low_result):
            set_status(school, year, True, "directory")
    return services.listed_schools(year)


def _user(login, full_name, position, organization, password):
    user = User(login=login, full_name=full_name, position=position,
                role="centre" if organization.kind == "centre" else "school",
                organization=organization)
    user.set_password(password)
    user.save()
    return user


def load_demo_visits(password):
    """Two curators (signing in with the demo `password`), a visit planned, one written up."""
    year = current_school_year()
    start, end = year_bounds(year)
    listed = _listed(year)
    if not listed:
        return None
    centre = Organization.get(Organization.kind == "centre")
    assigner = User.get(User.login == "centre")
    curators = {}
    for login, full_name, position, org_name in CURATORS:
        org = centre if org_name is None else Organization.get(Organization.short_name == org_name)
        curators[login] = _user(login, full_name, position, org, password)
    by_name = {s.short_name: s for s in listed}
    spare = [s for s in listed if s.short_name not in sum(WANTED.values(), [])]
    curated = {}
    for login, names in WANTED.items():
        schools = [by_name[n] for n in names if n in by_name] or spare[:1]
        spare = [s for s in spare if s not in schools]
        curated[login] = schools
        for school in schools:
            services.assign_curator(curators[login].id, school.id, start, end, assigner.id)
    today = date.today()
    if curated["curator1"]:
        services.plan_visit(Curatorship.get(
            (Curatorship.curator == curators["curator1"].id)
            & (Curatorship.school == curated["curator1"][0].id)),
            {"visit_date": today + timedelta(days=7),
             "purpose": "Методическая помощь в доработке программы повышения качества "
                        "образования по замечаниям центра",
             "participants": "Семенова А.В., методист центра; Тимофеев С.И., директор; "
                             "Кузнецов П.А., заместитель директора по УВР"},
            curators["curator1"].id)
    return _written_visit(curators["curator2"], curated["curator2"], today)


def _written_visit(curator, schools, today):
    if not schools:
        return None
    school = schools[0]
    curatorship = Curatorship.get((Curatorship.curator == curator.id)
                                           & (Curatorship.school == school.id))
    visit_day = max(curatorship.date_from, today - timedelta(days=10))
    visit = services.plan_visit(curatorship, {
        "visit_date": visit_day,
        "purpose": "Изучение организации работы с обучающимися с рисками учебной неуспешности",
        "participants": f"{curator.full_name}, куратор; {school.head_name}, директор; "
                        "Орлова Е.В., заместитель директора по УВР"}, curator.id)
    factors = {f.code: f for f in RiskFactor.in_force(current_school_year(visit_day))}
    # 8 «Высокая доля обучающихся с рисками учебной неуспешности», 3 «Недостаточная предметная
    # и методическая компетентность педагогических работников» (the 2021 list).
    seen = {8: "В 5–6 классах 18 % обучающихся имеют «2» по итогам четверти хотя бы по одному "
               "предмету; диагностика причин не проводилась.",
            3: "Дифференцированные задания на посещённых уроках математики не использовались."}
    findings = {factors[code].id: text for code, text in seen.items() if code in factors}
    period = services.visit_period(visit)
    rows = [
        {"text": "Провести входную диагностику обучающихся 5–6 классов и скорректировать "
                 "индивидуальные образовательные маршруты",
         "deadline_text": f"до 15.12.{period[0]}" if visit_day.month >= 9 else
         f"до 15.05.{period[0] + 1}",
         "responsible": "Орлова Е.В., заместитель директора по УВР"},
        {"text": "Включить дифференцированные задания в планы уроков математики 5–6 классов",
         "deadline_text": "ежемесячно", "responsible": "Руководитель ШМО учителей математики"},
        {"text": "Организовать взаимопосещение уроков математики с учителями школы куратора",
         "deadline_text": f"февраль {period[0] + 1}", "responsible": school.head_name},
    ]
    values = {"visit_date": visit_day, "purpose": visit.purpose,
              "participants": visit.participants,
              "lessons": "Математика, 6 «Б» класс: урок открытия нового знания, "
                         "дифференцированные задания не предусмотрены.\nРусский язык, 5 «А» "
                         "класс: урок развития речи, организована работа в парах.",
              "papers_checked": "Программа повышения качества образования.\n"
                                   "Индивидуальные образовательные маршруты обучающихся "
                                   "5–6 классов.",
              "interviews": "С заместителем директора по УВР о внутришкольном контроле.\nС "
                            "руководителем ШМО учителей математики о работе с неуспевающими.",
              "conclusion": "Работа с обучающимися с рисками учебной неуспешности начата, но "
                            "дифференциация на уроках используется мало; индивидуальные "
                            "маршруты составлены без диагностики."}
    return services.save_report(Visit.get_by_id(visit.id), values, findings, rows, visit.version)
