"""What partnerships ask of each role (core/inbox.py): a school, its side's confirmation and
the plan rows due; the department, pairs waiting for its order; the centre, agreements
registered and not yet published."""
from datetime import timedelta

from flask import url_for
from peewee import JOIN

from models import GeneratedDocument, Organization, Partnership, PartnershipConfirmation, PlanRow

from ..core.inbox import SOON, Item
from .execution import EXECUTABLE


def waiting(user, today):
    if user.role == "school":
        return _confirmations(user) + _plan_rows(user, today)
    if user.role == "department":
        count = Partnership.select().where(Partnership.status == "proposed").count()
        return [Item(f"Пары школ предложены центром и ждут приказа: {count}",
                     url_for("partnerships.index", status="proposed"),
                     note="Подготовьте приказ об организации партнёрского взаимодействия.")
                ] if count else []
    count = GeneratedDocument.select().where(
        (GeneratedDocument.doctype == "partnership_agreement")
        & (GeneratedDocument.status == "registered")).count()
    return [Item(f"Соглашения о партнёрстве зарегистрированы и ждут публикации: {count}",
                 url_for("documents.index", doctype="partnership_agreement",
                         status="registered"))] if count else []


def _confirmations(user):
    mine = user.organization_id
    Leader, Partner = Organization.alias(), Organization.alias()
    confirmed = PartnershipConfirmation.select(PartnershipConfirmation.partnership).where(
        PartnershipConfirmation.confirmed_at.is_null(False)
        & (((PartnershipConfirmation.side == "leader") & (Partnership.leader == mine))
           | ((PartnershipConfirmation.side == "partner") & (Partnership.partner == mine))))
    pairs = (Partnership.select(Partnership, Leader.short_name.alias("leader_name"),
                                Partner.short_name.alias("partner_name"))
             .join(Leader, on=(Partnership.leader == Leader.id))
             .switch(Partnership).join(Partner, on=(Partnership.partner == Partner.id))
             .where((Partnership.status == "approved")
                    & ((Partnership.leader == mine) | (Partnership.partner == mine))
                    & Partnership.id.not_in(confirmed)).objects())
    return [Item(f"Согласуйте соглашение и план взаимодействия с "
                 f"{p.partner_name if p.leader_id == mine else p.leader_name}",
                 url_for("partnerships.show", partnership_id=p.id),
                 note=f"{p.period_label} учебный год") for p in pairs]


def _plan_rows(user, today):
    mine = user.organization_id
    rows = (PlanRow.select(PlanRow).join(Partnership, JOIN.INNER)
            .where(((Partnership.leader == mine) | (Partnership.partner == mine))
                   # A plan is carried out once registered: before, its rows are only drafts.
                   & Partnership.status.in_(EXECUTABLE)
                   & (PlanRow.status != "done") & PlanRow.ends_on.is_null(False)
                   & (PlanRow.ends_on <= today + timedelta(days=SOON)))
            .order_by(PlanRow.ends_on).limit(30))
    return [Item(f"План взаимодействия: {row.title}",
                 url_for("partnerships.show", partnership_id=row.partnership_id),
                 due=row.ends_on, note="Отметьте выполнение и приложите подтверждение.")
            for row in rows]



