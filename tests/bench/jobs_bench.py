"""Bulk generation through the queue, for `make bench`: BENCH_BATCH (200) draft orders rendered,
registered and converted to PDF by a real job worker (`huey_consumer worker.huey`) with the warm
PDF converter running, both at `nice -n 15` as in the Procfile (BENCH_NICE), and the directory
page measured with wrk while the batch runs."""
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COUNT = int(os.environ.get("BENCH_BATCH", "200"))
NICE = os.environ.get("BENCH_NICE", "15")  # as the Procfile starts the worker and converter


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _drafts(app, count):
    from models import Order, OrderClause, Organization, User, db

    with app.app_context(), db.connection_context(), db.atomic():
        department = Organization.create(
            kind="department", full_name="Управление образования администрации Новоречинского "
            "района", short_name="УО", municipality="Новоречинский район",
            head_position="Начальник управления образования",
            head_name="Волков Михаил Евгеньевич")
        user = User(login="benchdept", full_name="Белова Наталья Сергеевна", role="department",
                    organization=department)
        user.set_password("bench-password")
        user.save()
        ids = []
        for n in range(1, count + 1):
            order = Order.create(
                organization=department, order_date=date(2026, 9, 1), place="г. Новоречинск",
                heading=f"О проведении мониторинга в общеобразовательной организации № {n}",
                preamble="В целях повышения качества образования", signer_position="Начальник",
                signer_name="Волков Михаил Евгеньевич",
                control_clause="Контроль за исполнением настоящего приказа оставляю за собой.")
            for position in range(3):
                OrderClause.create(order=order, position=position,
                                   text=f"Провести мероприятие {position + 1} по плану.",
                                   executor="Смирнова Л.А.", deadline="до 15.10.2026")
            ids.append(order.id)
    return user, ids


def _tree_cpu(roots):
    """CPU seconds used so far by the processes `roots` and their live descendants."""
    parents, times = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    tree, grew = set(roots), True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return sum(times.get(pid, 0) for pid in tree)


def _busy():
    """(busy, total) CPU ticks of the whole machine so far (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run(env, tmp, app_port, cookie, wrk, baseline_p95=None):
    """Lines to print. `wrk(url, cookie)` → (rate, p50, p95, errors) of a wrk run."""
    from app import create_app
    from blueprints.documents import pdf
    from blueprints.jobs import engine
    from models import GeneratedDocument, JobItem, db

    pdf_port = _free_port()
    worker_env = {**os.environ, **env, "OPORA_PDF_PORT": str(pdf_port)}
    os.environ.update({k: worker_env[k] for k in ("OPORA_QUEUE_FILE", "OPORA_PDF_PORT")})
    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    user, ids = _drafts(app, COUNT)
    processes = []
    try:
        if pdf.available():  # the warm converter, as `make run` starts it
            processes.append(subprocess.Popen(
                ["nice", "-n", NICE, str(BIN / "flask"), "--app", "app", "pdf-converter"],
                cwd=ROOT, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True))
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", pdf_port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            time.sleep(2)  # every instance up, not only the first
        processes.append(subprocess.Popen(
            ["nice", "-n", NICE, str(BIN / "huey_consumer"), "worker.huey", "--workers", "2",
             "--worker-type", "thread", "--delay", "0.1", "--max-delay", "0.5"], cwd=ROOT,
            env=worker_env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        started = time.perf_counter()
        with app.app_context(), db.connection_context():
            job = engine.start("orders.register", ids, user, title="Бенчмарк",
                               with_pdf=pdf.available())
        # The directory page under wrk while the batch runs (from its first item on).
        while _job(app, job.id).done < 1 and time.perf_counter() - started < 120:
            time.sleep(0.1)
        background = [process.pid for process in processes]
        cpu_before, busy_before = _tree_cpu(background), _busy()
        rate, p50, p95, errors = wrk(f"http://127.0.0.1:{app_port}/orgs/", cookie)
        cpu_during = _tree_cpu(background) - cpu_before
        busy, total_ticks = (a - b for a, b in zip(_busy(), busy_before))
        done_during = _job(app, job.id).done
        deadline = time.monotonic() + 60 * 60
        while _job(app, job.id).is_active and time.monotonic() < deadline:
            time.sleep(0.2)
        total = time.perf_counter() - started
        finished = _job(app, job.id)
        with app.app_context(), db.connection_context():
            pdfs = (GeneratedDocument.select().join(JobItem, on=(
                JobItem.document == GeneratedDocument.id))
                .where((JobItem.job == job.id) & (GeneratedDocument.pdf_status == "done"))
                .count())
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
    ok = p95 < 150 and not errors
    return [
        f"bulk package through the queue: {finished.done} of {COUNT} orders "
        f"({finished.failed} failed, {pdfs} PDF, status {finished.status}) in {total:.1f} s: "
        f"{total / max(1, finished.done) * 1000:.0f} ms per document "
        f"(render + register + PDF{', warm converter' if pdf.available() else ': no LibreOffice'})",
        f"directory /orgs/ during the batch ({done_during} documents done meanwhile): "
        f"{rate:.1f} req/s   p50 {p50:.1f} ms   p95 {p95:.1f} ms   errors {errors}   "
        + (f"(without the batch, same run: p95 {baseline_p95:.1f} ms)   "
           if baseline_p95 is not None else "")
        + f"(target p95 < 150 ms: {'met' if ok else 'NOT met'})",
        f"meanwhile: the machine's CPUs {busy / max(1, total_ticks) * 100:.0f} % busy; the job "
        f"worker and the PDF converter (nice {NICE}) used {cpu_during:.1f} CPU-seconds",
    ]


def _job(app, job_id):
    from models import Job, db

    with app.app_context(), db.connection_context():
        return Job.get_by_id(job_id)
