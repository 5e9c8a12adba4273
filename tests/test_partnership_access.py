"""Issue 11 item 9: the leader school of a pair in force reads its partner's programme and
road-map progress, read only, and nothing of other schools'."""
import pytest

from models import (ActivityOrganization, Partnership, Programme, ProgrammeComment, Roadmap,
                    RoadmapActivity, RoadmapSection, db)

from .conftest import db_fingerprint
from .test_programmes import SECTION_DATA, create_programme, fill, new_programme, version_of


def pair(leader_org, partner_org, status="approved", period_start=2026):
    with db.connection_context():
        return Partnership.create(period_start=period_start, leader=leader_org,
                                  partner=partner_org, status=status)


@pytest.fixture
def schools(login_as, make_org):
    """A partner school with a filled programme draft, its leader, and a school of no pair."""
    leader_org = make_org(kind="school", is_leader=True)
    partner_org = make_org(kind="school", is_low_result=True)
    partner = login_as("school", organization=partner_org)
    pid = new_programme(partner)
    fill(partner, pid)
    return {"leader": login_as("school", organization=leader_org), "partner": partner,
            "other": login_as("school"), "pid": pid, "leader_org": leader_org,
            "partner_org": partner_org}


@pytest.mark.parametrize("status", ["approved", "registered", "signed"])
def test_the_leader_of_a_pair_in_force_reads_the_partners_programme(schools, status):
    pair(schools["leader_org"], schools["partner_org"], status)
    leader, pid = schools["leader"], schools["pid"]
    page = leader.get(f"/programmes/{pid}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert SECTION_DATA["goals"]["goal"] in body
    assert "только для чтения" in body
    # No control of the owner's: neither the form link nor the submission.
    assert f"/programmes/{pid}/submit" not in body and f"/programmes/{pid}/passport" not in body
    download = leader.get(f"/programmes/{pid}/programme.docx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert leader.get(f"/programmes/{pid}/compare").status_code == 200
    listing = leader.get("/programmes/").get_data(as_text=True)
    assert f"/programmes/{pid}\"" in listing


def test_the_leader_cannot_change_the_partners_programme(schools, app):
    pair(schools["leader_org"], schools["partner_org"], "signed")
    leader, pid = schools["leader"], schools["pid"]
    with db.connection_context():
        Programme.update(status="returned").where(Programme.id == pid).execute()
        comment = ProgrammeComment.create(programme=pid, section="goals", field="goal",
                                          text="Уточните цель.", revision=1)
    before = db_fingerprint()
    # The edit form itself is the owner's only.
    assert leader.get(f"/programmes/{pid}/goals").status_code == 404
    data = {"goal": "Чужая цель", "version": "1", "token": "0" * 32}
    for url in (f"/programmes/{pid}/goals", f"/programmes/{pid}/goals/autosave",
                f"/programmes/{pid}/submit", f"/comments/{comment.id}/answer"):
        url = url if url.startswith("/programmes") else f"/programmes{url}"
        assert leader.post(url, data=data).status_code == 404, url
    # Review actions are the centre's: a school is refused whatever the pair.
    for url in (f"/programmes/{pid}/comments", f"/programmes/{pid}/return",
                f"/programmes/{pid}/agree"):
        assert leader.post(url, data={"section": "goals", "text": "Замечание"}).status_code == 403
    assert db_fingerprint() == before
    # The owner still edits it as before.
    partner = schools["partner"]
    page = partner.get(f"/programmes/{pid}/goals").get_data(as_text=True)
    saved = partner.post(f"/programmes/{pid}/goals", data={
        **SECTION_DATA["goals"], "goal": "Своя цель", "version": version_of(page),
        "token": version_of(page, "token")})
    assert saved.status_code == 303


def test_no_pair_a_proposed_pair_or_the_other_direction_grant_nothing(schools, make_org):
    leader, other, pid = schools["leader"], schools["other"], schools["pid"]
    pair(schools["leader_org"], schools["partner_org"], "proposed")
    urls = (f"/programmes/{pid}", f"/programmes/{pid}/programme.docx",
            f"/programmes/{pid}/compare")
    for client in (leader, other):
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert f"/programmes/{pid}\"" not in client.get("/programmes/").get_data(as_text=True)


def test_a_leader_reads_only_its_own_partners(schools, login_as, make_org, app):
    third_org = make_org(kind="school", is_low_result=True)
    third = login_as("school", organization=third_org)
    third_pid = new_programme(third)
    pair(schools["leader_org"], schools["partner_org"], "approved")
    # Another leader's pair with the third school: not ours.
    pair(make_org(kind="school", is_leader=True), third_org, "approved")
    leader = schools["leader"]
    assert leader.get(f"/programmes/{schools['pid']}").status_code == 200
    assert leader.get(f"/programmes/{third_pid}").status_code == 404
    # The partner does not read its leader's programme: the right goes one way.
    leader_programme = create_programme(app, leader.user)
    assert schools["partner"].get(f"/programmes/{leader_programme.id}").status_code == 404


def test_the_leader_filters_the_road_map_by_its_partner_and_reports_only_its_own(
        schools, app, make_org):
    pair(schools["leader_org"], schools["partner_org"], "registered")
    with db.connection_context():
        owner = make_org(kind="centre")
        roadmap = Roadmap.create(title="Дорожная карта", organization=owner, period_start=2026,
                                 period_end=2026)
        section = RoadmapSection.create(roadmap=roadmap, position=0, number="1",
                                        title="Организационные мероприятия")
        theirs = RoadmapActivity.create(roadmap=roadmap, section=section, position=0,
                                        number="1.1", title="Семинар школы-партнёра",
                                        deadline_text="Январь")
        ours = RoadmapActivity.create(roadmap=roadmap, section=section, position=1,
                                      number="1.2", title="Консультация лидера",
                                      deadline_text="Февраль")
        ActivityOrganization.create(activity=theirs, organization=schools["partner_org"])
        ActivityOrganization.create(activity=ours, organization=schools["leader_org"])
    leader = schools["leader"]
    page = leader.get(f"/roadmaps/{roadmap.id}").get_data(as_text=True)
    partner_id = schools["partner_org"].id
    assert f'<option value="{partner_id}"' in page  # the partner among «Ответственный»
    filtered = leader.get(f"/roadmaps/{roadmap.id}?org={partner_id}").get_data(as_text=True)
    assert f'id="activity-{theirs.id}"' in filtered
    assert f'id="activity-{ours.id}"' not in filtered
    # Reading is all: the partner's activity is not the leader's to report on.
    before = db_fingerprint()
    response = leader.post(f"/roadmaps/activities/{theirs.id}/edit",
                           data={"version": "1", "status": "done", "execution": "Сделано"})
    assert response.status_code in (403, 404)
    assert db_fingerprint() == before
