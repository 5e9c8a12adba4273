"""Risk profiles of the listed schools: the self-diagnosis questionnaire (questions per risk
factor with scored answers) and the level cut-offs as reference data, seeded with a default
questionnaire for the 2021 list of factors; the profiles and their levels per factor."""
import json

from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from ..base import now
from . import existing, frozen_base

# (factor code, [(question, [(answer, score), …]), …]): the more points, the higher the risk.
OFTEN = [("Нет, такого нет", 0), ("Единичные случаи", 1), ("Да, заметная часть", 2),
         ("Да, большинство", 3)]
QUESTIONNAIRE = [
    (1, [
        ("Сколько учебных кабинетов оснащены современным оборудованием (интерактивная панель "
         "или проектор, компьютер учителя)?",
         [("Все или почти все", 0), ("Больше половины", 1), ("Меньше половины", 2),
          ("Единичные кабинеты или ни одного", 3)]),
        ("Есть ли у обучающихся доступ к компьютерам и интернету на уроках и после уроков?",
         [("Да, в любом классе и в библиотеке", 0), ("Только в кабинете информатики", 1),
          ("Доступ ограничен и нерегулярен", 2), ("Нет", 3)]),
        ("Обеспечены ли лабораторные и практические работы по физике, химии, биологии "
         "необходимым оборудованием?",
         [("Да, полностью", 0), ("Частично", 1), ("В основном нет", 2), ("Нет", 3)]),
    ]),
    (2, [
        ("Есть ли в школе вакансии учителей на начало учебного года?",
         [("Нет", 0), ("Одна", 1), ("Две-три", 2), ("Больше трёх", 3)]),
        ("Ведут ли учителя предметы не по своей специальности из-за нехватки кадров?",
         OFTEN),
        ("Какова доля учителей пенсионного возраста?",
         [("Меньше 15 %", 0), ("15–25 %", 1), ("25–40 %", 2), ("Больше 40 %", 3)]),
    ]),
    (3, [
        ("Какая доля учителей имеет первую или высшую квалификационную категорию?",
         [("Больше 70 %", 0), ("50–70 %", 1), ("30–50 %", 2), ("Меньше 30 %", 3)]),
        ("Выявляли ли диагностики профессиональных дефицитов затруднения учителей в предмете "
         "или методике?", OFTEN),
        ("Используют ли учителя результаты ВПР и ОГЭ для корректировки своей работы?",
         [("Да, системно, это видно в планах", 0), ("Да, отдельные учителя", 1),
          ("Формально, анализ не меняет работу", 2), ("Нет", 3)]),
    ]),
    (4, [
        ("Есть ли у обучающихся с трудностями в обучении индивидуальные образовательные "
         "маршруты?",
         [("Да, у всех, кому нужно", 0), ("У части", 1), ("У единичных обучающихся", 2),
          ("Нет", 3)]),
        ("Применяют ли учителя дифференцированные задания на уроках?",
         [("Да, на большинстве уроков", 0), ("Иногда", 1), ("Редко", 2), ("Нет", 3)]),
        ("Организованы ли занятия для обучающихся, которые отстают по предметам?",
         [("Да, по всем основным предметам", 0), ("По некоторым предметам", 1),
          ("Эпизодически", 2), ("Нет", 3)]),
    ]),
    (5, [
        ("Работают ли в школе методические объединения и проводят ли они взаимопосещения "
         "уроков?",
         [("Да, регулярно, с разбором уроков", 0), ("Да, но нерегулярно", 1),
          ("Только формально", 2), ("Нет", 3)]),
        ("Есть ли в школе план повышения квалификации, составленный по выявленным дефицитам "
         "учителей?",
         [("Да, по результатам диагностики", 0), ("Да, по графику аттестации", 1),
          ("Курсы выбираются случайно", 2), ("Нет", 3)]),
        ("Есть ли наставники у молодых и новых учителей?",
         [("Да, у всех", 0), ("У части", 1), ("Формально, без встреч", 2), ("Нет", 3)]),
    ]),
    (6, [
        ("Какая доля обучающихся, для которых русский язык не родной?",
         [("Нет таких обучающихся", 0), ("Меньше 5 %", 1), ("5–15 %", 2),
          ("Больше 15 %", 3)]),
        ("Есть ли занятия по русскому языку как неродному для обучающихся, которым это нужно?",
         [("Да, для всех, кому нужно", 0), ("Для части", 1), ("Эпизодически", 2),
          ("Нет, хотя такие обучающиеся есть", 3)]),
        ("Бывают ли конфликты или трудности общения, связанные с языком или культурой семьи?",
         OFTEN),
    ]),
    (7, [
        ("Как часто в школе случаются конфликты, травля, нарушения дисциплины на уроках?",
         [("Редко, решаются сразу", 0), ("Иногда", 1), ("Часто", 2), ("Постоянно", 3)]),
        ("Есть ли в школе кружки, секции, школьные объединения (театр, медиа, спортивный клуб)?",
         [("Да, много и они заполнены", 0), ("Несколько", 1), ("Одно-два", 2), ("Нет", 3)]),
        ("Работают ли в школе психолог и социальный педагог?",
         [("Да, оба", 0), ("Один из них", 1), ("По совместительству или приходящий", 2),
          ("Нет", 3)]),
    ]),
    (8, [
        ("Какая доля обучающихся получила «2» хотя бы по одному предмету за прошлый год?",
         [("Меньше 5 %", 0), ("5–10 %", 1), ("10–20 %", 2), ("Больше 20 %", 3)]),
        ("Какая доля обучающихся с ОВЗ, на профилактических учётах или из семей в трудной "
         "жизненной ситуации?",
         [("Меньше 10 %", 0), ("10–20 %", 1), ("20–30 %", 2), ("Больше 30 %", 3)]),
        ("Были ли в прошлом году обучающиеся, оставленные на повторное обучение или не "
         "получившие аттестат?",
         [("Нет", 0), ("Один-два", 1), ("Три-пять", 2), ("Больше пяти", 3)]),
    ]),
    (9, [
        ("Какая доля родителей приходит на родительские собрания?",
         [("Больше 70 %", 0), ("50–70 %", 1), ("30–50 %", 2), ("Меньше 30 %", 3)]),
        ("Участвуют ли родители в жизни школы (совет, мероприятия, проекты)?",
         [("Да, активно", 0), ("Небольшая группа", 1), ("Редко", 2), ("Нет", 3)]),
        ("Отвечают ли родители на обращения учителей (журнал, мессенджеры, звонки)?",
         [("Почти все", 0), ("Большинство", 1), ("Меньшинство", 2), ("Почти никто", 3)]),
    ]),
    (10, [
        ("Какая доля обучающихся 5–9 классов участвует в олимпиадах, конкурсах, проектах?",
         [("Больше 50 %", 0), ("30–50 %", 1), ("10–30 %", 2), ("Меньше 10 %", 3)]),
        ("Как часто учителя отмечают безразличие обучающихся к учёбе и невыполнение заданий?",
         [("Редко", 0), ("Иногда", 1), ("Часто", 2), ("Постоянно", 3)]),
        ("Много ли пропусков уроков без уважительной причины?",
         [("Почти нет", 0), ("У отдельных обучающихся", 1), ("Заметно в нескольких классах", 2),
          ("Массово", 3)]),
    ]),
]


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument, RiskFactor = existing(
        db, "organization", "user", "generated_document", "risk_factor")

    class RiskQuestion(Base):
        factor = ForeignKeyField(RiskFactor, backref="+", on_delete="CASCADE")
        position = IntegerField(default=0)
        text = CharField(max_length=1000)
        options = TextField(default="[]")
        is_active = BooleanField(default=True)

    class RiskCutoff(Base):
        factor = ForeignKeyField(RiskFactor, unique=True, backref="+", on_delete="CASCADE")
        low_from = IntegerField(default=25)
        medium_from = IntegerField(default=50)
        high_from = IntegerField(default=75)

    class RiskProfile(Base):
        school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
        year = IntegerField()
        status = CharField(max_length=20, default="diagnosis")
        answers = TextField(default="{}")
        version = IntegerField(default=0)
        editor_token = CharField(max_length=32, default="")
        submitted_at = DateTimeField(null=True)
        submitted_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        confirmed_at = DateTimeField(null=True)
        confirmed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        document = ForeignKeyField(GeneratedDocument, null=True, backref="+",
                                   on_delete="SET NULL")
        created_at = DateTimeField(default=now)
        updated_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("school", "year"), True), (("year", "status"), False))

    class RiskLevel(Base):
        profile = ForeignKeyField(RiskProfile, backref="+", on_delete="CASCADE")
        factor = ForeignKeyField(RiskFactor, backref="+", on_delete="RESTRICT")
        level = CharField(max_length=10, default="")
        computed = CharField(max_length=10, default="")
        score = IntegerField(null=True)
        max_score = IntegerField(null=True)
        source = CharField(max_length=20, default="")
        comment = CharField(max_length=2000, default="")

        class Meta:
            indexes = ((("profile", "factor"), True),)

    db.create_tables([RiskQuestion, RiskCutoff, RiskProfile, RiskLevel])
    factors = dict(db.execute_sql("SELECT code, id FROM risk_factor").fetchall())
    questions, cutoffs = [], []
    for code, items in QUESTIONNAIRE:
        if code not in factors:  # the reference list was edited before this release
            continue
        cutoffs.append({"factor": factors[code]})
        for position, (text, options) in enumerate(items):
            questions.append({"factor": factors[code], "position": position, "text": text,
                              "options": json.dumps([{"text": t, "score": s} for t, s in options],
                                                    ensure_ascii=False)})
    if questions:
        RiskQuestion.insert_many(questions).execute()
    if cutoffs:
        RiskCutoff.insert_many(cutoffs).execute()
