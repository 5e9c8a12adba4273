"""Pairs for a school year: the list's reads (one query per concern), proposing, editing and
deleting a proposed pair, suggestions from the directory, creating many pairs at once and the
department's approving order. No request access here; the pair's own checks are in
services.py (check_pair, propose)."""
import json

from peewee import JOIN, fn

from models import (INTERACTION_DIRECTIONS, PARTNERSHIP_STATUSES, Organization, Partnership,
                    PartnershipConfirmation, current_school_year, db, now, school_year)
from models.search import matches

from ..documents import api as documents
from .services import PartnershipError, check_pair, propose

DEFAULT_DIRECTIONS = ("consulting", "lesson_visits", "mentoring")
COORDINATOR_KINDS = ("centre", "department")

Leader = Organization.alias("leader_org")
PartnerOrg = Organization.alias("partner_org")
Coordinator = Organization.alias("coordinator_org")
LeaderSide = PartnershipConfirmation.alias("leader_side")
PartnerSide = PartnershipConfirmation.alias("partner_side")


current_year = current_school_year  # the list and the year pages open on it


def year_choices():
    """(value, «2026/2027») from last school year to two years ahead."""
    this = current_year()
    return [(str(y), school_year(y)) for y in range(this - 1, this + 3)]


# --- the list ---------------------------------------------------------------------------------

def listing(user, year=None, status="", municipality="", text="", with_load=False):
    """The pairs `user` may see in one query, as dicts: the pair's columns, the three
    organisations' names (leader_name, partner_name, coordinator_name), both sides' standing
    confirmations (leader_confirmed, partner_confirmed: an id or None) and, `with_load`, the
    leader's number of partners that school year (leader_load)."""
    columns = [Partnership.id, Partnership.period_start, Partnership.leader,
               Partnership.partner, Partnership.coordinator, Partnership.directions,
               Partnership.status, Partnership.approval,
               Leader.short_name.alias("leader_name"),
               PartnerOrg.short_name.alias("partner_name"),
               Coordinator.short_name.alias("coordinator_name"),
               LeaderSide.id.alias("leader_confirmed"), PartnerSide.id.alias("partner_confirmed")]
    if with_load:
        same = Partnership.alias("same_leader")
        columns.append(same.select(fn.COUNT(same.id)).where(
            (same.leader == Partnership.leader)
            & (same.period_start == Partnership.period_start)).alias("leader_load"))
    query = (Partnership.visible_to(user).select(*columns)
             .join(Leader, on=(Partnership.leader == Leader.id))
             .switch(Partnership).join(PartnerOrg, on=(Partnership.partner == PartnerOrg.id))
             .switch(Partnership).join(Coordinator, JOIN.LEFT_OUTER,
                                       on=(Partnership.coordinator == Coordinator.id))
             .switch(Partnership).join(LeaderSide, JOIN.LEFT_OUTER, on=(
                 (LeaderSide.partnership == Partnership.id) & (LeaderSide.side == "leader")
                 & LeaderSide.confirmed_at.is_null(False)))
             .switch(Partnership).join(PartnerSide, JOIN.LEFT_OUTER, on=(
                 (PartnerSide.partnership == Partnership.id) & (PartnerSide.side == "partner")
                 & PartnerSide.confirmed_at.is_null(False))))
    if year is not None:
        query = query.where(Partnership.period_start == year)
    if status:
        query = query.where(Partnership.status == status)
    if municipality:
        query = query.where((Leader.municipality == municipality)
                            | (PartnerOrg.municipality == municipality))
    leader_named = matches(Leader, text)
    if leader_named is not None:
        query = query.where(leader_named | matches(PartnerOrg, text))
    return query.order_by(Partnership.period_start.desc(), Leader.short_name,
                          PartnerOrg.short_name, Partnership.id).dicts()


def counted(query):
    """The rows of a listing() counted without its columns, order and subqueries."""
    return query.select(Partnership.id).order_by()


def loads(year):
    """{leader id: number of partners} in the school year `year`."""
    rows = (Partnership.select(Partnership.leader, fn.COUNT(Partnership.id).alias("n"))
            .where(Partnership.period_start == year).group_by(Partnership.leader).tuples())
    return dict(rows)


BADGES = {"proposed": "text-bg-secondary", "approved": "text-bg-primary",
          "registered": "text-bg-info", "signed": "text-bg-success"}


def table_rows(pairs):
    """The list's rows (dicts from listing()) with every label computed once here rather than
    in the template."""
    return [{"id": p["id"], "year": school_year(p["period_start"]), "status": p["status"],
             "leader": p["leader_name"], "partner": p["partner_name"],
             "load": p.get("leader_load"),
             "directions": ", ".join(INTERACTION_DIRECTIONS.get(k, k)
                                     for k in json.loads(p["directions"] or "[]")),
             "coordinator": p["coordinator_name"] or "",
             "status_label": PARTNERSHIP_STATUSES.get(p["status"], p["status"]),
             "badge": BADGES.get(p["status"], "text-bg-light"),
             "leader_ok": p["leader_confirmed"] is not None,
             "partner_ok": p["partner_confirmed"] is not None,
             "leader_id": p["leader"], "partner_id": p["partner"]} for p in pairs]


# --- choices for the forms ---------------------------------------------------------------------

def leader_choices(year):
    """Schools for the leader field: flagged leaders first, each with its load that year."""
    load = loads(year) if year else {}
    schools = (Organization.select(Organization.id, Organization.short_name,
                                   Organization.is_leader)
               .where(Organization.kind == "school")
               .order_by(Organization.is_leader.desc(), Organization.short_name, Organization.id))
    result = []
    for school in schools:
        mark = f" — лидер, партнёров: {load.get(school.id, 0)}" if school.is_leader else ""
        result.append((school.id, f"{school.short_name}{mark}"))
    return result


def partner_choices():
    schools = (Organization.select(Organization.id, Organization.short_name,
                                   Organization.is_low_result)
               .where(Organization.kind == "school")
               .order_by(Organization.is_low_result.desc(), Organization.short_name,
                         Organization.id))
    return [(s.id, f"{s.short_name}{' — ШНОР' if s.is_low_result else ''}") for s in schools]


def coordinator_choices():
    rows = (Organization.select(Organization.id, Organization.short_name)
            .where(Organization.kind.in_(COORDINATOR_KINDS))
            .order_by(Organization.kind, Organization.short_name))
    return [(o.id, o.short_name) for o in rows]


# --- writing one pair -------------------------------------------------------------------------

def _organization(org_id):
    return Organization.get_or_none(Organization.id == org_id) if org_id else None


def propose_pair(year, leader_id, partner_id, directions, author, coordinator_id=None):
    """A new pair «предложена» from ids; PartnershipError with the reason."""
    leader, partner = _organization(leader_id), _organization(partner_id)
    if leader is None or partner is None:
        raise PartnershipError("Школа не найдена в справочнике.")
    return propose(year, leader, partner, directions, author, _organization(coordinator_id))


def _proposed_or_error(pair):
    if Partnership.select(Partnership.status).where(
            Partnership.id == pair.id).scalar() != "proposed":
        raise PartnershipError("Пара уже утверждена приказом: изменить или удалить её "
                               "нельзя.")


def update_pair(pair, year, leader_id, partner_id, directions, coordinator_id=None):
    """Change a pair still «предложена»; the same checks as a new one."""
    leader, partner = _organization(leader_id), _organization(partner_id)
    if leader is None or partner is None:
        raise PartnershipError("Школа не найдена в справочнике.")
    if set(directions) - INTERACTION_DIRECTIONS.keys():
        raise PartnershipError("Неизвестное направление взаимодействия.")
    with db.atomic():
        _proposed_or_error(pair)
        check_pair(year, leader, partner, exclude_id=pair.id)
        Partnership.update(period_start=year, leader=leader, partner=partner,
                           coordinator=coordinator_id or None,
                           directions=json.dumps(list(directions)), updated_at=now()).where(
            (Partnership.id == pair.id) & (Partnership.status == "proposed")).execute()
    return Partnership.get_by_id(pair.id)


def delete_pair(pair):
    with db.atomic():
        _proposed_or_error(pair)
        pair.delete_instance(recursive=True)


def describe(pair):
    """«2026/2027: МБОУ «Лицей № 7» → МБОУ «СОШ № 1»» for the audit log and messages."""
    names = dict(Organization.select(Organization.id, Organization.short_name).where(
        Organization.id.in_([pair.leader_id, pair.partner_id])).tuples())
    return (f"{school_year(pair.period_start)}: {names.get(pair.leader_id, '?')} → "
            f"{names.get(pair.partner_id, '?')}")


# --- many pairs at once -----------------------------------------------------------------------

def suggestions(year):
    """[(low-result school, suggested leader or None)] for each low-result school without a
    partner in `year`. Leaders are taken by their load that year (the suggestions made here
    count too), then the same municipality first, then the name."""
    taken = Partnership.select(Partnership.partner).where(Partnership.period_start == year)
    schools = list(Organization.select(Organization.id, Organization.short_name,
                                       Organization.municipality)
                   .where((Organization.kind == "school") & (Organization.is_low_result == True)  # noqa: E712
                          & Organization.id.not_in(taken))
                   .order_by(Organization.municipality, Organization.short_name))
    leaders = list(Organization.select(Organization.id, Organization.short_name,
                                       Organization.municipality)
                   .where((Organization.kind == "school") & (Organization.is_leader == True))  # noqa: E712
                   .order_by(Organization.short_name))
    load = loads(year)
    result = []
    for school in schools:
        candidates = [leader for leader in leaders if leader.id != school.id]
        if not candidates:
            result.append((school, None, 0))
            continue
        best = min(candidates, key=lambda leader: (
            load.get(leader.id, 0), leader.municipality != school.municipality,
            leader.short_name))
        result.append((school, best, load.get(best.id, 0)))
        load[best.id] = load.get(best.id, 0) + 1
    return result


def create_pairs(year, items, author):
    """Propose every (leader id, partner id, directions, coordinator id) in one transaction:
    a refused pair names its school and reason, and nothing is saved."""
    if not items:
        raise PartnershipError("Отметьте хотя бы одну пару.")
    ids = {i for leader, partner, _, coordinator in items for i in (leader, partner, coordinator)
           if i}
    orgs = {o.id: o for o in Organization.select().where(Organization.id.in_(ids))}
    created = []
    with db.atomic():
        for leader_id, partner_id, directions, coordinator_id in items:
            leader, partner = orgs.get(leader_id), orgs.get(partner_id)
            if leader is None or partner is None:
                raise PartnershipError("Школа не найдена в справочнике: обновите страницу.")
            try:
                created.append(propose(year, leader, partner, directions, author,
                                       orgs.get(coordinator_id)))
            except PartnershipError as error:
                raise PartnershipError(f"{partner.short_name}: {error} Ни одна пара не "
                                       "создана.") from error
    return created


# --- the approving order ----------------------------------------------------------------------

def proposed(year):
    """The pairs of `year` awaiting the order, with the names for the page (one query)."""
    return list(Partnership.select(Partnership, Leader.short_name.alias("leader_name"),
                                   PartnerOrg.short_name.alias("partner_name"))
                .join(Leader, on=(Partnership.leader == Leader.id))
                .switch(Partnership).join(PartnerOrg, on=(Partnership.partner == PartnerOrg.id))
                .where((Partnership.period_start == year) & (Partnership.status == "proposed"))
                .order_by(Leader.short_name, PartnerOrg.short_name).objects())


def approve_pairs(pairs, order, author, organization):
    """Register the order approving `pairs` (all «предложена»), then move them to
    «утверждена» with the order as their approval; all or nothing."""
    if not pairs:
        raise PartnershipError("Отметьте хотя бы одну предложенную пару.")
    if any(p.status != "proposed" for p in pairs):
        raise PartnershipError("Утвердить можно только предложенные пары.")
    with db.atomic():
        document = documents.register(
            "order_partnerships", {"order": order, "pairs": pairs}, title=order["heading"],
            on_date=order["order_date"], author=author, organization=organization,
            source=("partnership_approval", pairs[0].id))
        moved = Partnership.update(status="approved", approval=document, updated_at=now()).where(
            Partnership.id.in_([p.id for p in pairs]) & (Partnership.status == "proposed")
        ).execute()
        if moved != len(pairs):
            raise PartnershipError("Часть пар уже утверждена другим приказом: обновите "
                                   "страницу.")
    return document


def publish_approval(document):
    """Put the approving order on the public site (once)."""
    with db.atomic():
        if document.status == "registered":
            return documents.publish(document)
    return document
