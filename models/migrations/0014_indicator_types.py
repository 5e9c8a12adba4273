"""Indicators get a value type, an allowed range and the options of a list; consistency rules
between indicators; a dozen monitoring indicators and their rules are seeded where absent.

Existing indicators are shares («доля в %») unless their unit is not «%» (the counts seeded by
0007, «ед.»), which become integers."""
from peewee import BooleanField, CharField, DateTimeField, DecimalField, TextField
from playhouse.migrate import migrate

from ..base import now
from . import frozen_base

# code, name, unit, type, direction, min, max, choices, offered in programmes
INDICATORS = [
    ("participants", "Число обучающихся, участвовавших в оценочной процедуре", "чел.", "int",
     "up", 0, None, "", False),
    ("failed", "Число обучающихся, получивших «2»", "чел.", "int", "down", 0, None, "", False),
    ("share_2", "Доля обучающихся, получивших «2»", "%", "percent", "down", None, None, "", True),
    ("graduates", "Число выпускников", "чел.", "int", "up", 0, None, "", False),
    ("no_certificate", "Число выпускников, не получивших аттестат", "чел.", "int", "down", 0,
     None, "", False),
    ("students_at_risk", "Число обучающихся группы риска учебной неуспешности", "чел.", "int",
     "down", 0, None, "", False),
    ("students_with_iom", "Число обучающихся группы риска с индивидуальным образовательным "
     "маршрутом", "чел.", "int", "up", 0, None, "", False),
    ("has_iom", "Для обучающихся группы риска разработаны ИОМ", "", "bool", "up", None, None,
     "", False),
    ("teachers", "Число педагогических работников", "чел.", "int", "up", 0, None, "", False),
    ("trained_teachers", "Число педагогов, прошедших повышение квалификации за период", "чел.",
     "int", "up", 0, None, "", False),
    ("absences_per_student", "Число уроков, пропущенных без уважительной причины, на одного "
     "обучающегося", "ур.", "decimal", "down", 0, 1000, "", False),
    ("parent_satisfaction", "Удовлетворённость родителей качеством образования (оценка)", "",
     "choice", "up", None, None, "высокая\nсредняя\nнизкая", False),
    ("measures", "Принятые меры по повышению качества образования", "", "text", "up", None, None,
     "", False),
]
# Indicators of 0007 whose codes already read as names in a rule (QUALITY, OBJECTIVITY,
# VACANCIES, CATEGORY, ABSENCES…) are not seeded twice; the hyphenated ones (VPR-LOW) cannot be
# named in a rule and are left as they are: programmes store their codes.

RULES = [  # expression, message, the codes it uses
    ("failed <= participants",
     "Получивших «2» не может быть больше, чем участников.", ("failed", "participants")),
    ("share_2 == failed / participants * 100 ± 0,5",
     "Доля «2» не совпадает с числом получивших «2» и числом участников (допуск 0,5 п. п.).",
     ("share_2", "failed", "participants")),
    ("students_with_iom <= students_at_risk",
     "Обучающихся с ИОМ не может быть больше, чем обучающихся группы риска.",
     ("students_with_iom", "students_at_risk")),
    ("no_certificate <= graduates",
     "Не получивших аттестат не может быть больше, чем выпускников.",
     ("no_certificate", "graduates")),
    ("VACANCIES <= teachers",
     "Вакансий больше, чем педагогов: проверьте оба числа.", ("VACANCIES", "teachers")),
    ("trained_teachers <= teachers",
     "Прошедших повышение квалификации не может быть больше, чем педагогов.",
     ("trained_teachers", "teachers")),
]


def up(db, migrator):
    Base = frozen_base(db)

    class IndicatorRule(Base):
        expression = CharField(max_length=500)
        message = CharField(max_length=500)
        is_active = BooleanField(default=True)
        codes = CharField(max_length=1000, default="")
        created_at = DateTimeField(default=now)
        updated_at = DateTimeField(default=now)

    db.create_tables([IndicatorRule])
    migrate(
        migrator.add_column("indicator", "value_type", CharField(max_length=10, default="percent")),
        migrator.add_column("indicator", "min_value", DecimalField(
            max_digits=21, decimal_places=6, null=True)),
        migrator.add_column("indicator", "max_value", DecimalField(
            max_digits=21, decimal_places=6, null=True)),
        migrator.add_column("indicator", "choices", TextField(default="")),
    )
    db.execute_sql('UPDATE "indicator" SET "value_type" = %s WHERE "unit" <> %s'
                   .replace("%s", db.param), ("int", "%"))
    rows = db.execute_sql('SELECT "code", "name" FROM "indicator"').fetchall()
    codes, names = {code for code, _ in rows}, {name for _, name in rows}
    for code, name, unit, kind, direction, low, high, options, offered in INDICATORS:
        if code in codes or name in names:
            continue
        codes.add(code)
        db.execute_sql(
            'INSERT INTO "indicator" ("code", "name", "unit", "direction", "is_active", '
            '"value_type", "min_value", "max_value", "choices") '
            'VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)'.replace("%s", db.param),
            (code, name, unit, direction, offered, kind, low, high, options))
    known = {row[0] for row in db.execute_sql('SELECT "expression" FROM "indicator_rule"')}
    for expression, message, used in RULES:
        if expression not in known and all(code in codes for code in used):
            IndicatorRule.create(expression=expression, message=message,
                                 codes=f" {' '.join(used)} ", created_at=now(),
                                 updated_at=now())
