"""School programmes with sections, revisions and comments; risk factors and indicators,
seeded with the 2021 risk list and the monitoring indicators (editable afterwards)."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from . import existing, frozen_base

RISKS_2021 = [
    "Низкий уровень оснащения школы",
    "Дефицит педагогических кадров",
    "Недостаточная предметная и методическая компетентность педагогических работников",
    "Риски низкой адаптивности учебного процесса",
    "Несформированность внутришкольной системы повышения квалификации",
    "Низкое качество преодоления языковых и культурных барьеров",
    "Пониженный уровень качества школьной образовательной и воспитательной среды",
    "Высокая доля обучающихся с рисками учебной неуспешности",
    "Низкий уровень вовлечённости родителей",
    "Низкая учебная мотивация обучающихся",
]

INDICATORS = [  # code, name, unit, direction
    ("VPR-LOW", "Доля обучающихся, не достигших базового уровня по результатам ВПР", "%", "down"),
    ("OGE-RUS-FAIL", "Доля обучающихся, получивших «2» на ОГЭ по русскому языку", "%", "down"),
    ("OGE-MATH-FAIL", "Доля обучающихся, получивших «2» на ОГЭ по математике", "%", "down"),
    ("EGE-BELOW-MIN", "Доля выпускников, не преодолевших минимальный порог ЕГЭ", "%", "down"),
    ("NO-CERT", "Доля выпускников, не получивших аттестат", "%", "down"),
    ("OBJECTIVITY", "Доля обучающихся, подтвердивших четвертные отметки на ВПР", "%", "up"),
    ("FAILING", "Доля неуспевающих по итогам четверти (полугодия)", "%", "down"),
    ("QUALITY", "Качество знаний (доля обучающихся на «4» и «5»)", "%", "up"),
    ("IOM", "Доля обучающихся группы риска с индивидуальным образовательным маршрутом", "%", "up"),
    ("VACANCIES", "Число вакансий педагогических работников", "ед.", "down"),
    ("TRAINED", "Доля педагогов, прошедших повышение квалификации за период", "%", "up"),
    ("CATEGORY", "Доля педагогов с первой или высшей квалификационной категорией", "%", "up"),
    ("ROADMAP-ON-TIME", "Доля мероприятий дорожной карты, выполненных в срок", "%", "up"),
    ("PARTNER-EVENTS", "Число мероприятий со школой-партнёром и куратором", "ед.", "up"),
    ("ABSENCES", "Доля уроков, пропущенных без уважительной причины", "%", "down"),
    ("PARENT-SAT", "Удовлетворённость родителей качеством образования", "%", "up"),
    ("STUDENT-SAT", "Удовлетворённость обучающихся школьной жизнью", "%", "up"),
]


def up(db, migrator):
    Base = frozen_base(db)
    Organization, User, GeneratedDocument = existing(db, "organization", "user",
                                                     "generated_document")

    class RiskFactor(Base):
        code = IntegerField(unique=True)
        name = CharField(max_length=500)
        valid_from = IntegerField(null=True)
        valid_to = IntegerField(null=True)

    class Indicator(Base):
        code = CharField(max_length=30, unique=True)
        name = CharField(max_length=500)
        unit = CharField(max_length=50, default="%")
        direction = CharField(max_length=4, default="up")
        is_active = BooleanField(default=True)

    class Programme(Base):
        school = ForeignKeyField(Organization, on_delete="RESTRICT")
        title = CharField(max_length=500, default="")
        period_start = IntegerField()
        period_end = IntegerField()
        status = CharField(max_length=20, default="draft", index=True)
        revision = IntegerField(default=0)
        status_changed_at = DateTimeField()
        approval = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")
        document = ForeignKeyField(GeneratedDocument, null=True, on_delete="SET NULL")
        agreed_on = DateField(null=True)
        agreed_by = CharField(max_length=500, default="")
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class ProgrammeSection(Base):
        programme = ForeignKeyField(Programme, on_delete="CASCADE")
        key = CharField(max_length=20)
        data = TextField(default="{}")
        version = IntegerField(default=0)
        editor_token = CharField(max_length=32, default="")
        updated_at = DateTimeField()
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("programme", "key"), True),)

    class ProgrammeRevision(Base):
        programme = ForeignKeyField(Programme, on_delete="CASCADE")
        number = IntegerField()
        content = TextField()
        submitted_at = DateTimeField()
        submitted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("programme", "number"), True),)

    class ProgrammeComment(Base):
        programme = ForeignKeyField(Programme, on_delete="CASCADE")
        section = CharField(max_length=20)
        field = CharField(max_length=100, default="")
        field_label = CharField(max_length=300, default="")
        text = TextField()
        revision = IntegerField()
        author = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        is_answered = BooleanField(default=False)
        answer = TextField(default="")
        answered_at = DateTimeField(null=True)
        answered_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    db.create_tables([RiskFactor, Indicator, Programme, ProgrammeSection, ProgrammeRevision,
                      ProgrammeComment])
    RiskFactor.insert_many([{"code": n, "name": name, "valid_from": 2021}
                            for n, name in enumerate(RISKS_2021, start=1)]).execute()
    Indicator.insert_many([{"code": c, "name": n, "unit": u, "direction": d}
                           for c, n, u, d in INDICATORS]).execute()
