"""Partnership writes shared by every part of the feature: proposing a pair, recording a
change (which clears the sides' confirmations) and the content both sides confirm.
No request access here."""
import json

from models import (INTERACTION_DIRECTIONS, Partnership, PartnershipConfirmation, PlanRow,
                    db, now, school_year)

from ..core.notify import notify, school_users
from .documents import default_terms


class PartnershipError(Exception):
    """A refused write; the message is Russian and names the reason."""


def check_pair(period_start, leader, partner, exclude_id=None):
    """Refuse a school partnered with itself or a partner school paired twice in a year."""
    if leader.id == partner.id:
        raise PartnershipError("Школа не может быть партнёром самой себе.")
    if leader.kind != "school" or partner.kind != "school":
        raise PartnershipError("В паре могут быть только школы.")
    taken = Partnership.select().where((Partnership.period_start == period_start)
                                       & (Partnership.partner == partner.id))
    if exclude_id is not None:
        taken = taken.where(Partnership.id != exclude_id)
    other = taken.first()
    if other is not None:
        raise PartnershipError(
            f"У {partner.short_name} уже есть школа-лидер на {school_year(period_start)} "
            f"учебный год: {other.leader.short_name}.")


def propose(period_start, leader, partner, directions, author, coordinator=None):
    """A new pair «предложена»; all-or-nothing with its checks."""
    unknown = set(directions) - INTERACTION_DIRECTIONS.keys()
    if unknown:
        raise PartnershipError("Неизвестное направление взаимодействия.")
    with db.atomic():
        check_pair(period_start, leader, partner)
        return Partnership.create(period_start=period_start, leader=leader, partner=partner,
                                  coordinator=coordinator, created_by=author,
                                  directions=json.dumps(list(directions)))


def content(partnership):
    """What both sides confirm: the directions, the agreement's terms and the plan rows (each
    with its id, so a later diff tells a changed row from a replaced one), as plain data."""
    stored = Partnership.get_by_id(partnership.id)
    rows = PlanRow.select().where(PlanRow.partnership == partnership.id).order_by(
        PlanRow.position, PlanRow.id)
    return {"directions": stored.direction_keys,
            # The terms in force: a field never saved reads as its default text, which is
            # what the page shows and the agreement prints, so saving it unchanged is no change.
            "terms": terms_of(stored),
            "plan": [{"id": r.id, "title": r.title, "form": r.form, "deadline": r.deadline_text,
                      "leader_responsible": r.leader_responsible,
                      "partner_responsible": r.partner_responsible,
                      "expected_result": r.expected_result} for r in rows]}


def terms_of(pair):
    """The pair's terms: the defaults, overridden by what was saved."""
    return dict(default_terms(pair), **pair.terms_values)


def side_school(pair, side):
    """The organisation id that speaks for `side` ("leader" or "partner")."""
    return pair.leader_id if side == "leader" else pair.partner_id


def changed(partnership, user):
    """Record a change of what the sides confirm: bump the version and clear every standing
    confirmation (the side is then shown what changed since it confirmed). Call inside the
    change's transaction; returns the new version."""
    Partnership.update(version=Partnership.version + 1, updated_at=now()).where(
        Partnership.id == partnership.id).execute()
    cleared = [c.side for c in PartnershipConfirmation.select(PartnershipConfirmation.side).where(
        (PartnershipConfirmation.partnership == partnership.id)
        & PartnershipConfirmation.confirmed_at.is_null(False))]
    pair = Partnership.get_by_id(partnership.id)
    for side in cleared:
        notify(school_users(side_school(pair, side)), "confirmation_cleared",
               f"Соглашение {pair.leader.short_name} и {pair.partner.short_name} изменено после "
               "вашего согласования: согласование снято. Проверьте изменения и согласуйте ещё раз.",
               f"/partnerships/{pair.id}")
    PartnershipConfirmation.update(confirmed_at=None, cleared_at=now(), cleared_by=user).where(
        (PartnershipConfirmation.partnership == partnership.id)
        & PartnershipConfirmation.confirmed_at.is_null(False)).execute()
    return Partnership.select(Partnership.version).where(
        Partnership.id == partnership.id).scalar()
