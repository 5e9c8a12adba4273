"""Bulk agreements for `make bench`: BENCH_PAIRS (200) confirmed pairs of an approved order;
«Сформировать соглашения для всех пар» renders and registers the agreement and the plan of each
and converts both to PDF (the warm converter, as `make run` starts it), as one job run by the
job engine in this process, as a worker runs it. Prints the total and the time per document.

Run alone: `python -m tests.bench.partnerships_bench`."""
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from .jobs_bench import _free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COUNT = int(os.environ.get("BENCH_PAIRS", "200"))


def _pairs(app, count):
    from blueprints.documents import api as docs
    from blueprints.partnerships import services
    from models import (Organization, Partnership, PartnershipConfirmation, PlanRow, User, db,
                        now)

    with app.app_context(), db.connection_context(), db.atomic():
        centre = Organization.create(kind="centre", full_name="МБУ «Центр развития образования»",
                                     short_name="ЦРО", municipality="Новоречинский район")
        user = User(login="benchcentre", full_name="Белова Наталья Сергеевна", role="centre",
                    organization=centre)
        user.set_password("bench-password")
        user.save()
        order = docs.register("order", plain=docs.doctype("order").sample,
                              title="Об организации партнёрского взаимодействия",
                              on_date=date(2026, 9, 1), organization=centre.id)
        for n in range(1, count + 1):
            leader, partner = (Organization.create(
                kind="school", full_name=f"Муниципальное бюджетное общеобразовательное "
                f"учреждение «{name} № {n}»", short_name=f"МБОУ «{name} № {n}»",
                municipality="Новоречинский район", head_position="Директор",
                head_name="Иванова Мария Петровна", is_leader=leader_flag)
                for name, leader_flag in (("Лицей", True), ("СОШ", False)))
            pair = services.propose(2026, leader, partner, ["consulting", "mentoring"], None)
            Partnership.update(approval=order.id, status="approved").where(
                Partnership.id == pair.id).execute()
            for position in range(8):
                PlanRow.create(partnership=pair, position=position,
                               title=f"Консультация по подготовке к ОГЭ, тема {position + 1}",
                               form="семинар", deadline_text="октябрь 2026",
                               leader_responsible="Петрова А. А.",
                               partner_responsible="Сидорова Е. В.",
                               expected_result="Методические рекомендации")
            for side in ("leader", "partner"):
                PartnershipConfirmation.create(partnership=pair, side=side, version=1,
                                               confirmed_at=now())
    return user


def run():
    from app import create_app
    from blueprints.documents import pdf
    from blueprints.jobs import engine
    from blueprints.partnerships import batch
    from models import GeneratedDocument, Job, JobItem, db
    from models.migrations import upgrade

    tmp = tempfile.mkdtemp(prefix="opora-bench-pairs-")
    pdf_port = _free_port()
    env = {"OPORA_PDF_PORT": str(pdf_port), "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
           "OPORA_STORAGE_DIR": f"{tmp}/storage", "OPORA_QUEUE_FILE": f"{tmp}/queue.db",
           "OPORA_DEMO": "0"}
    os.environ.update(env)
    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "DATABASE_URL": env["DATABASE_URL"], "STORAGE_DIR": env["OPORA_STORAGE_DIR"],
                      "OPORA_DEMO": False, "PDF_CONVERTER_PORT": pdf_port})
    with app.app_context(), db.connection_context():
        upgrade(db)
    user = _pairs(app, COUNT)
    converter = None
    try:
        if pdf.available():  # the warm converter, as `make run` starts it
            converter = subprocess.Popen(
                ["nice", "-n", "19", str(BIN / "flask"), "--app", "app", "pdf-converter"],
                cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", pdf_port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            time.sleep(2)  # every instance up, not only the first
        with app.app_context(), db.connection_context():
            ids = [p.id for p in batch.pairs_of(2026)]
            started = time.perf_counter()
            job = engine.start(batch.AGREEMENTS_REGISTER.key, ids, user,
                               with_pdf=pdf.available())
            engine.run(job.id)  # as the worker does (the queued message finds it done)
            total = time.perf_counter() - started
            finished = Job.get_by_id(job.id)
            documents = (GeneratedDocument.select().where(GeneratedDocument.doctype.in_(
                ("partnership_agreement", "partnership_plan"))))
            count, pdfs = documents.count(), documents.where(
                GeneratedDocument.pdf_status == "done").count()
            failed = JobItem.select().where((JobItem.job == job.id)
                                            & (JobItem.status == "failed")).count()
    finally:
        if converter is not None:
            converter.terminate()
            try:
                converter.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(converter.pid, 9)
    return [
        f"bulk agreements + plans: {finished.done} of {COUNT} pairs ({failed} failed, status "
        f"{finished.status}), {count} documents, {pdfs} PDF in {total:.1f} s: "
        f"{total / max(1, count) * 1000:.0f} ms per document (render + register + PDF"
        f"{', warm converter' if pdf.available() else ': no LibreOffice'})"]


if __name__ == "__main__":
    print("\n".join(run()))
