"""«Сформировать соглашения для всех пар»: for every pair of an approved order whose both sides
confirmed, render and register the agreement and the plan (those not registered yet), convert
them to PDF and put both in one .zip, as one background job (jobs.engine). An item is a pair;
its document is the agreement and its companion the plan (BatchKind.companions)."""
from peewee import fn
from wtforms import BooleanField, SelectField

from models import GeneratedDocument, Partnership, PartnershipConfirmation, db, school_year

from ..core.forms import BaseForm
from ..documents import api as docs
from ..jobs.batches import BatchKind, ItemError
from . import agreement

AGREEMENT, PLAN = "partnership_agreement", "partnership_plan"
READY = ("registered", "signed")


def _label(pair, names):
    return (f"{names.get(pair.leader_id, pair.leader_id)} — "
            f"{names.get(pair.partner_id, pair.partner_id)}, {school_year(pair.period_start)}")


def _labels(pair_ids):
    from models import Organization

    pairs = {p.id: p for p in Partnership.select().where(Partnership.id.in_(pair_ids))}
    org_ids = {p.leader_id for p in pairs.values()} | {p.partner_id for p in pairs.values()}
    names = {o.id: o.short_name for o in Organization.select(
        Organization.id, Organization.short_name).where(Organization.id.in_(org_ids))}
    return {pair_id: f"Соглашение и план: {_label(pairs[pair_id], names)}" if pair_id in pairs
            else f"Пара {pair_id}" for pair_id in pair_ids}


def both_confirmed(pair_ids):
    """Ids among `pair_ids` whose leader and partner both stand confirmed."""
    rows = (PartnershipConfirmation.select(PartnershipConfirmation.partnership)
            .where(PartnershipConfirmation.partnership.in_(pair_ids)
                   & PartnershipConfirmation.confirmed_at.is_null(False))
            .group_by(PartnershipConfirmation.partnership)
            .having(fn.COUNT(PartnershipConfirmation.side.distinct()) == 2).tuples())
    return {row[0] for row in rows}


def pairs_of(period_start):
    """The pairs of the school year the job takes: approved by a registered order, both sides
    confirmed (status «registered» or «signed», or both confirmations standing while the
    documents are missing), in the order of the list."""
    pairs = list(Partnership.select().where((Partnership.period_start == period_start)
                                            & Partnership.approval.is_null(False))
                 .order_by(Partnership.id))
    confirmed = both_confirmed([p.id for p in pairs]) if pairs else set()
    return [p for p in pairs if p.status in READY or p.id in confirmed]


def years():
    """[(school year, pairs approved by an order)] newest first: what the button offers."""
    return list(Partnership.select(Partnership.period_start, fn.COUNT(Partnership.id))
                .where(Partnership.approval.is_null(False))
                .group_by(Partnership.period_start)
                .order_by(Partnership.period_start.desc()).tuples())


def register_pair(pair, author):
    """Register the pair's agreement and plan where missing (agreement.register_documents:
    an existing registration is kept). Returns (agreement, plan)."""
    missing = [key for key in (AGREEMENT, PLAN) if key not in docs.doctypes()]
    if missing:
        raise ItemError("Не установлен шаблон документа: " + ", ".join(missing) + ".")
    pair = Partnership.get_by_id(pair.id)
    if pair.status not in READY and pair.id not in both_confirmed([pair.id]):
        raise ItemError("Соглашение и план подтверждены не обеими сторонами.")
    with db.atomic():
        return agreement.register_documents(pair, author)


def _register(pair_id, job):
    pair = Partnership.get_or_none(Partnership.id == pair_id)
    if pair is None:
        raise ItemError("Пара удалена.")
    return register_pair(pair, job.created_by_id)[0]


def _companions(pair_id, document):
    """The plan, registered with the agreement `document`."""
    plan_id = Partnership.select(Partnership.plan).where(Partnership.id == pair_id).scalar()
    return [GeneratedDocument.get_by_id(plan_id)] if plan_id else []


AGREEMENTS_REGISTER = BatchKind(key="partnerships.agreements",
                                title="Соглашения и планы взаимодействия", labels=_labels,
                                register=_register, companions=_companions,
                                back_url="partnerships.index")


class BulkForm(BaseForm):
    year = SelectField("Учебный год", coerce=int, validate_choice=True)
    with_pdf = BooleanField("Сформировать PDF", default=True)
