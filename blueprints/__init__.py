"""The explicit lists the app is made of: features (blueprints), doctypes and kinds of
bulk job."""


def all_doctypes():
    """Every doctype (documents.doctype.Doctype), in menu order; each declared once in its
    feature's documents.py."""
    from .identification.documents import ORDER_LOW_RESULT_LIST
    from .meetings.documents import PROTOCOL, PROTOCOL_EXTRACT
    from .monitoring.documents import ORDER_MONITORING
    from .monitoring.note_documents import ANALYTICAL_NOTE, ORDER_RESULTS
    from .monitoring.summary_documents import SUMMARY as MONITORING_SUMMARY
    from .orders.documents import ORDER
    from .partnerships.documents import AGREEMENT, ORDER_PARTNERSHIPS, PLAN
    from .partnerships.documents import REPORT as PARTNERSHIP_REPORT
    from .programmes.documents import APPROVAL, PROGRAMME
    from .risks.documents import RISK_PROFILE, RISK_SUMMARY
    from .roadmaps.documents import REPORT, ROADMAP
    from .visits.documents import VISIT_REPORT

    return [ORDER, PROTOCOL, PROTOCOL_EXTRACT, PROGRAMME, APPROVAL, ROADMAP, REPORT,
            ORDER_PARTNERSHIPS, AGREEMENT, PLAN, PARTNERSHIP_REPORT, ORDER_MONITORING,
            ANALYTICAL_NOTE, ORDER_RESULTS, MONITORING_SUMMARY, ORDER_LOW_RESULT_LIST,
            RISK_PROFILE, RISK_SUMMARY, VISIT_REPORT]


def all_batch_kinds():
    """Every kind of «сформировать пакет» job (jobs.batches.BatchKind), each declared in its
    feature."""
    from .monitoring.batch import SCHOOL_SUMMARIES
    from .orders.batch import ORDERS_REGISTER
    from .partnerships.batch import AGREEMENTS_REGISTER

    return [ORDERS_REGISTER, AGREEMENTS_REGISTER, SCHOOL_SUMMARIES]


def all_inbox_sources():
    """Every feature's «what is waiting for this user» (core/inbox.py), in no particular
    order: the home page sorts the items by urgency."""
    from .auth.inbox import waiting as accounts
    from .identification.inbox import waiting as identification
    from .monitoring.inbox import waiting as monitoring
    from .orders.inbox import waiting as orders
    from .partnerships.inbox import waiting as partnerships
    from .programmes.inbox import waiting as programmes
    from .risks.inbox import waiting as risks
    from .roadmaps.inbox import waiting as roadmaps
    from .visits.inbox import waiting as visits

    return [programmes, roadmaps, partnerships, monitoring, orders, accounts, identification,
            risks, visits]


def register_blueprints(app):
    from .auth.routes import bp as auth
    from .core import inbox
    from .core.routes import bp as core
    from .doctypes.routes import bp as doctypes
    from .documents import registry
    from .documents.routes import bp as documents
    from .identification.routes import bp as identification
    from .jobs import batches
    from .jobs.routes import bp as jobs
    from .meetings.routes import bp as meetings
    from .monitoring.routes import bp as monitoring
    from .notifications.routes import bp as notifications
    from .orders.routes import bp as orders
    from .orgs.routes import bp as orgs
    from .partnerships.routes import bp as partnerships
    from .programmes.routes import bp as programmes
    from .publications.routes import bp as publications
    from .risks.routes import bp as risks
    from .roadmaps.routes import bp as roadmaps
    from .visits.routes import bp as visits

    registry.install(all_doctypes())
    inbox.install(all_inbox_sources())
    batches.install(all_batch_kinds())
    for blueprint in (core, auth, orgs, orders, meetings, programmes, roadmaps,
                      partnerships, monitoring, documents, publications, doctypes, jobs,
                      notifications, identification, risks, visits):
        app.register_blueprint(blueprint)
