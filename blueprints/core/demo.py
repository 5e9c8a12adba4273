"""Demo data for a new database: the Novorechinsky district, its centre, department and schools.

The district is fictional; names, addresses and ИНН are made up (ИНН with valid checksums).
"""
from models import ROLES, Organization, User, db

DEMO_PASSWORD = "demo"
MUNICIPALITY = "Новоречинский муниципальный район"
TOWN = "г. Новоречинск"
POSTCODE = "663100"
# login, full name, position, role, organisation key
ACCOUNTS = [
    ("admin", "Соколова Ирина Владимировна", "Администратор системы", "admin", "centre"),
    ("centre", "Белова Наталья Сергеевна", "Методист", "centre", "centre"),
    ("department", "Гущин Андрей Петрович", "Главный специалист", "department", "department"),
    ("school1", "Орлова Елена Викторовна", "Заместитель директора по УВР", "school", 1),
    ("school2", "Кузнецов Павел Андреевич", "Заместитель директора по УВР", "school", 2),
    # The leader schools partnering СОШ № 1 and СОШ № 2 (partnerships).
    ("leader1", "Лебедева Анна Михайловна", "Директор", "school", 3),
    ("leader2", "Никитин Алексей Юрьевич", "Директор", "school", 4),
]
# (full name, short name, address, head, leader?, low results?)
SCHOOLS = [
    ("Средняя общеобразовательная школа № 1 г. Новоречинска", "СОШ № 1",
     "ул. Ленина, д. 12", "Макарова Ольга Николаевна", False, True),
    ("Средняя общеобразовательная школа № 2 г. Новоречинска", "СОШ № 2",
     "ул. Советская, д. 45", "Тимофеев Сергей Иванович", False, True),
    ("Гимназия № 3 г. Новоречинска", "Гимназия № 3",
     "пр. Мира, д. 8", "Лебедева Анна Михайловна", True, False),
    ("Лицей № 4 г. Новоречинска", "Лицей № 4",
     "ул. Кирова, д. 21", "Никитин Алексей Юрьевич", True, False),
    ("Средняя общеобразовательная школа № 5 г. Новоречинска", "СОШ № 5",
     "ул. Школьная, д. 3", "Васильева Татьяна Петровна", False, False),
    ("Основная общеобразовательная школа № 6 г. Новоречинска", "ООШ № 6",
     "ул. Заречная, д. 17", "Григорьев Виктор Семёнович", False, True),
    ("Средняя общеобразовательная школа № 7 г. Новоречинска", "СОШ № 7",
     "ул. Гагарина, д. 30", "Фёдорова Марина Александровна", True, False),
    ("Средняя общеобразовательная школа № 8 г. Новоречинска", "СОШ № 8",
     "ул. Строителей, д. 5", "Ершов Дмитрий Олегович", False, False),
    ("Берёзовская средняя общеобразовательная школа", "Берёзовская СОШ",
     "с. Берёзовка, ул. Центральная, д. 1", "Семёнова Галина Ивановна", False, True),
    ("Сосновская средняя общеобразовательная школа", "Сосновская СОШ",
     "с. Сосновка, ул. Школьная, д. 2", "Павлов Игорь Викторович", False, False),
    ("Калиновская основная общеобразовательная школа", "Калиновская ООШ",
     "д. Калиновка, ул. Луговая, д. 4", "Зайцева Людмила Фёдоровна", False, True),
    ("Покровская средняя общеобразовательная школа", "Покровская СОШ",
     "с. Покровка, ул. Набережная, д. 9", "Морозов Николай Геннадьевич", False, False),
    ("Ключевская средняя общеобразовательная школа", "Ключевская СОШ",
     "с. Ключи, ул. Мира, д. 14", "Андреева Светлана Юрьевна", True, False),
    ("Малиновская основная общеобразовательная школа", "Малиновская ООШ",
     "п. Малиновка, ул. Лесная, д. 6", "Крылов Евгений Борисович", False, True),
    ("Ивановская средняя общеобразовательная школа", "Ивановская СОШ",
     "с. Ивановка, ул. Молодёжная, д. 11", "Степанова Вера Алексеевна", False, False),
    ("Таёжная основная общеобразовательная школа", "Таёжная ООШ",
     "п. Таёжный, ул. Железнодорожная, д. 2", "Романов Кирилл Андреевич", False, True),
    ("Озёрная средняя общеобразовательная школа", "Озёрная СОШ",
     "с. Озёрное, ул. Садовая, д. 7", "Власова Ирина Петровна", False, False),
    ("Средняя общеобразовательная школа № 9 г. Новоречинска", "СОШ № 9",
     "ул. Пушкина, д. 40", "Белов Артём Игоревич", False, False),
    ("Средняя общеобразовательная школа № 10 г. Новоречинска", "СОШ № 10",
     "мкр. Северный, д. 15", "Куликова Оксана Викторовна", True, False),
    ("Центр образования «Перспектива» г. Новоречинска", "ЦО «Перспектива»",
     "ул. Молодёжная, д. 1", "Егоров Роман Сергеевич", False, False),
]


def demo_inn(serial):
    """A made-up ИНН of the fictional district with a valid check digit."""
    body = f"2447{serial:05d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return body + str(sum(int(d) * w for d, w in zip(body, weights)) % 11 % 10)


def _org(serial, kind, full_name, short_name, address, head_position, head_name, **flags):
    return Organization.create(
        kind=kind, full_name=full_name, short_name=short_name, municipality=MUNICIPALITY,
        address=f"{POSTCODE}, Красноярский край, Новоречинский район, {address}",
        inn=demo_inn(serial), kpp="244701001", phone=f"+7 (39145) 2-{10 + serial:02d}-{serial * 3 % 90 + 10:02d}",
        email=f"org{serial}@novorech-edu.example.ru", head_position=head_position,
        head_name=head_name, **flags)


def describe_accounts():
    """(login, who) for the start-up message and the README."""
    names = {"centre": "МБУ «Центр развития образования»", "department": "Управление образования",
             1: f"МБОУ «{SCHOOLS[0][1]}»", 2: f"МБОУ «{SCHOOLS[1][1]}»",
             3: f"МБОУ «{SCHOOLS[2][1]}»", 4: f"МБОУ «{SCHOOLS[3][1]}»"}
    from ..visits.demo import CURATORS
    return [(login, f"{ROLES[role]}: {names[key]}") for login, _, _, role, key in ACCOUNTS] + [
        (login, f"Куратор: {org or names['centre']}") for login, _, _, org in CURATORS]


def load_demo():
    """Create the demo organisations and accounts."""
    with db.atomic():
        orgs = {
            "centre": _org(1, "centre", "Муниципальное бюджетное учреждение «Центр развития "
                           "образования» Новоречинского района", "МБУ «Центр развития образования»",
                           f"{TOWN}, ул. Ленина, д. 5", "Директор", "Смирнова Людмила Аркадьевна"),
            "department": _org(2, "department", "Управление образования администрации "
                               "муниципального образования Новоречинский район",
                               "Управление образования", f"{TOWN}, ул. Ленина, д. 1",
                               "Начальник управления образования", "Волков Михаил Евгеньевич"),
        }
        for number, (full, short, address, head, leader, low) in enumerate(SCHOOLS, start=1):
            place = address if address.startswith(("с.", "д.", "п.")) else f"{TOWN}, {address}"
            orgs[number] = _org(
                10 + number, "school", f"Муниципальное бюджетное общеобразовательное учреждение «{full}»",
                f"МБОУ «{short}»", place, "Директор", head, is_leader=leader, is_low_result=low)
        for login, full_name, position, role, org_key in ACCOUNTS:
            user = User(login=login, full_name=full_name, position=position, role=role,
                        organization=orgs[org_key])
            user.set_password(DEMO_PASSWORD)
            user.save()
        _load_feature_demos()


def _load_feature_demos():
    """Each feature adds its own demo records once the directory and accounts exist."""
    from ..identification.demo import load_demo_identification
    from ..meetings.demo import load_demo_meetings
    from ..monitoring.demo import load_demo_monitoring
    from ..orders.demo import load_demo_orders
    from ..partnerships.demo import load_demo_partnerships
    from ..programmes.demo import load_demo_programmes
    from ..risks.demo import load_demo_risks
    from ..roadmaps.demo import load_demo_roadmaps
    from ..visits.demo import load_demo_visits

    load_demo_orders()
    load_demo_meetings()
    load_demo_programmes()
    load_demo_roadmaps()
    load_demo_partnerships()
    load_demo_monitoring()
    load_demo_identification()
    load_demo_risks()
    load_demo_visits(DEMO_PASSWORD)  # last: the curated schools come from the approved list, if any
