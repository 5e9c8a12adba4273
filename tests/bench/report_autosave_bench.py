"""School report autosave under load (issue 12): benchschool's report in an open campaign
of every seeded monitoring indicator, posted as the page's autosave does (the same tab's token,
so no conflicts), by wrk at 16 connections. Target p95 < 100 ms.

Hooked into tests/bench/run.py (`make bench`); alone: `python -m tests.bench.report_autosave_bench`
(builds the same bench database and servers)."""
import re
import urllib.parse
from datetime import date
from pathlib import Path

CODES = ("participants", "failed", "share_2", "graduates", "no_certificate", "students_at_risk",
         "students_with_iom", "has_iom", "teachers", "trained_teachers", "absences_per_student",
         "parent_satisfaction", "measures")
VALUES = {"participants": "40", "failed": "5", "share_2": "12,5", "graduates": "25",
          "no_certificate": "1", "students_at_risk": "12", "students_with_iom": "10",
          "has_iom": "да", "teachers": "30", "trained_teachers": "12",
          "absences_per_student": "3,4", "parent_satisfaction": "средняя",
          "measures": "Консультации по математике для обучающихся группы риска " * 3}


def prepare(school_login="benchschool"):
    """An open campaign with benchschool's report; its id (the bench database is current)."""
    from models import (CampaignIndicator, Indicator, MonitoringCampaign, MonitoringReport,
                        User, db)
    with db.connection_context(), db.atomic():
        school = User.get(User.login == school_login).organization_id
        campaign = MonitoringCampaign.create(
            title="Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027",
            period_label="I полугодие 2026/2027", period_start=date(2026, 9, 1),
            period_end=date(2026, 12, 31), deadline=date(2027, 1, 15), status="open")
        for position, code in enumerate(CODES):
            CampaignIndicator.create(campaign=campaign, indicator=Indicator.get(
                Indicator.code == code), section="Результаты" if position < 7 else "Условия",
                position=position)
        return MonitoringReport.create(campaign=campaign, school=school).id


def run(port, tmp, login, token_of, wrk, lua):
    """The figure's line: req/s, p50, p95 and whether the target is met."""
    report_id = prepare()
    cookie, opener = login(port, "benchschool")
    url = f"http://127.0.0.1:{port}/monitoring/reports/{report_id}"
    page = opener.open(url).read().decode()
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)
    tab = re.search(r'id="token" name="token" type="hidden" value="([0-9a-f]+)"', page).group(1)
    fields = {"version": version, "token": tab}
    for code, value in VALUES.items():
        fields[f"v_{code}"], fields[f"c_{code}"] = value, "по журналу"
    script = Path(tmp, "report_autosave.lua")
    script.write_text(lua + f"""
wrk.method = "POST"
wrk.body = "{urllib.parse.urlencode(fields)}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-CSRFToken"] = "{token_of(page)}"
wrk.headers["HX-Request"] = "true"
""")
    rate, p50, p95, errors = wrk(f"{url}/autosave", cookie, str(script))
    met = "met" if p95 < 100 and not errors else "NOT met"
    return (f"{'school report autosave (POST)':<28} {rate:8.1f} req/s   p50 {p50:6.1f} ms   "
            f"p95 {p95:6.1f} ms   errors {errors}   ({len(CODES)} indicators; target p95 < 100 ms: "
            f"{met})")


def main():
    import shutil
    import tempfile

    from tests.bench import run as bench
    tmp = tempfile.mkdtemp(prefix="opora-bench-")
    server = None
    try:
        env, programme_id, *_ = bench._prepare(tmp)
        port = bench._free_port()
        server = bench._serve(env, "app:app", port)
        print(f"cores: {bench.os.cpu_count()}, gunicorn workers: {bench.WORKERS}, wrk: "
              f"{bench.CONNECTIONS} connections, {bench.DURATION}")
        print(run(port, tmp, bench._login, bench._token, bench._wrk, bench.LUA))
        # The programme autosave on the same machine and moment: the same mechanism's figure.
        rate, p50, p95, errors = bench._wrk(*bench._autosave_script(port, programme_id, tmp))
        print(f"{'programme autosave (POST)':<28} {rate:8.1f} req/s   p50 {p50:6.1f} ms   "
              f"p95 {p95:6.1f} ms   errors {errors}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
