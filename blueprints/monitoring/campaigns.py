"""Campaign writes — save a draft with its form, launch it with its order, close it, copy it to
the next period, remind the schools — and the reads of the campaign pages (the lists, the
completeness matrix). No request access here; every write is all or nothing."""
import re
from datetime import date, timedelta

from peewee import JOIN, fn

from models import (REPORT_STATUSES, CampaignIndicator, GeneratedDocument, Indicator,
                    MonitoringCampaign, MonitoringReport, Organization, Partnership, User, db, now)
from models.partnership import current_school_year

from ..core.filters import date_num, percent
from ..core.notify import notify, school_users
from ..documents import api as documents
from . import reads
from .documents import campaign_plain

DOCTYPE = "order_monitoring"
SUBMITTED = ("submitted", "accepted")  # a figure the school stands behind
OVERDUE = ("not_started", "draft")  # never sent by the deadline (a returned report was sent)
REMINDABLE = ("not_started", "draft", "returned")
BADGES = {"not_started": "text-bg-light border", "draft": "text-bg-secondary",
          "submitted": "text-bg-info", "returned": "text-bg-warning", "accepted": "text-bg-success"}


class CampaignError(Exception):
    """A refused write; the message is Russian and names the reason."""


# --- the schools of a scope -----------------------------------------------------------------

def scope_query(scope, chosen=()):
    """The schools `scope` names today (Organization rows, by name)."""
    query = Organization.select(Organization.id, Organization.short_name,
                                Organization.full_name).where(Organization.kind == "school")
    if scope == "low_result":
        query = query.where(Organization.is_low_result == True)  # noqa: E712
    elif scope == "partners":
        query = query.where(Organization.id.in_(Partnership.select(Partnership.partner).where(
            Partnership.period_start == current_school_year())))
    elif scope == "chosen":
        query = query.where(Organization.id.in_(list(chosen) or [0]))
    return query.order_by(Organization.short_name, Organization.id)


def chosen_ids(campaign):
    """The hand-picked schools of a draft (kept as its reports until launch)."""
    return [r.school_id for r in MonitoringReport.select(MonitoringReport.school).where(
        MonitoringReport.campaign == campaign.id)]


def schools_of(campaign):
    """The schools a campaign asks: its reports once launched, else what its scope names."""
    if campaign.status != "draft":
        return list(Organization.select(Organization.id, Organization.short_name,
                                        Organization.full_name)
                    .join(MonitoringReport, on=(MonitoringReport.school == Organization.id))
                    .where(MonitoringReport.campaign == campaign.id)
                    .order_by(Organization.short_name, Organization.id))
    return list(scope_query(campaign.scope, chosen_ids(campaign)))


# --- saving a draft -------------------------------------------------------------------------

LAUNCHED_FIELDS = ("title", "deadline", "methodist")  # what may change once schools report
FIELDS = ("title", "period_label", "period_start", "period_end", "deadline", "scope",
          "methodist")


def _values(data, names):
    return {name: (data[name] or None) if name == "methodist" else data[name] for name in names}


def _store_form(campaign_id, rows):
    CampaignIndicator.delete().where(CampaignIndicator.campaign == campaign_id).execute()
    CampaignIndicator.insert_many([
        {"campaign": campaign_id, "indicator": row["indicator"], "section": row["section"] or "",
         "position": position} for position, row in enumerate(rows)]).execute()


def _store_chosen(campaign_id, school_ids):
    """A draft keeps its hand-picked schools as not-started reports (schools see no draft)."""
    MonitoringReport.delete().where((MonitoringReport.campaign == campaign_id) & (
        MonitoringReport.school.not_in(list(school_ids) or [0]))).execute()
    have = set(chosen_ids(MonitoringCampaign(id=campaign_id)))
    fresh = [{"campaign": campaign_id, "school": s} for s in school_ids if s not in have]
    if fresh:
        MonitoringReport.insert_many(fresh).execute()


def save_campaign(data, author, campaign=None):
    """Create or update a campaign from validated form data (`rows`: [{section, indicator}],
    `schools`: ids for the «chosen» scope). A launched campaign changes only its title,
    deadline and methodist."""
    with db.atomic():
        if campaign is None:
            campaign = MonitoringCampaign.create(created_by=author, **_values(data, FIELDS))
        else:
            status = MonitoringCampaign.select(MonitoringCampaign.status).where(
                MonitoringCampaign.id == campaign.id).scalar()
            names = FIELDS if status == "draft" else LAUNCHED_FIELDS
            MonitoringCampaign.update(updated_at=now(), **_values(data, names)).where(
                MonitoringCampaign.id == campaign.id).execute()
            if status != "draft":
                return MonitoringCampaign.get_by_id(campaign.id)
        _store_form(campaign.id, data["rows"])
        _store_chosen(campaign.id, data["schools"] if data["scope"] == "chosen" else [])
    return MonitoringCampaign.get_by_id(campaign.id)


def form_rows(campaign_id):
    """The stored form as the form's rows: [{section, indicator}]."""
    return [{"section": r.section, "indicator": r.indicator_id} for r in CampaignIndicator.select(
        CampaignIndicator.section, CampaignIndicator.indicator).where(
        CampaignIndicator.campaign == campaign_id).order_by(CampaignIndicator.position,
                                                            CampaignIndicator.id)]


# --- launch, close ----------------------------------------------------------------------------

def order_record(campaign, order):
    """What the order document reads: the adjusted order and the campaign as plain data."""
    methodist = User.get_or_none(User.id == campaign.methodist_id) if campaign.methodist_id else None
    return {"order": order, "campaign": campaign_plain(
        campaign, reads.form_indicators(campaign.id), schools_of(campaign),
        methodist.full_name if methodist else "")}


def launch_campaign(campaign, order, author, organization):
    """Register the launching order, give every school of the scope its report («не начат»)
    and open the collection: all or nothing. The GeneratedDocument."""
    with db.atomic():
        campaign = MonitoringCampaign.get_by_id(campaign.id)
        if campaign.status != "draft":
            raise CampaignError("Кампания уже запущена: приказ о её проведении зарегистрирован.")
        schools = schools_of(campaign)
        if not schools:
            raise CampaignError("В кампании нет ни одной школы: выберите школы в настройках "
                                "кампании.")
        if not CampaignIndicator.select().where(CampaignIndicator.campaign == campaign.id).exists():
            raise CampaignError("В форме кампании нет ни одного показателя.")
        record = order_record(campaign, order)
        document = documents.register(
            DOCTYPE, plain=record, title=order["heading"], on_date=order["order_date"],
            author=author, organization=organization, source=("monitoring_campaign", campaign.id))
        _store_chosen(campaign.id, [s.id for s in schools])
        opened = MonitoringCampaign.update(status="open", order=document, updated_at=now()).where(
            (MonitoringCampaign.id == campaign.id)
            & (MonitoringCampaign.status == "draft")).execute()
        if not opened:  # launched by someone else a moment ago: undo ours
            raise CampaignError("Кампанию только что запустил другой пользователь: обновите "
                                "страницу.")
    return document


def close_campaign(campaign):
    """«Завершить сбор»: schools can no longer submit; the note is written from what came."""
    closed = MonitoringCampaign.update(status="closed", updated_at=now()).where(
        (MonitoringCampaign.id == campaign.id) & (MonitoringCampaign.status == "open")).execute()
    if not closed:
        raise CampaignError("Завершить можно только кампанию, в которой идёт сбор отчётов.")


# --- copy to the next period ------------------------------------------------------------------

def half_year(today=None):
    """The half-year of the school year under way: (label, start, end, deadline) —
    «I полугодие 2026/2027» from September (reports by 15 January), else «II полугодие»
    (January to May, reports by 15 June)."""
    today = today or date.today()
    if today.month >= 9:
        y = today.year
        return f"I полугодие {y}/{y + 1}", date(y, 9, 1), date(y, 12, 31), date(y + 1, 1, 15)
    y = today.year - 1
    return (f"II полугодие {y}/{y + 1}", date(y + 1, 1, 1), date(y + 1, 5, 31),
            date(y + 1, 6, 15))


HALF = re.compile(r"^(I{1,2})\s+полугодие\s+(\d{4})/(\d{4})$")


def next_period(campaign):
    """The next half-year of a «I полугодие 2026/2027» campaign (II полугодие, January to May,
    reports by 15 June; then I полугодие of the next year, reports by 15 January); any other
    period moves by its own length. {title, period_label, period_start, period_end, deadline}"""
    label = campaign.period_label.strip()
    match = HALF.match(label)
    if match:
        half, start = match.group(1), int(match.group(2))
        if half == "I":
            new_label = f"II полугодие {start}/{start + 1}"
            begins, ends = date(start + 1, 1, 1), date(start + 1, 5, 31)
            deadline = date(start + 1, 6, 15)
        else:
            new_label = f"I полугодие {start + 1}/{start + 2}"
            begins, ends = date(start + 1, 9, 1), date(start + 1, 12, 31)
            deadline = date(start + 2, 1, 15)
    else:
        begins, ends, deadline = _shifted(campaign.period_start, campaign.period_end,
                                          campaign.deadline)
        new_label = label
    title = campaign.title
    if label and label in title and new_label != label:
        title = title.replace(label, new_label)
    return {"title": title, "period_label": new_label, "period_start": begins,
            "period_end": ends, "deadline": deadline}


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _shifted(start, end, deadline):
    """The period right after [start, end]: by whole months when it is made of whole months
    (a quarter stays a quarter), else by its length in days; the deadline moves with it."""
    following = end + timedelta(days=1)
    if start.day == 1 and following.day == 1:
        months = (following.year - start.year) * 12 + following.month - start.month
        return (following, _add_months(following, months) - timedelta(days=1),
                _add_months(deadline, months))
    shift = following - start
    return start + shift, end + shift, deadline + shift


def copy_campaign(source, author):
    """A new draft for the next period: the same form (sections, order), scope, hand-picked
    schools and methodist, with `previous` = the source. The new MonitoringCampaign."""
    period = next_period(source)
    with db.atomic():
        campaign = MonitoringCampaign.create(
            scope=source.scope, methodist=source.methodist_id, previous=source.id,
            created_by=author, **period)
        _store_form(campaign.id, form_rows(source.id))
        if source.scope == "chosen":
            _store_chosen(campaign.id, chosen_ids(source))
    return campaign


# --- reading for the pages --------------------------------------------------------------------

def listing():
    """(query, count query) of the staff's list: every campaign with its reports counted and
    those sent, newest period first."""
    sent = fn.SUM(MonitoringReport.status.in_(SUBMITTED).cast("integer"))
    query = (MonitoringCampaign.select(
        MonitoringCampaign, fn.COUNT(MonitoringReport.id).alias("total"),
        fn.COALESCE(sent, 0).alias("sent"))
        .join(MonitoringReport, JOIN.LEFT_OUTER,
              on=(MonitoringReport.campaign == MonitoringCampaign.id))
        .group_by(MonitoringCampaign.id)
        .order_by(MonitoringCampaign.period_start.desc(), MonitoringCampaign.id.desc()))
    return query, MonitoringCampaign.select()


def school_reports(user):
    """(query, count query) of a school's own reports of launched campaigns, latest deadline
    first, each with its campaign."""
    query = (MonitoringReport.visible_to(user).select(MonitoringReport, MonitoringCampaign)
             .order_by(MonitoringCampaign.deadline.desc(), MonitoringCampaign.id.desc()))
    return query, MonitoringReport.visible_to(user)


def related(campaign):
    """The order, the methodist's name and the previous campaign a campaign page shows, each
    with only the columns shown (a registered order's row carries its whole context)."""
    order = (GeneratedDocument.select(GeneratedDocument.id, GeneratedDocument.number,
                                      GeneratedDocument.registered_on, GeneratedDocument.title)
             .where(GeneratedDocument.id == campaign.order_id).first()
             if campaign.order_id else None)
    methodist = (User.select(User.full_name).where(User.id == campaign.methodist_id).scalar()
                 if campaign.methodist_id else None)
    previous = (MonitoringCampaign.select(MonitoringCampaign.id, MonitoringCampaign.period_label)
                .where(MonitoringCampaign.id == campaign.previous_id).first()
                if campaign.previous_id else None)
    return {"order": order, "methodist": methodist, "previous": previous}


# --- completeness -----------------------------------------------------------------------------

def summary(campaign, today=None):
    """Counts by status, the share sent and the overdue, in one grouped query."""
    counts = dict.fromkeys(REPORT_STATUSES, 0)
    counts.update(MonitoringReport.select(MonitoringReport.status, fn.COUNT(MonitoringReport.id))
                  .where(MonitoringReport.campaign == campaign.id)
                  .group_by(MonitoringReport.status).tuples())
    total = sum(counts.values())
    sent = sum(counts[s] for s in SUBMITTED)
    late = campaign.deadline < (today or date.today())
    return {"total": total, "sent": sent, "share": percent(sent, total), "counts": counts,
            "overdue": sum(counts[s] for s in OVERDUE) if late else 0,
            "remindable": sum(counts[s] for s in REMINDABLE), "late": late}


def matrix_query(campaign, status="", today=None):
    """The rows of the completeness matrix (dicts: the report, its school, dates), by school
    name, narrowed to a status or to the overdue ("overdue"): one query, paged by the view."""
    query = (MonitoringReport.select(
        MonitoringReport.id, MonitoringReport.status, MonitoringReport.updated_at,
        MonitoringReport.reminded_at, MonitoringReport.filled_by_centre,
        Organization.short_name.alias("school"))
        .join(Organization, JOIN.INNER, on=(MonitoringReport.school == Organization.id))
        .where(MonitoringReport.campaign == campaign.id))
    if status == "overdue":
        late = campaign.deadline < (today or date.today())
        query = query.where(MonitoringReport.status.in_(OVERDUE if late else ()))
    elif status:
        query = query.where(MonitoringReport.status == status)
    return query.order_by(Organization.short_name, Organization.id).dicts()


class KnownCount:
    """A row count already known (from summary()), for paginate() instead of a COUNT query."""

    def __init__(self, number):
        self.number = number

    def count(self):
        return self.number


def matrix_count(summary, status=""):
    """How many rows matrix_query() has, from the summary's counts: no query."""
    if status == "overdue":
        return KnownCount(summary["overdue"])
    return KnownCount(summary["counts"].get(status, 0) if status else summary["total"])


def form_outline(campaign_id):
    """[(section, [(indicator name, unit)])] of a campaign's form, for its page: only the
    columns shown (reads.form_indicators builds whole Indicators, which the page does not
    need)."""
    outline = []
    for section, name, unit in (CampaignIndicator.select(
            CampaignIndicator.section, Indicator.name, Indicator.unit)
            .join(Indicator).where(CampaignIndicator.campaign == campaign_id)
            .order_by(CampaignIndicator.position, CampaignIndicator.id).tuples()):
        if not outline or outline[-1][0] != section:
            outline.append((section, []))
        outline[-1][1].append((name, unit))
    return outline


def matrix_rows(rows, late):
    """The page's rows with their labels, badge, `overdue` and `remindable` computed once."""
    for row in rows:
        status = row["status"]
        row.update(label=REPORT_STATUSES.get(status, status), badge=BADGES.get(status, ""),
                   overdue=late and status in OVERDUE, remindable=status in REMINDABLE)
    return rows


def remind(campaign, report_ids=(), everyone=False):
    """Mark the chosen reports of `campaign` not yet sent (every one with `everyone`) as
    reminded now and notify their schools' users (in the app and by mail); [(report id,
    school id, school name)] of those reminded."""
    query = (MonitoringReport.select(MonitoringReport.id, MonitoringReport.school,
                                     Organization.short_name)
             .join(Organization, on=(MonitoringReport.school == Organization.id))
             .where((MonitoringReport.campaign == campaign.id)
                    & MonitoringReport.status.in_(REMINDABLE)))
    if not everyone:
        query = query.where(MonitoringReport.id.in_(list(report_ids) or [0]))
    chosen = list(query.order_by(Organization.short_name).tuples())
    with db.atomic():
        for start in range(0, len(chosen), 500):
            MonitoringReport.update(reminded_at=now()).where(MonitoringReport.id.in_(
                [r[0] for r in chosen[start:start + 500]])).execute()
    deadline = date_num(campaign.deadline)
    for report_id, school_id, _ in chosen:
        notify(school_users(school_id), "reminder",
               f"Центр напоминает: заполните и отправьте отчёт «{campaign.title}» "
               f"(срок — {deadline}).", f"/monitoring/reports/{report_id}")
    return chosen


# --- choices for the form ---------------------------------------------------------------------

def indicator_choices():
    return [(i.id, f"{i.name}{f', {i.unit}' if i.unit else ''} ({i.code})") for i in
            Indicator.select(Indicator.id, Indicator.name, Indicator.unit, Indicator.code)
            .order_by(Indicator.name)]


def school_choices():
    return [(s.id, s.short_name + (" — ШНОР" if s.is_low_result else "")) for s in
            Organization.select(Organization.id, Organization.short_name,
                                Organization.is_low_result)
            .where(Organization.kind == "school").order_by(Organization.short_name)]


def methodist_choices():
    return [(u.id, u.full_name) for u in User.select(User.id, User.full_name).where(
        (User.role == "centre") & (User.is_active == True)).order_by(User.full_name)]  # noqa: E712
