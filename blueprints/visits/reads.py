"""What the curator's pages read: the curated schools and what is late in each of them
(overdue road-map activities, monitoring reports due or overdue, programmes returned)."""
from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN, fn

from models import (ActivityOrganization, Curatorship, MonitoringCampaign, MonitoringReport,
                    Organization, Partnership, Programme, RiskProfile, RoadmapActivity, User,
                    Visit, counts)
from models.monitoring import REPORT_EDITABLE
from models.roadmap import CLOSED

from ..core.inbox import SOON


@dataclass
class SchoolState:
    school: Organization
    curatorship: Curatorship
    overdue_activities: int = 0
    first_overdue: date | None = None
    reports: list = field(default_factory=list)  # (report, campaign) not submitted yet
    returned: list = field(default_factory=list)  # programmes «на доработке»
    programmes: list = field(default_factory=list)
    partnerships: list = field(default_factory=list)
    profiles: list = field(default_factory=list)  # risk profiles, the latest year first

    def late(self, today):
        """Plain Russian lines of what is late or due soon."""
        lines = []
        if self.overdue_activities:
            lines.append(f"просрочено мероприятий дорожной карты: {self.overdue_activities}")
        for report, campaign in self.reports:
            if campaign.deadline < today:
                lines.append(f"не сдан отчёт «{campaign.title}» (срок "
                             f"{campaign.deadline:%d.%m.%Y} прошёл)")
            elif (campaign.deadline - today).days <= SOON:
                lines.append(f"отчёт «{campaign.title}» — срок {campaign.deadline:%d.%m.%Y}")
        for programme in self.returned:
            lines.append(f"программа «{programme.title or 'без названия'}» на доработке")
        return lines

    def due(self, today):
        dates = [d for d in [self.first_overdue] + [c.deadline for _, c in self.reports] if d]
        return min(dates) if dates else None


def _with_people(query):
    """Curatorships with their school, curator and the curator's organisation in the same
    query: the lists print all three on every row."""
    Employer = Organization.alias()
    return (query.select(Curatorship, Organization, User, Employer)
            .join(Organization, on=(Curatorship.school == Organization.id))
            .switch(Curatorship).join(User, on=(Curatorship.curator == User.id))
            .join(Employer, JOIN.LEFT_OUTER, on=(User.organization == Employer.id)))


def is_curator(user):
    """Whether the user has ever been given a school or a visit: one small query, so that the
    home page of everyone else does not build the curators' list queries."""
    return any(counts(
        Curatorship.select(fn.COUNT(Curatorship.id)).where(Curatorship.curator == user.id),
        Visit.select(fn.COUNT(Visit.id)).where(Visit.curator == user.id)))


def curatorships_for(user, today=None, own=False):
    """The user's curatorships in force (staff: everyone's unless `own`), school by school."""
    query = _with_people(Curatorship.current(today))
    if own or not user.is_staff:
        query = query.where(Curatorship.curator == user.id)
    return list(query.order_by(Organization.short_name, User.full_name))


def curatorships_from(today):
    """Every curatorship not over by `today`, the earliest first (the centre's page)."""
    return list(_with_people(Curatorship.select()).where(Curatorship.date_to >= today)
                .order_by(Curatorship.date_from))


def school_states(curatorships, today):
    """One SchoolState per curatorship, in a few queries for all of them."""
    ids = list({c.school_id for c in curatorships})
    if not ids:
        return []
    overdue = {row.organization_id: (row.n, row.first) for row in (
        ActivityOrganization.select(ActivityOrganization.organization,
                                    fn.COUNT(RoadmapActivity.id).alias("n"),
                                    fn.MIN(RoadmapActivity.ends_on).alias("first"))
        .join(RoadmapActivity)
        .where(ActivityOrganization.organization.in_(ids) & (RoadmapActivity.ends_on < today)
               & RoadmapActivity.status.not_in(CLOSED))
        .group_by(ActivityOrganization.organization))}
    reports = {}
    for report in (MonitoringReport.select(MonitoringReport, MonitoringCampaign)
                   .join(MonitoringCampaign)
                   .where(MonitoringReport.school.in_(ids)
                          & (MonitoringCampaign.status == "open")
                          & MonitoringReport.status.in_(REPORT_EDITABLE))
                   .order_by(MonitoringCampaign.deadline)):
        reports.setdefault(report.school_id, []).append((report, report.campaign))
    programmes = {}
    for programme in Programme.select().where(Programme.school.in_(ids)).order_by(
            Programme.period_start.desc()):
        programmes.setdefault(programme.school_id, []).append(programme)
    pairs = {}
    for pair in Partnership.select().where(Partnership.partner.in_(ids)).order_by(
            Partnership.period_start.desc()):
        pairs.setdefault(pair.partner_id, []).append(pair)
    profiles = {}
    for profile in RiskProfile.select().where(RiskProfile.school.in_(ids)).order_by(
            RiskProfile.year.desc()):
        profiles.setdefault(profile.school_id, []).append(profile)
    states = []
    for c in curatorships:
        count, first = overdue.get(c.school_id, (0, None))
        own = programmes.get(c.school_id, [])
        states.append(SchoolState(
            school=c.school, curatorship=c, overdue_activities=count, first_overdue=first,
            reports=reports.get(c.school_id, []), programmes=own,
            returned=[p for p in own if p.status == "returned"],
            partnerships=pairs.get(c.school_id, []), profiles=profiles.get(c.school_id, [])))
    return states


def visits_to_write(user, today):
    """The user's planned visits whose day has come: the report is waiting."""
    return list(Visit.visible_to(user).where((Visit.status == "planned")
                                             & (Visit.visit_date <= today)
                                             & (Visit.curator == user.id))
                .order_by(Visit.visit_date))
