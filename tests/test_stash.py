"""The stash that keeps typing after a session or form token expired, written as the attacks
it must withstand (issue 9): nobody without a session this server signed for an active user
writes to disk, a user's stash is bounded, it is kept only for a record that user may edit,
and restored typing saved over a newer version is a conflict, never a silent overwrite."""
import hashlib
import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from flask.sessions import session_json_serializer
from itsdangerous import URLSafeTimedSerializer

from models import ProgrammeSection, RoadmapActivity, db

from .conftest import HX, PASSWORD, build_app, csrf_from, login
from .test_programmes import create_programme, version_of
from .test_roadmaps import create_activity


def stashed(app):
    """Every stash file on disk."""
    return sorted(Path(app.config["STORAGE_DIR"], "stash").rglob("*.json"))


def stashed_bytes(app):
    return sum(path.stat().st_size for path in stashed(app))


def expire_session(client, app, hours=None):
    """Re-sign the client's session cookie as if issued `hours` ago (longer than a session
    lives): the signature is still this server's, only the age is over."""
    hours = hours or app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() / 3600 + 1
    name = app.config["SESSION_COOKIE_NAME"]
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(client.get_cookie(name).value)

    class Issued(serializer.signer):
        def get_timestamp(self):
            return int(time.time() - hours * 3600)

    serializer.signer = Issued
    client.set_cookie(name, serializer.dumps(data))


def restore_target(response):
    """The page (with ?restore=) the answer sends the user back to, or None."""
    location = response.headers.get("HX-Redirect") or response.location or ""
    if "/login" in location:
        location = parse_qs(urlsplit(location).query).get("next", [""])[0]
    return location if "?restore=" in location else None


def programme_page(client, pid, key="goals"):
    return client.get(f"/programmes/{pid}/{key}").get_data(as_text=True)


def section_value(pid, key, field):
    with db.connection_context():
        row = ProgrammeSection.get((ProgrammeSection.programme == pid)
                                   & (ProgrammeSection.key == key))
    return json.loads(row.data or "{}").get(field)


def test_anonymous_big_posts_write_nothing_to_disk(app, http, make_user):
    owner = make_user("school")
    pid = create_programme(app, owner).id
    body = {"goal": "Ж" * 300_000, "version": "1"}  # 1.8 MB on the wire
    for url in ("/programmes/999999/goals/autosave", "/programmes/999999/goals",
                f"/programmes/{pid}/goals/autosave", f"/programmes/{pid}/goals"):
        for _ in range(3):
            response = http.post(url, data=body, headers=HX)
            assert response.status_code in (200, 302, 303)
            assert restore_target(response) is None
    assert stashed(app) == []


def test_a_forged_or_unsigned_session_cookie_writes_nothing(app, http, make_user):
    user = make_user("school")
    pid = create_programme(app, user).id
    name = app.config["SESSION_COOKIE_NAME"]
    # The right format and a real active user's id and epoch, signed with another key.
    forger = URLSafeTimedSerializer("not-this-server", salt="cookie-session",
                                    serializer=session_json_serializer, signer_kwargs={
                                        "key_derivation": "hmac", "digest_method": hashlib.sha1})
    for cookie in (forger.dumps({"_user_id": f"{user.id}:0", "_fresh": True}),
                   "eyJfdXNlcl9pZCI6IjE6MCJ9", "eyJfdXNlcl9pZCI6IjE6MCJ9.AAAAAA.AAAA", "x" * 4000):
        http.set_cookie(name, cookie)
        response = http.post(f"/programmes/{pid}/goals/autosave", headers=HX,
                             data={"goal": "Подделка" * 1000, "version": "1"})
        assert restore_target(response) is None
    assert stashed(app) == []


def test_expired_session_keeps_typing_for_its_own_user_only(app, login_as, make_user):
    school = login_as("school")
    colleague = login_as(make_user("school", organization=school.user.organization_id))
    pid = create_programme(app, school.user).id
    page = programme_page(school, pid)
    expire_session(school, app)
    assert "/login" in school.get("/").location  # the session is over indeed
    response = school.post(f"/programmes/{pid}/goals/autosave", headers=HX, data={
        "version": version_of(page), "token": version_of(page, "token"),
        "goal": "Набранная за час цель"})
    target = restore_target(response)
    assert target and "/autosave" not in target
    [kept] = stashed(app)
    assert kept.parent.name == str(school.user.id)  # keyed to the user whose cookie it was
    # A colleague of the same school who got hold of the link sees nothing, and takes nothing.
    assert "Набранная за час цель" not in colleague.get(target).get_data(as_text=True)
    assert stashed(app) == [kept]
    login(school, school.user)
    restored = school.get(target).get_data(as_text=True)
    assert "Набранная за час цель" in restored and "Сеанс истёк" in restored
    assert stashed(app) == []  # read once
    assert section_value(pid, "goals", "goal") is None  # nothing saved on the user's behalf


def test_a_logged_out_session_cookie_is_not_accepted(app, login_as):
    school = login_as("school")
    pid = create_programme(app, school.user).id
    name = app.config["SESSION_COOKIE_NAME"]
    before_logout = school.get_cookie(name).value
    school.post("/logout")
    school.set_cookie(name, before_logout)  # signed by us, but the session was ended
    expire_session(school, app)
    response = school.post(f"/programmes/{pid}/goals/autosave", headers=HX,
                           data={"goal": "После выхода", "version": "1"})
    assert restore_target(response) is None
    assert stashed(app) == []


def test_expired_session_on_a_record_the_user_may_not_edit_is_not_kept(app, login_as,
                                                                        make_user):
    school = login_as("school")
    centre = login_as("centre")
    own = create_programme(app, school.user).id
    foreign = create_programme(app, make_user("school")).id
    submitted = create_programme(app, school.user, status="submitted").id
    expire_session(school, app)
    expire_session(centre, app)
    attempts = [(school, f"/programmes/{foreign}/goals/autosave"),
                (school, f"/programmes/{foreign}/goals"),
                (school, "/programmes/999999/goals/autosave"),
                (school, f"/programmes/{submitted}/goals/autosave"),
                (centre, f"/programmes/{own}/goals/autosave")]  # a role the page is not for
    for client, url in attempts:
        response = client.post(url, headers=HX, data={"goal": "Чужое", "version": "1"})
        assert restore_target(response) is None, url
    assert stashed(app) == []


def _csrf_login(client, user):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"login": user.login, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 303
    return client


def test_stale_form_token_on_a_foreign_or_missing_record_is_not_kept(tmp_path, make_user, app):
    csrf_app = build_app(tmp_path, WTF_CSRF_ENABLED=True)
    user = make_user("school")
    foreign = create_programme(app, make_user("school")).id
    client = _csrf_login(csrf_app.test_client(), user)
    for url in (f"/programmes/{foreign}/goals/autosave", "/programmes/999999/goals"):
        response = client.post(url, data={"csrf_token": "stale", "goal": "Чужое",
                                          "version": "1"})
        assert response.status_code == 400 and restore_target(response) is None, url
    assert stashed(csrf_app) == []


def test_each_users_stash_is_capped_in_count_and_bytes(app, login_as):
    app.config.update(OPORA_STASH_MAX_PER_USER=3, OPORA_STASH_MAX_MB=0.05)  # 52 KB
    school = login_as("school")
    pid = create_programme(app, school.user).id
    expire_session(school, app)
    url = f"/programmes/{pid}/goals/autosave"
    targets = [restore_target(school.post(url, headers=HX, data={"goal": f"Текст {n}"}))
               for n in range(6)]
    assert all(targets)
    files = stashed(app)
    assert len(files) == 3
    newest = {parse_qs(urlsplit(t).query)["restore"][0] for t in targets[-3:]}
    assert {path.stem for path in files} == newest  # the oldest went first
    for _ in range(5):  # 20 KB each: only what fits in 52 KB stays
        assert restore_target(school.post(url, headers=HX, data={"goal": "ы" * 10_000}))
    assert 0 < stashed_bytes(app) <= 0.05 * 1024 * 1024
    assert len(stashed(app)) <= 3
    # One post over the whole allowance is not kept at all.
    assert restore_target(school.post(url, headers=HX, data={"goal": "ы" * 40_000})) is None
    assert stashed_bytes(app) <= 0.05 * 1024 * 1024


def _two_of_one_school(make_user):
    first = make_user("school")
    return first, make_user("school", organization=first.organization_id)


def test_restored_section_saved_over_a_newer_version_is_a_conflict(app, login_as, make_user):
    a_user, b_user = _two_of_one_school(make_user)
    a, b = login_as(a_user), login_as(b_user)
    pid = create_programme(app, a_user).id
    a_page = programme_page(a, pid)
    b_page = programme_page(b, pid)
    assert b.post(f"/programmes/{pid}/goals", data={
        "version": version_of(b_page), "token": version_of(b_page, "token"),
        "goal": "Цель Б"}).status_code == 303
    expire_session(a, app)
    target = restore_target(a.post(f"/programmes/{pid}/goals", data={
        "version": version_of(a_page), "token": version_of(a_page, "token"),
        "goal": "Цель А"}))
    assert target
    login(a, a_user)
    restored = a.get(target).get_data(as_text=True)
    assert "Цель А" in restored
    assert version_of(restored) == version_of(a_page)  # the version it was typed against
    saved = a.post(f"/programmes/{pid}/goals", data={
        "version": version_of(restored), "token": version_of(restored, "token"),
        "goal": "Цель А"})
    body = saved.get_data(as_text=True)
    assert saved.status_code == 409 and "Цель А" in body and "Цель Б" in body
    assert section_value(pid, "goals", "goal") == "Цель Б"


def test_restored_autosave_after_a_stale_token_is_a_conflict(tmp_path, app, make_user):
    csrf_app = build_app(tmp_path, WTF_CSRF_ENABLED=True)
    a_user, b_user = _two_of_one_school(make_user)
    a = _csrf_login(csrf_app.test_client(), a_user)
    b = _csrf_login(csrf_app.test_client(), b_user)
    pid = create_programme(app, a_user).id
    a_page, b_page = programme_page(a, pid), programme_page(b, pid)
    assert b.post(f"/programmes/{pid}/goals/autosave", headers=HX, data={
        "csrf_token": csrf_from(b_page), "version": version_of(b_page),
        "token": version_of(b_page, "token"), "goal": "Цель Б"}).status_code == 200
    response = a.post(f"/programmes/{pid}/goals/autosave", headers=HX, data={
        "csrf_token": "stale", "version": version_of(a_page),
        "token": version_of(a_page, "token"), "goal": "Цель А"})
    target = restore_target(response)
    assert target
    restored = a.get(target).get_data(as_text=True)
    assert "Цель А" in restored and version_of(restored) == version_of(a_page)
    form = {"csrf_token": csrf_from(restored), "version": version_of(restored),
            "token": version_of(restored, "token"), "goal": "Цель А"}
    autosaved = a.post(f"/programmes/{pid}/goals/autosave", headers=HX, data=form)
    assert autosaved.status_code == 409
    saved = a.post(f"/programmes/{pid}/goals", data=form)
    body = saved.get_data(as_text=True)
    assert saved.status_code == 409 and "Цель А" in body and "Цель Б" in body
    assert section_value(pid, "goals", "goal") == "Цель Б"


def test_restored_activity_saved_over_a_newer_version_is_a_conflict(app, login_as, make_user):
    a_user, b_user = _two_of_one_school(make_user)
    a, b = login_as(a_user), login_as(b_user)
    activity = create_activity(app, a_user.organization_id)
    url = f"/roadmaps/activities/{activity.id}/edit"
    a_page = a.get(url).get_data(as_text=True)
    b_page = b.get(url).get_data(as_text=True)
    assert b.post(url, data={"version": version_of(b_page), "status": "in_progress",
                             "execution": "Отчёт Б"}).status_code == 303
    expire_session(a, app)
    target = restore_target(a.post(url, data={"version": version_of(a_page), "status": "done",
                                              "execution": "Отчёт А"}))
    assert target
    login(a, a_user)
    restored = a.get(target).get_data(as_text=True)
    assert "Отчёт А" in restored and version_of(restored) == version_of(a_page)
    saved = a.post(url, data={"version": version_of(restored), "status": "done",
                              "execution": "Отчёт А"})
    body = saved.get_data(as_text=True)
    assert saved.status_code == 409 and "Отчёт А" in body and "Отчёт Б" in body
    with db.connection_context():
        assert RoadmapActivity.get_by_id(activity.id).execution == "Отчёт Б"


def test_expired_session_on_an_activity_of_someone_else_is_not_kept(app, login_as, make_org):
    school = login_as("school")
    foreign = create_activity(app, make_org(kind="school").id)
    expire_session(school, app)
    for url in (f"/roadmaps/activities/{foreign.id}/edit", "/roadmaps/activities/999999/edit"):
        response = school.post(url, data={"version": "1", "execution": "Чужое"})
        assert restore_target(response) is None, url
    assert stashed(app) == []


def test_restore_token_is_checked_strictly(app, login_as):
    school = login_as("school")
    pid = create_programme(app, school.user).id
    for token in ("../../secret_key", "A" * 32, "0" * 31, "ж" * 32):
        page = school.get(f"/programmes/{pid}/goals?restore={token}")
        assert page.status_code == 200 and "Сеанс истёк" not in page.get_data(as_text=True)
