"""Identification of low-result schools: the saved methodology (a named, versioned set of
criteria with parameters), the school context data its ШФНСУ criterion reads, and the lists a
methodology produced for a school year (a run with one row per school and the numbers behind
every criterion)."""
import json

from peewee import (BooleanField, CharField, DateTimeField, DecimalField, ForeignKeyField,
                    IntegerField, TextField)

from .base import BaseModel, now
from .document import GeneratedDocument
from .organization import Organization
from .user import User

CRITERION_KINDS = {
    "federal": "Федеральный критерий: доля участников ниже порога в нескольких процедурах",
    "vpr_share": "Доля «2» на ВПР по предмету за несколько лет",
    "mean_below": "Средний балл ОГЭ / ЕГЭ ниже среднего по муниципалитету",
    "context": "Индекс социального контекста (ШФНСУ) выше среднего по кластеру",
}
CONTEXT_SHARES = {
    "low_income": "Доля обучающихся из малоимущих семей, %",
    "single_parent": "Доля обучающихся из неполных семей, %",
    "preventive": "Доля обучающихся, состоящих на профилактических учётах, %",
    "special_needs": "Доля обучающихся с ОВЗ, %",
    "non_native": "Доля обучающихся, для которых русский язык не родной, %",
}
RUN_STATUSES = {"draft": "ждёт приказа", "approved": "утверждён приказом",
                "superseded": "заменён новым расчётом"}
MANUAL_CHANGES = {"add": "включена вручную", "remove": "исключена вручную"}


class Methodology(BaseModel):
    family = IntegerField(null=True, index=True)  # the first version's id, shared by versions
    version = IntegerField(default=1)
    name = CharField(max_length=300)
    description = TextField(default="")
    criteria_json = TextField(default="[]")  # [{"kind": …, params…}]
    min_met = IntegerField(default=1)  # criteria a school must meet to be listed
    near_margin = DecimalField(max_digits=5, decimal_places=1, default=5)  # «близко к порогу»
    is_frozen = BooleanField(default=False)  # used for a list: a change makes a new version
    is_current = BooleanField(default=True)  # the latest version of its family
    is_published = BooleanField(default=False)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    @property
    def criteria(self):
        return json.loads(self.criteria_json or "[]")

    def plain(self):
        """What the pure run reads: plain data, no ORM."""
        return {"id": self.id, "name": self.name, "version": self.version,
                "criteria": self.criteria, "min_met": self.min_met,
                "near": float(self.near_margin)}


class SchoolContext(BaseModel):
    """A school's social context in a school year (shares in %, the ШФНСУ criterion)."""
    school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    year = IntegerField()
    is_rural = BooleanField(default=False)
    students = IntegerField(default=0)
    low_income = DecimalField(max_digits=5, decimal_places=1, default=0)
    single_parent = DecimalField(max_digits=5, decimal_places=1, default=0)
    preventive = DecimalField(max_digits=5, decimal_places=1, default=0)
    special_needs = DecimalField(max_digits=5, decimal_places=1, default=0)
    non_native = DecimalField(max_digits=5, decimal_places=1, default=0)
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("school", "year"), True),)

    def plain(self):
        return {"is_rural": self.is_rural, "students": self.students,
                **{name: float(getattr(self, name)) for name in CONTEXT_SHARES}}


class IdentificationRun(BaseModel):
    """A list: the methodology run for a school year, saved with its rows."""
    methodology = ForeignKeyField(Methodology, backref="+", on_delete="RESTRICT")
    year = IntegerField(index=True)  # school year start
    status = CharField(max_length=20, default="draft")  # RUN_STATUSES
    listed_count = IntegerField(default=0)
    entered_count = IntegerField(default=0)
    left_count = IntegerField(default=0)
    near_count = IntegerField(default=0)
    version = IntegerField(default=1)  # +1 on every change of its rows or status (page cache)
    document = ForeignKeyField(GeneratedDocument, null=True, backref="+", on_delete="SET NULL")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    @property
    def status_label(self):
        return RUN_STATUSES.get(self.status, self.status)


class IdentificationRow(BaseModel):
    run = ForeignKeyField(IdentificationRun, backref="+", on_delete="CASCADE")
    school = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    school_name = CharField(max_length=200)
    computed = BooleanField()  # meets the methodology
    listed = BooleanField()  # in the list (computed, or changed by hand)
    met_count = IntegerField(default=0)
    near = BooleanField(default=False)
    change = CharField(max_length=10, default="")  # "entered" / "left" vs last year's list
    details_json = TextField(default="[]")  # [{"title", "met", "near", "lines"}]
    manual = CharField(max_length=10, default="")  # MANUAL_CHANGES
    reason = CharField(max_length=1000, default="")
    manual_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    manual_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("run", "school"), True), (("run", "listed", "school_name"), False))

    @property
    def details(self):
        return json.loads(self.details_json or "[]")

    @property
    def manual_label(self):
        return MANUAL_CHANGES.get(self.manual, "")
