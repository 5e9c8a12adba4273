"""Reading a campaign: its form (indicators in sections), its reports and their values, and the
values of the same campaign in the period before. Shared by the campaign page, the school
report form, the consolidated table and the analytical note; no writes here."""
from itertools import groupby

from models import (CampaignIndicator, Indicator, MonitoringCampaign, MonitoringReport,
                    Organization, ReportValue)


def form_indicators(campaign_id):
    """[Indicator] of a campaign in the order of its form; each has `.section` set."""
    rows = (CampaignIndicator.select(CampaignIndicator, Indicator)
            .join(Indicator).where(CampaignIndicator.campaign == campaign_id)
            .order_by(CampaignIndicator.position, CampaignIndicator.id))
    indicators = []
    for row in rows:
        row.indicator.section = row.section
        indicators.append(row.indicator)
    return indicators


def sections(indicators):
    """[(section title, [Indicator])] keeping the form's order; untitled ones under «»."""
    return [(title, list(group)) for title, group in groupby(indicators, lambda i: i.section)]


def reports(campaign_id):
    """The campaign's reports with their schools, by school name."""
    return list(MonitoringReport.select(MonitoringReport, Organization)
                .join(Organization, on=(MonitoringReport.school == Organization.id))
                .where(MonitoringReport.campaign == campaign_id)
                .order_by(Organization.short_name, Organization.id))


def values_of(report_ids):
    """{report id: {indicator code: ReportValue}} for the given reports, in one query."""
    found = {report_id: {} for report_id in report_ids}
    if not found:
        return found
    query = (ReportValue.select(ReportValue, Indicator.code).join(Indicator)
             .where(ReportValue.report.in_(list(found))))
    for value in query:
        found[value.report_id][value.indicator.code] = value
    return found


def previous_values(campaign, school_ids):
    """{school id: {code: ReportValue}} of the previous period's campaign (accepted or
    submitted reports only: a draft is not a figure anyone stands behind)."""
    if not campaign.previous_id or not school_ids:
        return {}
    earlier = {r.id: r.school_id for r in MonitoringReport.select(
        MonitoringReport.id, MonitoringReport.school).where(
        (MonitoringReport.campaign == campaign.previous_id)
        & MonitoringReport.school.in_(list(school_ids))
        & MonitoringReport.status.in_(("submitted", "accepted")))}
    return {earlier[report_id]: values for report_id, values in values_of(list(earlier)).items()}


def campaign_of(report):
    return MonitoringCampaign.get_by_id(report.campaign_id)
