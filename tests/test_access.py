"""The access matrix: every URL rule × method × role, against the policy written here.

POLICY is the specification: a new route fails `test_every_route_is_in_the_policy`
until someone decides who may use it.
"""
import pytest

from models import Organization, User, db

from .conftest import db_fingerprint

ROLES = ("anonymous", "school", "department", "centre", "admin")
EVERYONE = set(ROLES)
USERS = {"school", "department", "centre", "admin"}
STAFF = {"department", "centre", "admin"}
EDITORS = {"centre", "admin"}

# endpoint → roles that may use it (objects in the URLs belong to the school user's school).
POLICY = {
    "static": EVERYONE,
    "core.index": USERS,
    "auth.login": EVERYONE,
    "auth.logout": USERS,
    "auth.password": USERS,
    "auth.users": {"admin"},
    "auth.create_user": {"admin"},
    "auth.edit_user": {"admin"},
    "auth.reset_password": {"admin"},
    "auth.audit_log": {"admin"},
    "orgs.index": USERS,
    "orgs.show": USERS,
    "orgs.create": EDITORS,
    "orgs.edit": EDITORS,
    "orgs.delete": EDITORS,
    "orgs.import_file": EDITORS,
    "orgs.import_confirm": EDITORS,
    "orgs.export": STAFF,
    "orders.index": STAFF,
    "orders.show": STAFF,
    "orders.create": STAFF,
    "orders.edit": STAFF,
    "orders.preview": STAFF,
    "orders.register": STAFF,
    "orders.delete": STAFF,
    "orders.batch": STAFF,
    "jobs.index": STAFF,
    "jobs.show": STAFF,
    "jobs.progress": STAFF,
    "jobs.cancel": STAFF,
    "jobs.download": STAFF,
    "documents.index": USERS,
    "documents.show": USERS,
    "documents.download": USERS,
    "documents.pdf_download": USERS,
    "documents.pdf_start": USERS,
    "documents.pdf_status": USERS,
    "documents.publish": EDITORS,
    "documents.withdraw": EDITORS,
    "publications.index": EVERYONE,
    "publications.show": EVERYONE,
    "publications.download": EVERYONE,
    "publications.pdf_download": EVERYONE,
    "publications.feed": EVERYONE,
    "publications.register_csv": EVERYONE,
    "doctypes.index": EDITORS,
    "doctypes.show": EDITORS,
    "doctypes.upload": EDITORS,
    "doctypes.download_active": EDITORS,
    "doctypes.download_builtin": EDITORS,
    "doctypes.sample": EDITORS,
    "doctypes.download_version": EDITORS,
    "doctypes.preview": EDITORS,
    "doctypes.activate": EDITORS,
    "doctypes.restore_builtin": EDITORS,
    "meetings.index": STAFF,
    "meetings.bodies": STAFF,
    "meetings.body": STAFF,
    "meetings.create_body": EDITORS,
    "meetings.edit_body": EDITORS,
    "meetings.delete_body": EDITORS,
    "meetings.create_member": EDITORS,
    "meetings.edit_member": EDITORS,
    "meetings.delete_member": EDITORS,
    "meetings.create": EDITORS,
    "meetings.show": STAFF,
    "meetings.edit": EDITORS,
    "meetings.delete": EDITORS,
    "meetings.register": EDITORS,
    "meetings.protocol": STAFF,
    "meetings.extract": STAFF,
    "programmes.index": USERS,
    "programmes.create": {"school"},
    "programmes.section": {"school"},
    "programmes.autosave": {"school"},
    "programmes.show": USERS,
    "programmes.submit": {"school"},
    "programmes.return_": EDITORS,
    "programmes.agree": EDITORS,
    "programmes.comment": EDITORS,
    "programmes.answer": {"school"},
    "programmes.compare": USERS,
    "programmes.download": USERS,
    "programmes.approve": {"department", "admin"},
    "programmes.approval": STAFF,
    "programmes.publish": STAFF,
    "programmes.reference": STAFF,
    "programmes.edit_risk": EDITORS,
    "programmes.edit_indicator": EDITORS,
    "programmes.edit_rule": EDITORS,
    "programmes.delete_rule": EDITORS,
    "roadmaps.index": USERS,
    "roadmaps.import_file": STAFF,
    "roadmaps.import_confirm": STAFF,
    "roadmaps.show": USERS,
    "roadmaps.row": USERS,
    "roadmaps.edit_activity": USERS,
    "roadmaps.activity": USERS,
    "roadmaps.add_evidence": USERS,
    "roadmaps.delete_evidence": USERS,
    "roadmaps.evidence_file": USERS,
    "roadmaps.add_activity": STAFF,
    "roadmaps.move_activity": STAFF,
    "roadmaps.delete_activity": STAFF,
    "roadmaps.add_section": STAFF,
    "roadmaps.edit_section": STAFF,
    "roadmaps.move_section": STAFF,
    "roadmaps.delete_section": STAFF,
    "roadmaps.download": USERS,
    "roadmaps.edit": STAFF,
    "roadmaps.delete": STAFF,
    "partnerships.index": USERS,
    "partnerships.show": USERS,
    "partnerships.propose": EDITORS,
    "partnerships.edit_pair": EDITORS,
    "partnerships.delete_pair": EDITORS,
    "partnerships.suggest": EDITORS,
    "partnerships.import_file": EDITORS,
    "partnerships.import_confirm": EDITORS,
    "partnerships.import_template": EDITORS,
    "partnerships.approve": STAFF,  # the centre prepares, the department registers
    "partnerships.approval": STAFF,
    "partnerships.publish_approval": EDITORS,
    # The agreement: the party schools and the centre edit, only the party schools confirm.
    "partnerships.status": USERS,
    "partnerships.terms": {"school", "centre", "admin"},
    "partnerships.add_row": {"school", "centre", "admin"},
    "partnerships.edit_row": {"school", "centre", "admin"},
    "partnerships.remove_row": {"school", "centre", "admin"},
    "partnerships.move_row": {"school", "centre", "admin"},
    "partnerships.confirm": {"school"},
    "partnerships.download": USERS,
    # Plan execution: the schools of the pair and the centre report, the department reads.
    "partnerships.plan_row": USERS,
    "partnerships.mark_row": {"school", "centre", "admin"},
    "partnerships.add_row_evidence": {"school", "centre", "admin"},
    "partnerships.delete_row_evidence": {"school", "centre", "admin"},
    "partnerships.row_evidence_file": USERS,
    "partnerships.execution_year": STAFF,
    "partnerships.pair_report": USERS,
    "partnerships.year_report": STAFF,
    "partnerships.upload_scan": {"school", "centre", "admin"},
    "partnerships.signed_scan": USERS,
    "partnerships.bulk_agreements": STAFF,
    "documents.signed_download": USERS,
    "documents.publish_signed": EDITORS,
    "publications.signed_download": EVERYONE,
    "monitoring.results": STAFF,
    "monitoring.school_results": USERS,  # a school only its own (others 404)
    "monitoring.import_file": EDITORS,
    "monitoring.import_columns": EDITORS,
    "monitoring.import_confirm": EDITORS,
    "monitoring.import_template": EDITORS,
    "monitoring.campaigns": USERS,  # a school: its own reports
    "monitoring.campaign": STAFF,
    "monitoring.campaign_create": EDITORS,
    "monitoring.campaign_edit": EDITORS,
    "monitoring.campaign_order": STAFF,
    "monitoring.campaign_close": EDITORS,
    "monitoring.campaign_copy": EDITORS,
    "monitoring.campaign_remind": EDITORS,
    "monitoring.campaign_summaries": EDITORS,  # «Справки для всех школ» (a package job)
    "monitoring.report": USERS,  # a school only its own (others 404)
    # School reports (issue 12, item 3): the school fills its own, the centre on its behalf and
    # reviews; the department reads only.
    "monitoring.report_save": {"school", "centre", "admin"},
    "monitoring.report_autosave": {"school", "centre", "admin"},
    "monitoring.report_remark": EDITORS,
    "monitoring.report_remark_answer": {"school", "centre", "admin"},
    "monitoring.report_return": EDITORS,
    "monitoring.report_accept": EDITORS,
    "monitoring.report_evidence_add": {"school", "centre", "admin"},
    "monitoring.report_evidence_delete": {"school", "centre", "admin"},
    "monitoring.report_evidence_file": USERS,
    "core.evidence_documents": USERS,
    "monitoring.values_template": EDITORS,
    "monitoring.values_import_file": EDITORS,
    "monitoring.values_import_confirm": EDITORS,
    "monitoring.campaign_data": STAFF,
    "monitoring.campaign_data_chart": STAFF,
    "monitoring.campaign_data_xlsx": STAFF,
    "monitoring.campaign_data_publish": EDITORS,
    "monitoring.campaign_data_withdraw": EDITORS,
    "monitoring.open_data": EVERYONE,  # the public site: published campaigns only
    "monitoring.open_data_csv": EVERYONE,
    "monitoring.open_data_json": EVERYONE,
    "monitoring.campaign_note": EDITORS,
    "monitoring.note_chart": STAFF,
    "monitoring.results_order_form": STAFF,  # the department registers, the centre drafts
    "roadmaps.remind": STAFF,
    "identification.index": STAFF,
    "identification.methodology_new": EDITORS,
    "identification.methodology": STAFF,
    "identification.methodology_edit": EDITORS,
    "identification.context": EDITORS,
    "identification.context_import": EDITORS,
    "identification.context_import_confirm": EDITORS,
    "identification.context_template": EDITORS,
    "identification.run": EDITORS,
    "identification.list_page": STAFF,
    "identification.row": STAFF,
    "identification.row_change": EDITORS,  # add or remove a school by hand
    "identification.order": STAFF,  # the centre drafts, the department registers
    "identification.publish": EDITORS,
    "identification.public": EVERYONE,  # the public site: published lists only
    "notifications.index": USERS,
    "notifications.open_": USERS,  # only the user's own (others 404)
    "notifications.read_all": USERS,
    "notifications.settings": USERS,
    "notifications.outbox": {"admin"},
    "notifications.retry": {"admin"},
    # Risk profiles (issue 14, item 4): a school only its own profile (others 404), fills its
    # self-diagnosis; the centre sets levels, confirms and edits the questionnaire.
    "risks.index": USERS,  # a school: its own profiles
    "risks.summary_chart": STAFF,
    "risks.open_year": EDITORS,
    "risks.summary_download": STAFF,
    "risks.summary_register": EDITORS,
    "risks.show": USERS,
    "risks.levels": EDITORS,
    "risks.reopen": EDITORS,
    "risks.download": USERS,
    "risks.register": EDITORS,
    "risks.diagnosis": USERS,
    "risks.diagnosis_save": {"school"},
    "risks.diagnosis_autosave": {"school"},
    "risks.questionnaire": STAFF,
    "risks.edit_factor": EDITORS,
    # Curators and visits: the school user is the curator of the visit's school.
    "visits.index": USERS,
    "visits.curators": EDITORS,
    "visits.end_curatorship": EDITORS,
    "visits.plan": {"school", "centre", "admin"},
    "visits.show": USERS,
    "visits.edit": {"school", "centre", "admin"},
    "visits.delete": {"school", "centre", "admin"},
    "visits.report": {"school", "centre", "admin"},
    "visits.download": USERS,
    "visits.publish": EDITORS,
    "visits.to_roadmap": {"school", "centre", "admin"},
}


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_in_the_policy(app):
    endpoints = {rule.endpoint for rule, _ in routes(app)}
    assert endpoints - POLICY.keys() == set(), "routes without a policy in this test"
    assert POLICY.keys() - endpoints == set(), "policy for routes that no longer exist"


def test_every_view_declares_its_roles(app):
    undeclared = [name for name, view in app.view_functions.items()
                  if getattr(view, "access_roles", None) is None]
    assert undeclared == []


@pytest.fixture
def world(app, make_user, make_org, make_order):
    """A school user (school A), other staff, and school B with its own user.

    `ids[role]` fills URL parameters with objects that role may act on (its own
    organisation's order, school A's card…), so a refusal can only come from the role.
    """
    school = make_user("school")
    other = make_user("school")
    centre = make_user("centre")
    people = {"school": school, "other": other, "department": make_user("department"),
              "centre": centre, "admin": make_user("admin", organization=centre.organization_id)}
    common = {"org_id": school.organization_id, "user_id": school.id, "token": "x" * 24,
              "filename": "css/app.css"}
    # One register document of school A for every role (a PDF is then converted once), and a
    # published one for the public URLs.
    from .test_register import create_document
    published = create_document(app, centre.organization_id, status="published")
    common.update(doc_id=create_document(app, school.organization_id).id, year=published.year,
                  slug=published.slug)
    from .test_template_gate import store_version  # an uploaded order template, version 1
    common.update(doctype="order", version=store_version(app).version)
    # Fresh councils, members and meetings per request, as for orders: a POST may delete them.
    from .test_meetings import create_body, create_meeting, create_member
    common.update(body_id=lambda: create_body().id, member_id=lambda: create_member().id,
                  meeting_id=lambda: create_meeting().id, number=1)
    # Programmes of school A: a fresh draft, a returned one with a comment, an approval order.
    from .test_programmes import create_approval, create_comment, create_programme
    common.update(programme_id=lambda: create_programme(app, school).id, key="goals",
                  comment_id=lambda: create_comment(app, school).id, record_id=1,
                  approval_id=create_approval(app, school).id)
    # A fresh consistency rule per request: a POST may delete it.
    from .test_indicators import create_rule
    common.update(rule_id=lambda: create_rule(app).id)
    # Road maps: a fresh activity (school A among the responsible) and evidence per request.
    from .test_roadmaps import create_activity, create_evidence
    common.update(activity_id=lambda: create_activity(app, school.organization_id).id,
                  roadmap_id=lambda: create_activity(app, school.organization_id).roadmap_id,
                  section_id=lambda: create_activity(app, school.organization_id).section_id,
                  evidence_id=lambda: create_evidence(app, school.organization_id).id,
                  direction="up", kind="report.docx")
    # Partnerships: a fresh pair per request with school A as the partner school.
    from .test_partnerships import create_partnership
    common.update(partnership_id=lambda: create_partnership(app, school.organization_id).id)
    from .test_partnership_pairs import create_pairs_order  # a registered approving order
    common.update(pairs_order_id=lambda: create_pairs_order(app, school.organization_id).id)
    # Plan rows of school A's pairs and an uploaded file of school A on one.
    from .test_partnership_agreement import create_plan_row
    from .test_partnership_execution import create_plan_evidence
    common.update(row_id=lambda: create_plan_row(app, school.organization_id).id,
                  plan_evidence_id=lambda: create_plan_evidence(app, school.organization_id).id)
    # Monitoring: a fresh open campaign per request with school A's report in it.
    from .conftest import create_campaign
    from models import MonitoringReport

    def school_report():
        campaign = create_campaign([school.organization_id])
        with db.connection_context():
            return MonitoringReport.get(MonitoringReport.campaign == campaign.id)
    common.update(campaign_id=lambda: create_campaign([school.organization_id]).id,
                  report_id=lambda: school_report().id)
    # Risk profiles: school A listed this year with its profile's self-diagnosis open; a factor.
    from .test_risks import create_profile, factor_id
    common.update(profile_id=lambda: create_profile(app, school.organization_id).id,
                  factor_id=factor_id())
    # Visits: a fresh planned visit per request by school A's user as the curator of a new
    # school; a fresh curatorship to end.
    from .test_visits import create_visit, curate
    common.update(visit_id=lambda: create_visit(app, school).id,
                  curatorship_id=lambda: curate(school, make_org().id).id)
    # Notifications: a fresh one per request for each role's own user; a kept mail.
    from blueprints.core.notify import notify
    from models import OutgoingMail

    def own_notification(role):
        with app.app_context(), db.connection_context():
            return notify([people[role]], "reminder", "Напоминание", "/")[0].id

    def kept_mail():
        with db.connection_context():
            return OutgoingMail.create(recipient="a@example.ru", subject="Опора", body="…",
                                       status="failed").id
    common.update(mail_id=kept_mail)
    # A remark and an uploaded file on a fresh report of school A.
    from .test_monitoring_reports import create_report_evidence, create_report_remark
    common.update(remark_id=lambda: create_report_remark(school_report()).id,
                  report_evidence_id=lambda: create_report_evidence(
                      app, school_report(), school.organization_id).id)
    # Consolidated data: a chart of a form indicator; a campaign with published open data.
    common.update(code="participants", chart="bars", dataset_id=lambda: create_campaign(
        [school.organization_id], is_published=True).id)
    # Identification: an approved, published list of the current school year (school A in it).
    from .test_identification import create_published_run
    run = create_published_run(app, school.organization_id)
    with db.connection_context():
        from models import IdentificationRow
        common.update(run_id=run.id, methodology_id=run.methodology_id,
                      list_row_id=IdentificationRow.get(IdentificationRow.run == run.id).id)
    # The signed copy: school A's document and the published one carry a published scan.
    with app.app_context(), db.connection_context():
        from blueprints.documents.storage import storage
        from models import GeneratedDocument
        GeneratedDocument.update(signed_sha256=storage().put(b"%PDF-1.4 signed"), signed_size=15,
                                 signed_public=True).where(GeneratedDocument.id.in_(
                                     [common["doc_id"], published.id])).execute()
    # A fresh draft per request: an earlier POST may have registered or deleted the last one.
    org_of = {role: (people[role].organization_id if role in people else centre.organization_id)
              for role in ROLES}
    # A finished job with its archive per role, of that role's organisation (jobs are seen by it).
    from .test_jobs import create_finished_job
    people["ids"] = {role: dict(common, notification_id=lambda r=role: own_notification(
        "admin" if r == "anonymous" else r), order_id=lambda r=role: make_order(
        organization=org_of[r]).id, job_id=lambda r=role: create_finished_job(
        app, org_of[r]).id) for role in ROLES}
    return people


def _client(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        from .conftest import login
        login(client, world[role])
    return client


def _url(rule, world, role):
    values = world["ids"][role]
    params = {k: values[k]() if callable(values[k]) else values[k] for k in rule.arguments}
    return rule.build(params, append_unknown=False)[1]


def _denied(response, role):
    if response.status_code == 403:
        return True
    location = response.headers.get("Location", "")
    return role == "anonymous" and response.status_code == 302 and location.startswith("/login")


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, world, role):
    mismatches, checked = [], 0
    for rule, method in routes(app):
        client = _client(app, world, role)  # fresh each time: a POST may sign the user out
        response = client.open(_url(rule, world, role), method=method, data={})
        allowed = role in POLICY[rule.endpoint]
        checked += 1
        if response.status_code >= 500 or _denied(response, role) == allowed \
                or response.status_code == 404:
            mismatches.append((method, rule.rule, response.status_code, allowed))
    assert checked >= len(POLICY)
    assert mismatches == []


def test_school_sees_only_its_own_card(app, world, login_as):
    client = login_as(world["school"])
    own, foreign = world["school"].organization_id, world["other"].organization_id
    assert client.get(f"/orgs/{own}").status_code == 200
    assert client.get(f"/orgs/{foreign}").status_code == 404
    listing = client.get("/orgs/").get_data(as_text=True)
    with db.connection_context():
        other_name = Organization.get_by_id(foreign).short_name
        own_name = Organization.get_by_id(own).short_name
    assert own_name in listing and other_name not in listing


def test_school_cannot_change_another_school(app, world, login_as):
    client = login_as(world["school"])
    foreign = world["other"].organization_id
    before = db_fingerprint()
    for url in (f"/orgs/{foreign}/edit", f"/orgs/{foreign}/delete"):
        assert client.post(url, data={"full_name": "Взлом", "short_name": "Взлом",
                                      "municipality": "X", "kind": "school"}).status_code == 403
    assert db_fingerprint() == before


def test_missing_and_huge_ids_are_404(login_as):
    client = login_as("centre")
    assert client.get("/orgs/999999").status_code == 404
    assert client.get("/orgs/99999999999999999999999").status_code == 404
    admin = login_as("admin")
    assert admin.get("/users/99999999999999999999999/edit").status_code == 404


def test_role_is_read_from_the_database_on_every_request(app, world, login_as):
    client = login_as(world["centre"])
    assert client.get("/orgs/new").status_code == 200
    with db.connection_context():
        # Changed behind the user's back (no epoch bump): the next request already sees it.
        User.update(role="department").where(User.id == world["centre"].id).execute()
    assert client.get("/orgs/new").status_code == 403
