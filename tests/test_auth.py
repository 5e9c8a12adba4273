"""Signing in and out, sessions that really end, brute-force lock, passwords, audit."""
from datetime import timedelta
from urllib.parse import unquote

from models import AuditLog, LoginFailure, User, db, now

from .conftest import PASSWORD, another_worker, build_app, login


def _cookie(client, app):
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie else None


def _replay(app, cookie_value):
    """A new browser that presents a captured session cookie."""
    other = app.test_client()
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie_value)
    return other


def test_login_page_in_russian(http):
    page = http.get("/login")
    assert page.status_code == 200
    assert "Вход в «Опору»" in page.get_data(as_text=True)


def test_anonymous_is_sent_to_login_with_next(http):
    response = http.get("/orgs/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/orgs/")


def test_login_rotates_session_and_shows_dashboard(app, http, make_user):
    user = make_user("centre")
    http.get("/login")
    before = _cookie(http, app)
    response = http.post("/login", data={"login": user.login, "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert _cookie(http, app) != before
    page = http.get("/").get_data(as_text=True)
    assert user.full_name in page and "Школ в справочнике" in page


def test_wrong_password_is_422_with_message_and_audited(http, make_user):
    user = make_user("school")
    response = http.post("/login", data={"login": user.login, "password": "nope"})
    assert response.status_code == 422
    assert "Неверный логин или пароль." in response.get_data(as_text=True)
    with db.connection_context():
        assert AuditLog.select().where(AuditLog.action == "login_failed",
                                       AuditLog.login == user.login).count() == 1


def test_unknown_login_gets_the_same_message(http):
    response = http.post("/login", data={"login": "nobody", "password": "whatever"})
    assert response.status_code == 422
    assert "Неверный логин или пароль." in response.get_data(as_text=True)


def test_open_redirect_is_refused(http, make_user):
    user = make_user("centre")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        client_response = http.post("/login", data={"login": user.login, "password": PASSWORD,
                                                    "next": target})
        assert client_response.headers["Location"] == "/"
        http.post("/logout")


def test_next_keeps_a_local_path(http, make_user):
    user = make_user("centre")
    response = http.post("/login", data={"login": user.login, "password": PASSWORD,
                                         "next": "/orgs/?q=школа"})
    assert unquote(response.headers["Location"]) == "/orgs/?q=школа"


def test_logout_ends_the_session_for_a_replayed_cookie(app, login_as):
    client = login_as("centre")
    captured = _cookie(client, app)
    assert client.post("/logout").status_code == 303
    replay = _replay(app, captured)
    assert replay.get("/orgs/").status_code == 302


def test_password_change_ends_other_sessions_but_not_this_one(app, login_as):
    client = login_as("school")
    elsewhere = _cookie(client, app)
    response = client.post("/password", data={"current_password": PASSWORD,
                                              "new_password": "new-password-9",
                                              "confirm": "new-password-9"})
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert _replay(app, elsewhere).get("/").status_code == 302
    fresh = app.test_client()
    login(fresh, client.user, "new-password-9")


def test_password_change_validates(login_as):
    client = login_as("school")
    response = client.post("/password", data={"current_password": "wrong",
                                              "new_password": "short", "confirm": "other"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Пароль должен содержать от 8 до 128 символов." in page
    assert "Пароли не совпадают." in page
    response = client.post("/password", data={"current_password": "wrong",
                                              "new_password": "long-enough-1",
                                              "confirm": "long-enough-1"})
    assert response.status_code == 422
    assert "Текущий пароль указан неверно." in response.get_data(as_text=True)


def test_deactivation_and_role_change_end_sessions(app, login_as, make_user):
    admin = login_as("admin")
    for change in ({"is_active": ""}, {"role": "department"}):
        victim_user = make_user("centre")
        victim = login_as(victim_user)
        captured = _cookie(victim, app)
        org = make_user("department").organization if change.get("role") else victim_user.organization
        data = {"full_name": victim_user.full_name, "position": "", "role": "centre",
                "organization": org.id, "is_active": "y"}
        data.update(change)
        response = admin.post(f"/users/{victim_user.id}/edit", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)
        assert _replay(app, captured).get("/").status_code == 302
    with db.connection_context():
        assert AuditLog.select().where(AuditLog.action == "role_changed").count() == 1


def test_repeated_failures_lock_the_account(app, http, make_user):
    user = make_user("school")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        assert http.post("/login", data={"login": user.login, "password": "x"}).status_code == 422
    locked = http.post("/login", data={"login": user.login, "password": "x"})
    assert locked.status_code == 429
    assert "временно заблокирована" in locked.get_data(as_text=True)
    # Even the right password is refused while locked…
    assert http.post("/login", data={"login": user.login, "password": PASSWORD}).status_code == 429
    # …and works once the lock has passed.
    with db.connection_context():
        LoginFailure.update(locked_until=now() - timedelta(minutes=1)).where(
            LoginFailure.login == user.login).execute()
    assert http.post("/login", data={"login": user.login, "password": PASSWORD}).status_code == 303


def test_lock_is_shared_between_workers(make_user, app):
    """The counter is in the database: a second app process (worker) sees the first one's failures."""
    user = make_user("school")
    worker_a = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        worker_a.post("/login", data={"login": user.login, "password": "x"})
    worker_b = another_worker(app).test_client()
    assert worker_b.post("/login", data={"login": user.login, "password": "x"}).status_code == 429


def test_inactive_user_cannot_log_in(http, make_user):
    user = make_user("school", is_active=False)
    assert http.post("/login", data={"login": user.login, "password": PASSWORD}).status_code == 422


def test_cookie_flags_and_security_headers(app, http, make_user):
    user = make_user("centre")
    response = http.post("/login", data={"login": user.login, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = http.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "HX-Request" in page.headers["Vary"]


def test_https_mode_makes_cookies_secure(tmp_path, monkeypatch, make_user):
    monkeypatch.setenv("OPORA_HTTPS", "1")
    secure_app = build_app(tmp_path)
    assert secure_app.config["SESSION_COOKIE_SECURE"] is True
    assert secure_app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    user = make_user("centre")
    client = secure_app.test_client()
    response = client.post("/login", data={"login": user.login, "password": PASSWORD},
                           base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_admin_creates_user_and_it_can_log_in(app, login_as, make_org):
    admin = login_as("admin")
    school = make_org()
    response = admin.post("/users/new", data={
        "login": "new.user", "full_name": "Новикова Анна Петровна", "position": "Завуч",
        "role": "school", "organization": school.id, "password": "password-123",
        "is_active": "y"})
    assert response.status_code == 303
    with db.connection_context():
        created = User.get(User.login == "new.user")
    assert created.organization_id == school.id
    login(app.test_client(), created, "password-123")


def test_user_form_checks_role_against_organisation(login_as, make_org):
    admin = login_as("admin")
    centre = make_org(kind="centre")
    response = admin.post("/users/new", data={
        "login": "x-user", "full_name": "Икс", "role": "school", "organization": centre.id,
        "password": "password-123"})
    assert response.status_code == 422
    assert "выберите организацию вида «Школа»" in response.get_data(as_text=True)


def test_duplicate_login_is_a_field_error(login_as, make_user):
    admin = login_as("admin")
    taken = make_user("centre")
    response = admin.post("/users/new", data={
        "login": taken.login, "full_name": "Дубль", "role": "centre",
        "organization": taken.organization_id, "password": "password-123"})
    assert response.status_code == 422
    assert "Такой логин уже занят." in response.get_data(as_text=True)


def test_admin_resets_password_and_old_sessions_end(app, login_as, make_user):
    admin = login_as("admin")
    user = make_user("school")
    victim = login_as(user)
    captured = _cookie(victim, app)
    response = admin.post(f"/users/{user.id}/password", data={"new_password": "reset-pass-77"})
    assert response.status_code == 303
    assert _replay(app, captured).get("/").status_code == 302
    login(app.test_client(), user, "reset-pass-77")


def test_admin_cannot_demote_themselves(login_as):
    admin = login_as("admin")
    me = admin.user
    response = admin.post(f"/users/{me.id}/edit", data={
        "full_name": me.full_name, "role": "centre", "organization": 0, "is_active": "y"})
    assert response.status_code == 422


def test_audit_log_records_denied_access(login_as):
    school = login_as("school")
    assert school.get("/users").status_code == 403
    with db.connection_context():
        entry = AuditLog.select().where(AuditLog.action == "access_denied").get()
    assert entry.user_id == school.user.id and "/users" in entry.details
    admin = login_as("admin")
    page = admin.get("/audit").get_data(as_text=True)
    assert "Отказ в доступе" in page


def test_every_audit_action_has_a_russian_label():
    import re
    from pathlib import Path

    from models.audit import ACTIONS
    source = "\n".join(p.read_text("utf-8") for p in Path("blueprints").rglob("*.py"))
    used = set(re.findall(r'audit\(\s*"([a-z_]+)"', source))
    used |= {"template_activated", "template_rolled_back"}  # chosen by a conditional
    assert used and used - ACTIONS.keys() == set()


def test_minutes_left_of_a_lock_round_up():
    """A lock taken this second says the full lock time, as the answer that took it did (the
    two pages must not differ: the unknown-login test compares them)."""
    from blueprints.auth.services import _minutes_left
    moment = now()
    assert _minutes_left(moment + timedelta(minutes=15), moment) == 15
    assert _minutes_left(moment + timedelta(minutes=15), moment + timedelta(seconds=1)) == 15
    assert _minutes_left(moment + timedelta(seconds=61), moment) == 2
    assert _minutes_left(moment + timedelta(seconds=5), moment) == 1
