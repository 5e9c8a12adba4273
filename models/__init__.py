"""Models, the database connection and its life cycle in the app."""
from playhouse.db_url import connect

from .assessment import PROCEDURES, AssessmentResult
from .audit import AuditLog
from .base import BaseModel, counts, db, now
from .document import GeneratedDocument, NumberSeries, TemplateVersion
from .job import ACTIVE_JOB_STATUSES, JOB_STATUSES, Job, JobItem
from .meeting import (MEMBER_ROLES, AgendaItem, Body, BodyMember, Decision, Meeting,
                      MeetingAttendee, MeetingGuest)
from .monitoring import (CAMPAIGN_SCOPES, CAMPAIGN_STATUSES, REPORT_STATUSES, CampaignIndicator,
                         MonitoringCampaign, MonitoringReport, ReportEvidence, ReportRemark,
                         ReportValue)
from .notification import (EMAIL_MODES, MAIL_ATTEMPTS, MAIL_STATUSES, NOTIFICATION_KINDS,
                           Notification, OutgoingMail)
from .order import ORDER_KINDS, Order, OrderAnnex, OrderClause
from .identification import STATUS_SOURCES, LowResultStatus, set_status
from .methodology import (CONTEXT_SHARES, CRITERION_KINDS, MANUAL_CHANGES, RUN_STATUSES,
                          IdentificationRow, IdentificationRun, Methodology, SchoolContext)
from .risk import (PROFILE_STATUSES, RISK_LEVELS, RiskCutoff, RiskLevel, RiskProfile,
                   RiskQuestion)
from .indicator import DIRECTIONS, NUMERIC_TYPES, VALUE_TYPES, Indicator, IndicatorRule
from .programme import (PROGRAMME_STATUSES, Programme, ProgrammeComment,
                        ProgrammeRevision, ProgrammeSection, RiskFactor)
from .roadmap import (ACTIVITY_STATUSES, ActivityChange, ActivityEvidence, ActivityOrganization,
                      Roadmap, RoadmapActivity, RoadmapSection)
from .organization import KINDS, Organization
from .partnership import (INTERACTION_DIRECTIONS, PARTNERSHIP_STATUSES, PLAN_ROW_STATUSES, SIDES,
                          Partnership, PartnershipConfirmation, PlanRow, PlanRowEvidence,
                          current_school_year, school_year, year_bounds)
from .user import ROLES, LoginFailure, User
from .curatorship import Curatorship, may_curate
from .visit import VISIT_STATUSES, Visit, VisitFinding, VisitRecommendation

# Foreign-key dependency order.
ALL_MODELS = [Organization, User, LoginFailure, AuditLog, TemplateVersion, NumberSeries, GeneratedDocument,
              Order, OrderClause, OrderAnnex, Body, BodyMember, Meeting, MeetingAttendee,
              MeetingGuest, AgendaItem, Decision, RiskFactor, Indicator, IndicatorRule, Programme,
              ProgrammeSection, ProgrammeRevision, ProgrammeComment, Roadmap, RoadmapSection,
              RoadmapActivity, ActivityOrganization, ActivityEvidence, ActivityChange, Job, JobItem,
              Partnership, PartnershipConfirmation, PlanRow, PlanRowEvidence, AssessmentResult,
              MonitoringCampaign, CampaignIndicator, MonitoringReport, ReportValue, ReportRemark,
              ReportEvidence, Notification, OutgoingMail, LowResultStatus, Methodology,
              SchoolContext, IdentificationRun, IdentificationRow, RiskQuestion, RiskCutoff,
              RiskProfile, RiskLevel,
              Curatorship, Visit, VisitFinding, VisitRecommendation]

__all__ = ["ALL_MODELS", "AuditLog", "BaseModel", "GeneratedDocument", "KINDS", "NumberSeries",
           "ORDER_KINDS", "Order", "OrderAnnex", "OrderClause", "Organization", "ROLES", "TemplateVersion", "User", "LoginFailure", "db", "init_app", "make_db", "now",
           "MEMBER_ROLES", "AgendaItem", "Body", "BodyMember", "Decision", "Meeting",
           "MeetingAttendee", "MeetingGuest", "DIRECTIONS", "PROGRAMME_STATUSES", "Indicator",
           "IndicatorRule", "NUMERIC_TYPES", "VALUE_TYPES",
           "Programme", "ProgrammeComment", "ProgrammeRevision", "ProgrammeSection", "RiskFactor",
           "ACTIVITY_STATUSES", "ActivityChange", "ActivityEvidence", "ActivityOrganization",
           "Roadmap", "RoadmapActivity", "RoadmapSection", "ACTIVE_JOB_STATUSES", "JOB_STATUSES", "Job", "JobItem",
           "INTERACTION_DIRECTIONS", "PARTNERSHIP_STATUSES", "PLAN_ROW_STATUSES", "SIDES",
           "Partnership", "PartnershipConfirmation", "PlanRow", "PlanRowEvidence", "school_year",
           "current_school_year", "year_bounds", "PROCEDURES", "AssessmentResult",
           "CAMPAIGN_SCOPES", "CAMPAIGN_STATUSES", "REPORT_STATUSES", "CampaignIndicator",
           "MonitoringCampaign", "MonitoringReport", "ReportEvidence", "ReportRemark", "ReportValue",
           "EMAIL_MODES", "MAIL_ATTEMPTS", "MAIL_STATUSES", "NOTIFICATION_KINDS", "Notification",
           "OutgoingMail", "STATUS_SOURCES", "LowResultStatus", "set_status",
           "CONTEXT_SHARES", "CRITERION_KINDS", "MANUAL_CHANGES", "RUN_STATUSES",
           "IdentificationRow", "IdentificationRun", "Methodology", "SchoolContext",
           "PROFILE_STATUSES", "RISK_LEVELS", "RiskCutoff", "RiskLevel", "RiskProfile",
           "RiskQuestion",
           "VISIT_STATUSES", "Curatorship", "Visit", "VisitFinding", "VisitRecommendation",
           "may_curate"]


def make_db(url):
    """Open a peewee database for a URL; SQLite gets the pragmas that make it safe under gunicorn."""
    if url.startswith("sqlite"):
        # IMMEDIATE: a transaction that reads then writes takes the write lock up front,
        # so concurrent workers wait (busy timeout) instead of failing with "database is locked".
        # Pooled: a request reuses its worker's connection instead of reopening the file and
        # re-running the pragmas (measured: a third of the directory page's database time).
        return connect(
            url.replace("sqlite://", "sqlite+pool://", 1), max_connections=32, stale_timeout=600,
            check_same_thread=False,  # a pooled connection may serve another thread later
            # busy_timeout as a pragma: the URL's `timeout` goes to the pool (the wait for a
            # free pooled connection), and SQLite's own 5 s default let a writer starve behind
            # others committing back to back (seen: BEGIN IMMEDIATE failing after 5.0 s).
            pragmas={"journal_mode": "wal", "foreign_keys": 1, "cache_size": -64000,
                     "synchronous": "normal", "busy_timeout": 30000},
            timeout=10,
            lock_type="IMMEDIATE",
        )
    return connect(url, autoconnect=True)


def init_app(app):
    """Point the proxy at the configured database; connect per request, never at import."""
    db.initialize(make_db(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()
