"""Programme writes: create, save a section (with its version), the review workflow,
approval by the department's order and publication. No request access here."""
import json

from models import (NUMERIC_TYPES, GeneratedDocument, Indicator, IndicatorRule, Programme,
                    ProgrammeComment, ProgrammeRevision, ProgrammeSection, db, now)
from models.risk import programme_risk_codes

from ..core import review
from ..core.autosave import save_versioned
from ..core.filters import date_num, genitive, plural_ru
from ..core.notify import notify, school_users
from ..documents import api as documents
from . import sections as S
from .documents import programme_data
from .reads import stored_values

EDITABLE = ("draft", "returned")


class NotEditable(Exception):
    """The programme is under review or approved: the school cannot change it."""


class InvalidTransition(Exception):
    """The action does not fit the programme's status; the message is Russian."""


# --- writing ---------------------------------------------------------------------------------

def _passport_defaults(school, start, end):
    head = " ".join(p for p in (school.head_position, school.head_name) if p)
    contacts = ", ".join(p for p in (school.phone, school.email) if p)
    return {"title": f"Программа повышения качества образования {school.short_name} "
                     f"на {start}–{end} годы",
            "school_name": school.full_name, "head": head, "contacts": contacts,
            "customer": "", "period_start": str(start), "period_end": str(end),
            "executors": f"Педагогический коллектив {school.short_name}"}


def overlapping(school_id, start):
    """The school's programme whose years meet `start`…`start + 2`, if there is one."""
    return Programme.select().where(
        (Programme.school == school_id) & (Programme.period_start <= start + 2)
        & (Programme.period_end >= start)).order_by(Programme.period_start).first()


def create_programme(school, author, start):
    """A draft for `school` over three years from `start`, the passport taken from the directory
    and the risk factors of section 3 from the school's risk profile (high and medium levels)."""
    end = start + 2
    passport = _passport_defaults(school, start, end)
    _, risks = programme_risk_codes(school.id, start, end)
    initial = {"passport": passport, "analysis": {"risks": risks} if risks else {}}
    with db.atomic():
        programme = Programme.create(school=school, title=passport["title"], period_start=start,
                                     period_end=end, created_by=author)
        for section in S.SECTIONS:
            data = initial.get(section.key, {})
            ProgrammeSection.create(programme=programme, key=section.key,
                                    data=json.dumps(data, ensure_ascii=False), updated_by=author)
    return programme


def save_section(programme, section, form, author):
    """Store a validated section form; return the new version. Conflicts are raised, never
    overwritten: the saved version must be the form's, or the last save came from this form."""
    values = S.flatten(form)
    version = int(form.version.data or 0)
    token = form.token.data or ""
    with db.atomic():
        # Lock the programme row first: a submission in between waits, then wins.
        if not Programme.update(updated_at=now()).where(
                (Programme.id == programme.id) & Programme.status.in_(EDITABLE)).execute():
            raise NotEditable()
        saved = save_versioned(
            ProgrammeSection, (ProgrammeSection.programme == programme.id)
            & (ProgrammeSection.key == section.key), version, token,
            data=json.dumps(values, ensure_ascii=False), updated_at=now(), updated_by=author)
        if section.key == "passport":
            _sync_passport(programme, form)
    return saved


def _sync_passport(programme, form):
    """Title and period live on the programme too: lists and year columns read them."""
    changes = {"title": form.title.data or ""}
    if form.period_start.data and form.period_end.data:
        changes.update(period_start=form.period_start.data, period_end=form.period_end.data)
    Programme.update(**changes).where(Programme.id == programme.id).execute()


def _move(programme, allowed, status, **changes):
    """Change the status only if it is still one of `allowed` (two clicks: one wins)."""
    done = Programme.update(status=status, status_changed_at=now(), updated_at=now(),
                            **changes).where((Programme.id == programme.id)
                                             & Programme.status.in_(allowed)).execute()
    if not done:
        raise InvalidTransition("Статус программы уже изменился: обновите страницу.")


def submit_programme(programme, author):
    """Send to the centre: freeze this revision. The caller checked required fields."""
    with db.atomic():
        current = Programme.get_by_id(programme.id)
        number = current.revision + 1
        _move(programme, EDITABLE, "submitted", revision=number)
        ProgrammeRevision.create(programme=programme.id, number=number, submitted_by=author,
                                 content=json.dumps(stored_values(programme), ensure_ascii=False))
    return number


def _tell_school(programme, kind, text, anchor=""):
    """Notify the school's users about their programme (a link to its page)."""
    url = f"/programmes/{programme.id}" + (f"#{anchor}" if anchor else "")
    notify(school_users(programme.school_id), kind, text, url)


def open_comments(programme, revision=None):
    return review.open_remarks(ProgrammeComment, ProgrammeComment.programme, programme.id,
                               revision)


def return_programme(programme):
    if programme.status != "submitted":
        raise InvalidTransition("Вернуть на доработку можно только программу на рассмотрении.")
    if not open_comments(programme, programme.revision).exists():
        raise InvalidTransition("Напишите хотя бы одно замечание: школа должна знать, "
                                "что исправить.")
    with db.atomic():
        _move(programme, ("submitted",), "returned")
        count = open_comments(programme).count()
        _tell_school(programme, "programme_returned",
                     f"Программа «{programme.title}» возвращена на доработку: {count} "
                     f"{plural_ru(count, 'открытое замечание', 'открытых замечания', 'открытых замечаний')}."
                     " Ответьте на замечания, исправьте разделы и отправьте снова.")


def agree_programme(programme, centre_name, on_date):
    if programme.status != "submitted":
        raise InvalidTransition("Согласовать можно только программу на рассмотрении.")
    with db.atomic():
        _move(programme, ("submitted",), "agreed", agreed_on=on_date, agreed_by=centre_name)
        _tell_school(programme, "programme_agreed",
                     f"Программа «{programme.title}» согласована центром. Следующий шаг — "
                     "утверждение приказом управления образования.")


def add_comment(programme, section, field, label, text, author, by="Центр"):
    """A remark of the centre (or, `by`="Куратор", of the school's curator)."""
    if programme.status != "submitted":
        raise InvalidTransition("Замечания пишут к программе на рассмотрении.")
    remark = review.add_remark(ProgrammeComment, {"programme": programme.id,
                                                  "section": section.key},
                               field, label, text, programme.revision, author)
    where = f"к полю «{label}»" if field else f"к разделу «{section.title}»"
    _tell_school(programme, "remark_added",
                 f"{by} оставил замечание {where} программы «{programme.title}»: {text}",
                 anchor=f"section-{section.key}")
    return remark


def answer_comment(comment, answer, author):
    if comment.programme.status not in EDITABLE:
        raise InvalidTransition("Отвечать на замечания можно, пока программа на доработке.")
    review.answer_remark(comment, answer, author)


# --- approval by order and publication --------------------------------------------------------

def approve_programmes(programmes, order, author, organization):
    """Register the department's order approving `programmes`, then each programme as a
    document stamped with the order's number and date; all or nothing."""
    if not programmes:
        raise InvalidTransition("Отметьте хотя бы одну согласованную программу.")
    if any(p.status != "agreed" for p in programmes):
        raise InvalidTransition("Утвердить можно только согласованные программы.")
    rows = {p.id: programme_data(p) for p in programmes}  # read once, for the order and each
    with db.atomic():
        document = documents.register(
            "order_programmes_approval", plain={"order": order, "programmes": list(rows.values())},
            title=order["heading"], on_date=order["order_date"], author=author,
            organization=organization, source=("programme_approval", programmes[0].id))
        stamp = {"by": genitive(order["organization_name"]), "number": document.number,
                 "date": date_num(document.registered_on)}
        for programme in programmes:
            registered = documents.register(
                "programme", plain=dict(rows[programme.id], approved=stamp),
                title=programme.title or "Программа",
                on_date=document.registered_on, author=author,
                organization=programme.school_id, source=("programme", programme.id))
            _move(programme, ("agreed",), "approved", approval=document, document=registered)
            _tell_school(programme, "programme_approved",
                         f"Программа «{programme.title}» утверждена приказом "
                         f"от {date_num(document.registered_on)} № {document.number}.")
    return document


def publish_programmes(document):
    """Publish an approval order and every programme it approved (those not yet public)."""
    with db.atomic():
        if document.status == "registered":
            documents.publish(document)
        for programme in Programme.select().where((Programme.approval == document.id)
                                                  & (Programme.status == "approved")):
            own = GeneratedDocument.get_or_none(GeneratedDocument.id == programme.document_id)
            if own is not None and own.status == "registered":
                documents.publish(own)
            _move(programme, ("approved",), "published")
            _tell_school(programme, "published",
                         f"Программа «{programme.title}» опубликована на сайте.")



# --- the indicator catalogue and its rules ----------------------------------------------------

class CatalogueConflict(Exception):
    """A change the rules forbid: {field name: message}."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def save_indicator(indicator, values):
    """Create (indicator None) or update an indicator. A code or type that rules rely on stays:
    renaming it or making it text would silently switch those rules off."""
    with db.atomic():
        errors = {}
        duplicate = Indicator.select().where(Indicator.code == values["code"])
        if indicator is not None:
            duplicate = duplicate.where(Indicator.id != indicator.id)
        if duplicate.exists():
            errors["code"] = "Такой код уже есть."
        if indicator is not None:
            used = [r.expression for r in IndicatorRule.using(indicator.code)]
            if used and values["code"] != indicator.code:
                errors["code"] = "Код используется в правилах: " + "; ".join(used) + "."
            if used and values["value_type"] not in NUMERIC_TYPES:
                errors["value_type"] = ("Показатель используется в правилах: тип должен быть "
                                        "числовым или «да/нет».")
        if errors:
            raise CatalogueConflict(errors)
        if indicator is None:
            return Indicator.create(**values)
        Indicator.update(**values).where(Indicator.id == indicator.id).execute()
        return Indicator.get_by_id(indicator.id)


def save_rule(rule, expression, message, is_active, codes):
    """Create (rule None) or update a consistency rule; `codes`: the codes it uses."""
    values = {"expression": expression, "message": message, "is_active": is_active,
              "codes": f" {' '.join(codes)} ", "updated_at": now()}
    with db.atomic():
        if rule is None:
            return IndicatorRule.create(**values)
        IndicatorRule.update(**values).where(IndicatorRule.id == rule.id).execute()
        return IndicatorRule.get_by_id(rule.id)


def delete_rule(rule):
    IndicatorRule.delete().where(IndicatorRule.id == rule.id).execute()
