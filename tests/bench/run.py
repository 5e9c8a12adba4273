"""`make bench`: load figures for the app next to a bare Flask+peewee page, in one run.

Starts the app and a bare app under gunicorn on a temporary SQLite database with 500
schools, signs in, and drives each page with wrk from a separate process (16
connections). Prints requests/s, p50, p95 and the app/bare ratios, then the document
figures. It never fails on slow numbers: it is a benchmark, not a test.

`python -m tests.bench.run --batch` runs only the directory page and the bulk package with the
directory page measured meanwhile (the figures of tests/bench/jobs_bench.py).
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))  # CPU-bound pages: one per core
CONNECTIONS, DURATION = 16, os.environ.get("BENCH_SECONDS", "10s")
WARM_UP = "2s"
PASSWORD = "bench-password"
LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
-- Any non-2xx counts as a failure: a lost session shows up as 302 to /login.
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, bad,
    summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(tmp):
    """A database with 500 schools, the centre and a centre user."""
    env = {"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "STORAGE_DIR": f"{tmp}/storage",
           "SECRET_KEY": "bench", "OPORA_DEMO": "0", "OPORA_QUEUE_FILE": f"{tmp}/queue.db"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from blueprints.core.demo import demo_inn
    from models import Organization, User, db
    from models.migrations import upgrade

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context(), db.connection_context():
        upgrade(db)
        centre = Organization.create(kind="centre", full_name="МБУ «Центр развития образования»",
                                     short_name="МБУ «ЦРО»", municipality="Новоречинский район")
        with db.atomic():
            for n in range(1, 501):
                Organization.create(
                    kind="school", municipality=f"Район {n % 7 + 1}", inn=demo_inn(1000 + n),
                    full_name=f"Муниципальное бюджетное общеобразовательное учреждение "
                              f"«Средняя школа № {n}»", short_name=f"МБОУ «СШ № {n:03d}»",
                    head_position="Директор", head_name=f"Иванова Мария Петровна {n}",
                    is_leader=n % 10 == 0, is_low_result=n % 6 == 0)
        user = User(login="bench", full_name="Бенчмарков Б.Б.", role="centre", organization=centre)
        user.set_password(PASSWORD)
        user.save()
        # A school user with a programme draft for the autosave figure.
        from blueprints.programmes.services import create_programme
        school = Organization.get(Organization.short_name == "МБОУ «СШ № 001»")
        teacher = User(login="benchschool", full_name="Школьная Ш.Ш.", role="school",
                       organization=school)
        teacher.set_password(PASSWORD)
        teacher.save()
        programme = create_programme(school, teacher.id, 2026)
        # The home page (the work inbox) is measured for each role.
        department = Organization.create(kind="department", full_name="Управление образования",
                                         short_name="УО", municipality="Новоречинский район")
        for login, role, organization in (("benchhome", "department", department),
                                          ("benchadmin", "admin", centre)):
            person = User(login=login, full_name="Бенчмарков Б.Б.", role=role,
                          organization=organization)
            person.set_password(PASSWORD)
            person.save()
        roadmap_id, import_seconds = _import_roadmap(centre, user)
        _partnerships(user)
        from tests.bench import monitoring_data_bench  # a campaign of 500 schools × 30 indicators
        monitoring_data_bench.seed(user)
    return env, programme.id, roadmap_id, import_seconds


def _import_roadmap(centre, user):
    """Import a 300-activity .docx as the import page does (parse, then save); the best of 3."""
    from blueprints.roadmaps import samples
    from blueprints.roadmaps.importer import parse_roadmap
    from blueprints.roadmaps.services import save_roadmap

    data = samples.synthetic_docx(300)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        parsed = parse_roadmap(data, "roadmap.docx")
        roadmap = save_roadmap(parsed, centre.id, user.id, "roadmap.docx")
        times.append(time.perf_counter() - start)
    return roadmap.id, min(times)


def _partnerships(user):
    """200 pairs in the current school year (50 leaders, 4 partners each), some confirmed."""
    from blueprints.partnerships.pairs import current_year
    from models import Organization, Partnership, PartnershipConfirmation, db

    schools = list(Organization.select(Organization.id, Organization.is_leader).where(
        Organization.kind == "school").order_by(Organization.id))
    leaders = [s.id for s in schools if s.is_leader]
    partners = [s.id for s in schools if not s.is_leader][:200]
    year = current_year()
    with db.atomic():
        Partnership.insert_many([
            {"period_start": year, "leader": leaders[n % len(leaders)], "partner": partner,
             "directions": '["consulting", "mentoring", "lesson_visits"]',
             "status": ("proposed", "approved", "registered")[n % 3], "created_by": user.id}
            for n, partner in enumerate(partners)]).execute()
        ids = [p.id for p in Partnership.select(Partnership.id).where(Partnership.status != "proposed")]
        PartnershipConfirmation.insert_many([
            {"partnership": pid, "side": "leader", "version": 1, "content": "{}",
             "confirmed_at": "2026-09-15 10:00:00"} for pid in ids[::2]]).execute()
    return len(partners)


def _serve(env, target, port):
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", target],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def _token(page):
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def _login(port, login="bench"):
    """(cookie header, opener) of a signed-in session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    body = urllib.parse.urlencode({"login": login, "password": PASSWORD,
                                   "csrf_token": _token(page)})
    opener.open(f"http://127.0.0.1:{port}/login", body.encode())
    cookie = next(c for c in jar if c.name == "opora")
    return f"opora={cookie.value}", opener


def _autosave_script(port, programme_id, tmp):
    """A wrk script posting the goals section as the page's autosave does (same tab token)."""
    cookie, opener = _login(port, "benchschool")
    url = f"http://127.0.0.1:{port}/programmes/{programme_id}/goals"
    page = opener.open(url).read().decode()
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)
    token = re.search(r'id="token" name="token" type="hidden" value="([0-9a-f]+)"', page).group(1)
    body = urllib.parse.urlencode({
        "version": version, "token": token, "goal": "Повысить качество образования " * 5,
        "tasks-0-text": "Восполнить дефицит учителей математики.",
        "tasks-1-text": "Повысить учебную мотивацию обучающихся."})
    script = Path(tmp, "autosave.lua")
    script.write_text(LUA + f"""
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-CSRFToken"] = "{_token(page)}"
wrk.headers["HX-Request"] = "true"
""")
    return f"{url}/autosave", cookie, str(script)


def _wrk(url, cookie, script, duration=DURATION):
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "-s", script,
                          *headers, url], capture_output=True, text=True, check=True).stdout
    rate, p50, p95, bad_status, socket_errors = re.search(
        r"RESULT (\S+) (\S+) (\S+) (\d+) (\d+)", out).groups()
    return float(rate), float(p50), float(p95), int(bad_status) + int(socket_errors)


def main(batch_only=False):
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): the load benchmark is skipped")
        return
    tmp = tempfile.mkdtemp(prefix="opora-bench-")
    servers = []
    try:
        env, programme_id, roadmap_id, import_seconds = _prepare(tmp)
        app_port, bare_port = _free_port(), _free_port()
        servers.append(_serve(env, "app:app", app_port))
        servers.append(_serve(env, "tests.bench.bare_app:app", bare_port))
        cookie, opener = _login(app_port)
        rows = opener.open(f"http://127.0.0.1:{app_port}/orgs/").read().decode().count(
            '<tr id="org-')
        assert rows == 50, f"directory shows {rows} rows, expected 50"
        page = opener.open(f"http://127.0.0.1:{app_port}/partnerships/").read().decode()
        assert page.count('<tr id="pair-') == 50 and "Пар: 200" in page, \
            "the partnerships page does not show 50 of 200 pairs"
        script = Path(tmp, "report.lua")
        script.write_text(LUA)
        cases = [("directory /orgs/ (50 rows)", f"http://127.0.0.1:{app_port}/orgs/", cookie),
                 ("home (inbox), centre", f"http://127.0.0.1:{app_port}/", cookie),
                 ("road map, 300 activities", f"http://127.0.0.1:{app_port}/roadmaps/{roadmap_id}",
                  cookie),
                 ("bare Flask+peewee, 50 rows", f"http://127.0.0.1:{bare_port}/", None),
                 ("partnerships page, 200 pairs", f"http://127.0.0.1:{app_port}/partnerships/",
                  cookie)]
        from tests.bench import monitoring_data_bench
        cases.append(monitoring_data_bench.case(app_port, cookie, opener))
        people = (("school", "benchschool"), ("department", "benchhome"), ("admin", "benchadmin"))
        homes = [(f"home (inbox), {role}", f"http://127.0.0.1:{app_port}/",
                  _login(app_port, login)[0]) for role, login in people]
        cases += homes
        if batch_only:
            cases = cases[:1]
        print(f"cores: {os.cpu_count()}, gunicorn workers: {WORKERS}, wrk: {CONNECTIONS} "
              f"connections, {DURATION}")
        # Every page once before any is measured: the first measured case must not pay for the
        # servers' cold start (templates compiled, connections opened) while the others do not.
        for _, url, cookie_value in cases:
            _wrk(url, cookie_value, str(script), WARM_UP)
        results = {}
        for name, url, cookie_value in cases:
            rate, p50, p95, errors = results[name] = _wrk(url, cookie_value, str(script))
            print(f"{name:<28} {rate:8.1f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms"
                  f"   errors {errors}")
        if batch_only:
            from tests.bench import jobs_bench
            print("\n".join(jobs_bench.run(env, tmp, app_port, cookie, lambda url, c: _wrk(
                url, c, str(script)), baseline_p95=results[cases[0][0]][2])))
            return
        autosave_url, school_cookie, autosave_lua = _autosave_script(app_port, programme_id, tmp)
        rate, p50, p95, errors = _wrk(autosave_url, school_cookie, autosave_lua)
        print(f"{'programme autosave (POST)':<28} {rate:8.1f} req/s   p50 {p50:6.1f} ms   p95 "
              f"{p95:6.1f} ms   errors {errors}   (target p95 < 100 ms: "
              f"{'met' if p95 < 100 and not errors else 'NOT met'})")
        from tests.bench import report_autosave_bench  # a school's monitoring report (issue 12)
        print(report_autosave_bench.run(app_port, tmp, _login, _token, _wrk, LUA))
        _, _, p95, errors = results[cases[2][0]]
        print(f"road map page: target p95 < 150 ms: {'met' if p95 < 150 and not errors else 'NOT met'}")
        print(f"road map import, 300-activity .docx (parse + save): {import_seconds * 1000:.0f} ms "
              f"(best of 3; target < 2 s)")
        bare = results[cases[3][0]][0]
        name = cases[0][0]  # the directory against the bare page
        rate, _, p95, _ = results[name]
        ok = rate / bare >= 0.6 and p95 < 100
        print(f"{name} app/bare: {rate / bare:.2f}, p95 {p95:.1f} ms  "
              f"(target >= 0.60 and p95 < 100 ms: {'met' if ok else 'NOT met'})")
        for name, _, _ in [cases[1], *homes]:  # issue 13: the inbox stays fast, 500 schools
            rate, _, p95, errors = results[name]
            print(f"{name} app/bare: {rate / bare:.2f}, p95 {p95:.1f} ms  "
                  f"(target p95 < 100 ms: {'met' if p95 < 100 and not errors else 'NOT met'})")
        name = cases[4][0]
        rate, p50, p95, errors = results[name]
        print(f"{name}: p95 {p95:.1f} ms, {rate:.1f} req/s; app/bare {rate / bare:.2f} "
              f"(bare {bare:.1f} req/s, p95 {results[cases[3][0]][2]:.1f} ms); target p95 < 150 ms: "
              f"{'met' if p95 < 150 and not errors else 'NOT met'}")
        from tests.bench import monitoring_bench  # the campaign page, 500 schools × 30 indicators
        print("\n".join(monitoring_bench.run(app_port, cookie, lambda url, c: _wrk(
            url, c, str(script)), results[cases[3][0]])))
        print(monitoring_data_bench.report(results, cases[3][0]))
        from tests.bench import identification_bench  # the run 500 × 3 × 12 and the list page
        print("\n".join(identification_bench.run(app_port, cookie, lambda url, c: _wrk(
            url, c, str(script)), results[cases[3][0]])))
        from tests.bench import jobs_bench  # the bulk package, with wrk on the directory meanwhile
        print("\n".join(jobs_bench.run(env, tmp, app_port, cookie, lambda url, c: _wrk(
            url, c, str(script)), baseline_p95=results[cases[0][0]][2])))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    if batch_only:
        return
    from tests.bench import docs_bench
    print("\n".join(docs_bench.run()))
    from tests.bench import partnerships_bench  # bulk agreements + plans (render, register, PDF)
    print("\n".join(partnerships_bench.run()))
    from tests.bench import monitoring_data_bench  # the charts of the data page and the note
    print("\n".join(monitoring_data_bench.chart_times()))
    from tests.bench import monitoring_note_bench  # the analytical note, 500 × 30, 10 charts
    print("\n".join(monitoring_note_bench.run()))


if __name__ == "__main__":
    main(batch_only="--batch" in sys.argv[1:])
