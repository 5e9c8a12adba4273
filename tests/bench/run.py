"""`make bench`: Opora's pages under wrk, next to a bare Flask + peewee page.

Both run under gunicorn on one fresh SQLite database (500 schools) with the same
worker count, so the app/bare ratio says what Opora's own code costs on this machine.
Slow figures are reported, never turned into a failing exit code.

To add a case, append to CASES: a name, the server ("app" or "bare") and a path;
`baseline` names the case its req/s is compared with.
"""
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LUA = HERE / "report.lua"

# Measured on 2 cores: 2 sync workers beat 3 and 4 (more workers only add context switches
# while wrk itself needs CPU). BENCH_WORKERS overrides.
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
THREADS, CONNECTIONS = 2, 16
DURATION, WARMUP = os.environ.get("BENCH_DURATION", "10s"), "2s"
SCHOOLS, PER_PAGE = 500, 50
MIN_RATIO, MAX_P95_MS = 0.6, 100.0
SECRET_KEY = "bench-secret-key"
LOGIN, PASSWORD = "centre", "bench-password-1"
COOKIE = "opora"


@dataclass
class Case:
    name: str
    server: str  # key into the running servers
    path: str
    baseline: str | None = None  # case whose req/s this one is divided by
    signed_in: bool = True  # send the session cookie (the bare app ignores it)


CASES = [
    Case("directory", "app", "/orgs/", baseline="bare"),
    Case("dashboard", "app", "/", baseline="bare"),
    Case("bare", "bare", "/"),
]


class CannotRun(Exception):
    """The benchmark cannot be run here (missing tool): say why and exit 0."""


# --- data ---------------------------------------------------------------------------------

DISTRICTS = ["Новоречинский муниципальный район", "Берёзовский муниципальный район",
             "Кедровский муниципальный округ", "Усть-Каменский муниципальный район",
             "Северо-Енисейский муниципальный район", "город Новоречинск"]
PLACES = ["Берёзовская", "Сосновская", "Калиновская", "Покровская", "Ключевская", "Малиновская",
          "Ивановская", "Таёжная", "Озёрная", "Никольская", "Троицкая", "Заречная", "Луговская",
          "Кедровская", "Успенская", "Михайловская", "Александровская", "Степновская",
          "Рыбинская", "Богучанская", "Шалинская", "Ярцевская", "Подгорновская", "Тасеевская"]
TYPES = [("средняя общеобразовательная школа", "СОШ"),
         ("основная общеобразовательная школа", "ООШ"),
         ("начальная общеобразовательная школа", "НОШ")]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
            "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
            "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин"]
MEN = ["Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Игорь", "Михаил", "Николай"]
WOMEN = ["Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Марина", "Галина"]
FATHERS = ["Иванов", "Петров", "Сергеев", "Николаев", "Викторов", "Андреев", "Михайлов", "Юрьев"]


def _head(rng):
    surname, father = rng.choice(SURNAMES), rng.choice(FATHERS)
    if rng.random() < 0.7:  # most school heads are women
        return f"{surname}а {rng.choice(WOMEN)} {father}на"
    return f"{surname} {rng.choice(MEN)} {father}ич"


def _schools(rng):
    """500 schools spread over six districts: numbered town schools and village schools."""
    for i in range(SCHOOLS):
        district = DISTRICTS[i % len(DISTRICTS)]
        if district.startswith("город") or i % 7 == 0:
            kind_full, kind_short = rng.choice(TYPES[:1] * 4 + [("гимназия", "Гимназия"),
                                                                ("лицей", "Лицей")])
            number = i // len(DISTRICTS) + 1
            full = f"{kind_full.capitalize()} № {number} г. Новоречинска"
            short = f"{kind_short} № {number}"
        else:
            kind_full, kind_short = rng.choice(TYPES)
            place = PLACES[i % len(PLACES)]
            suffix = f" № {i // len(PLACES) + 1}"
            full, short = f"{place} {kind_full}{suffix}", f"{place} {kind_short}{suffix}"
        yield dict(kind="school", municipality=district,
                   full_name=f"Муниципальное бюджетное общеобразовательное учреждение «{full}»",
                   short_name=f"МБОУ «{short}»", address=f"{district}, ул. Школьная, д. {i % 40 + 1}",
                   head_position="Директор", head_name=_head(rng),
                   is_leader=rng.random() < 0.1, is_low_result=rng.random() < 0.2)


def seed(settings):
    """A fresh database: migrations, the centre, the department, 500 schools, a centre user."""
    # Imported here: app.py builds an app at import time from the environment set by main().
    from app import create_app
    from blueprints.core.demo import demo_inn
    from models import Organization, User, db
    from models.migrations import upgrade

    app = create_app(settings)
    rng = random.Random(1)  # the same data every run
    with app.app_context(), db.connection_context():
        upgrade(db)
        with db.atomic():
            centre = Organization.create(
                kind="centre", municipality=DISTRICTS[0], inn=demo_inn(1),
                full_name="Муниципальное бюджетное учреждение «Центр развития образования»",
                short_name="МБУ «Центр развития образования»", head_position="Директор",
                head_name="Смирнова Людмила Аркадьевна")
            Organization.create(
                kind="department", municipality=DISTRICTS[0], inn=demo_inn(2),
                full_name="Управление образования администрации Новоречинского района",
                short_name="Управление образования", head_position="Начальник управления",
                head_name="Волков Михаил Евгеньевич")
            for serial, fields in enumerate(_schools(rng), start=100):
                Organization.create(inn=demo_inn(serial), **fields)
            user = User(login=LOGIN, full_name="Белова Наталья Сергеевна", position="Методист",
                        role="centre", organization=centre)
            user.set_password(PASSWORD)  # in the app context: the configured hash method
            user.save()


# --- servers ------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn master in its own session, so Ctrl-C reaches us and we stop it in order."""

    def __init__(self, name, target, env, log_dir):
        if not (BIN / "gunicorn").exists():
            raise CannotRun(f"gunicorn not found in {BIN}")
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(log_dir, f"{name}.log")
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
                 "--log-level", "warning", target],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start; its log:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # gunicorn: graceful stop of master and workers
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group we created for it
                self.proc.wait()


# --- client -------------------------------------------------------------------------------

def sign_in(base):
    """Sign in through the real form (CSRF included) and return the session cookie value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not token:
        raise RuntimeError("no csrf_token on /login")
    form = urllib.parse.urlencode({"login": LOGIN, "password": PASSWORD, "next": "",
                                   "csrf_token": token.group(1)}).encode()
    opener.open(base + "/login", form).read()  # 303 to the dashboard, followed
    cookie = next((c.value for c in jar if c.name == COOKIE), None)
    # A sanity check before measuring: a lost session would benchmark the login redirect.
    request = urllib.request.Request(base + "/orgs/", headers={"Cookie": f"{COOKIE}={cookie}"})
    with urllib.request.urlopen(request) as r:
        rows = r.read().decode().count('<tr id="org-')
        if r.status != 200 or rows != PER_PAGE or r.url != base + "/orgs/":
            raise RuntimeError(f"/orgs/ after sign-in: status {r.status}, {rows} rows, url {r.url}")
    return cookie


def wrk(url, duration, cookie=None):
    """Run wrk in its own process; parse the line report.lua prints."""
    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}", "--latency", "-s", str(LUA)]
    if cookie:
        cmd += ["-H", f"Cookie: {COOKIE}={cookie}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    line = re.search(r"^BENCH (.*)$", out, re.M)
    if not line:
        raise RuntimeError(f"wrk printed no BENCH line:\n{out}")
    return {k: float(v) for k, v in (pair.split("=") for pair in line.group(1).split())}


# --- report -------------------------------------------------------------------------------

def report(results, load):
    cores = len(os.sched_getaffinity(0))
    print(f"\nmachine: {cores} cores ({os.cpu_count()} CPUs); gunicorn --workers {WORKERS} (sync); "
          f"wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}; SQLite, {SCHOOLS} schools")
    if load > cores / 2:
        # Other processes compete for the same cores: the cases are measured one after
        # another, so the ratios move with that load.
        print(f"WARNING: load average {load:.1f} at start on {cores} cores: figures are unreliable")
    print(f"{'case':<12}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'non-2xx':>9}")
    for case in CASES:
        r = results[case.name]
        print(f"{case.name:<12}{r['rps']:>9.1f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
              f"{int(r['non2xx'] + r['socket_errors']):>9}")
    verdicts = []
    for case in CASES:
        r = results[case.name]
        if r["non2xx"] or r["socket_errors"]:
            print(f"PROBLEM: {case.name}: {int(r['non2xx'])} non-2xx, "
                  f"{int(r['socket_errors'])} socket errors")
        if case.baseline:
            ratio = r["rps"] / results[case.baseline]["rps"]
            print(f"{case.name} app/{case.baseline}: {ratio:.2f}")
            ok = ratio >= MIN_RATIO and r["p95_ms"] < MAX_P95_MS
            verdicts.append(f"{case.name}: ratio {ratio:.2f} (>= {MIN_RATIO}), "
                            f"p95 {r['p95_ms']:.1f} ms (< {MAX_P95_MS:.0f}) -> "
                            f"{'holds' if ok else 'MISSED'}")
    print(f"targets at {CONNECTIONS} connections:")
    for line in verdicts:
        print("  " + line)


def main():
    # A plain `kill` gets the same clean-up as Ctrl-C (the finally block below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        print("bench skipped: wrk is not installed (apt-get install wrk)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="opora-bench-"))
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/bench.db", SECRET_KEY=SECRET_KEY,
               STORAGE_DIR=str(tmp / "storage"), OPORA_DEMO="0")
    os.environ.update(env)  # this process imports app.py too; keep it off instance/
    servers = {}
    load = os.getloadavg()[0]  # before we add our own
    try:
        seed({"DATABASE_URL": env["DATABASE_URL"], "STORAGE_DIR": env["STORAGE_DIR"],
              "SECRET_KEY": SECRET_KEY, "OPORA_DEMO": False})
        servers["app"] = Server("app", "app:app", env, tmp)
        servers["bare"] = Server("bare", "tests.bench.bare_app:app", env, tmp)
        servers["app"].wait_ready("/login")
        servers["bare"].wait_ready("/")
        cookie = sign_in(servers["app"].url)
        results = {}
        for case in CASES:
            url = servers[case.server].url + case.path
            wrk(url, WARMUP, cookie)  # every worker loads templates and imports before timing
            results[case.name] = wrk(url, DURATION, cookie if case.signed_in else None)
            print(f"measured {case.name}: {results[case.name]['rps']:.1f} req/s", flush=True)
        report(results, load)
        return 0
    except CannotRun as e:
        print(f"bench skipped: {e}")
        return 0
    except KeyboardInterrupt:
        print("\nbench interrupted")
        return 130
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
