"""Document benchmark: the engine against plain docxtpl, in the same run.

Plain docxtpl means what a view would do without the engine: open the template,
render with autoescape, save — per document.
"""
import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from statistics import median

from docxtpl import DocxTemplate

from blueprints.documents import registry
from blueprints.orders.documents import order_context, sample_order
from blueprints.programmes.documents import programme_context, sample_programme


def _per_second(fn, seconds=3.0):
    fn()  # warm-up (compile, caches)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - start)


def _plain(doctype, context):
    def render():
        template = DocxTemplate(str(doctype.template_path))
        template.render(context, autoescape=True)
        template.save(io.BytesIO())
    return render


def _big_annex_context(rows=500):
    order = sample_order()
    order["annexes"] = [{"title": "Перечень мероприятий", "header": ["№", "Мероприятие", "Срок",
                                                                    "Ответственный"],
                         "rows": [[str(i), f"Мероприятие {i} по повышению качества образования",
                                   "в течение года", "Центр развития образования"]
                                  for i in range(1, rows + 1)]}]
    return order_context(order, "01-07/45", order["order_date"])


def _pdf_seconds(docx_bytes):
    if not shutil.which("soffice"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "doc.docx")
        source.write_bytes(docx_bytes)
        start = time.perf_counter()
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(source)],
                       capture_output=True, timeout=120, check=False)
        elapsed = time.perf_counter() - start
        return elapsed if Path(tmp, "doc.pdf").exists() else None


def _pdf_warm_vs_cold(docx_bytes, warm_runs=20, cold_runs=5):
    """The app's own converter paths, in this run: the warm one (`flask pdf-converter`, one
    instance on a free port, XML-RPC client per call) against a cold LibreOffice per order."""
    import socket

    from flask import Flask

    from blueprints.documents import pdf, pdf_supervisor
    reason = pdf_supervisor.missing("/usr/bin/python3")
    if reason:
        return [f"PDF warm converter: not measured ({reason})"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    locks = tempfile.mkdtemp(prefix="opora-bench-locks-")
    supervisor = pdf_supervisor.Supervisor(port, 1, "/usr/bin/python3", locks).start()
    app = Flask("bench")
    app.config.update(PDF_CONVERTER_PORT=port, PDF_CONVERTER_INSTANCES=1, STORAGE_DIR=locks)
    try:
        if not supervisor.wait_ready(120):
            return ["PDF warm converter: did not start"]
        with app.app_context():
            pdf.convert_warm(docx_bytes)  # the first document loads Writer's filters
            warm = []
            for _ in range(warm_runs):
                start = time.perf_counter()
                assert pdf.convert_warm(docx_bytes).startswith(b"%PDF-")
                warm.append(time.perf_counter() - start)
    finally:
        supervisor.stop()
        shutil.rmtree(locks, ignore_errors=True)
    cold = []
    for _ in range(cold_runs):
        start = time.perf_counter()
        pdf.convert_cold(pdf.soffice_path(), docx_bytes)
        cold.append(time.perf_counter() - start)
    warm_median, cold_median = median(warm), median(cold)
    ok = warm_median <= 0.3 and cold_median / warm_median >= 5
    return [f"PDF per order, warm converter: {warm_median:.3f} s (median of {warm_runs})   "
            f"cold soffice: {cold_median:.3f} s (median of {cold_runs})   "
            f"{cold_median / warm_median:.1f}x faster",
            f"PDF warm target <= 0.3 s and >= 5x the cold path: {'met' if ok else 'NOT met'}"]


def run():
    lines = []
    for key in sorted(registry.all_doctypes()):
        doctype = registry.get_doctype(key)
        context = doctype.sample_context()
        engine_rate = _per_second(lambda: registry.render(key, context))
        plain_rate = _per_second(_plain(doctype, context))
        lines.append(f"{key:<26} engine {engine_rate:7.1f} docs/s   plain docxtpl {plain_rate:6.1f} "
                     f"docs/s   ratio {engine_rate / plain_rate:5.2f}x (target >= 5x)")
    big = _big_annex_context()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        data = registry.render("order", big)
        times.append(time.perf_counter() - start)
    lines.append(f"order with a 500-row annex: {median(times) * 1000:.0f} ms (median of 5)")
    programme = programme_context(sample_programme(indicators=20, activities=60, years=5))
    times = []
    for _ in range(5):
        start = time.perf_counter()
        registry.render("programme", programme)
        times.append(time.perf_counter() - start)
    lines.append(f"programme, 20 indicators x 5 years, 60 activities: {median(times) * 1000:.0f} ms "
                 f"(median of 5; target < 300 ms)")
    pdf = _pdf_seconds(registry.render("order", registry.get_doctype("order").sample_context()))
    lines.append(f"PDF (LibreOffice, cold start, order): {pdf:.2f} s" if pdf else
                 "PDF: LibreOffice not installed")
    pdf_big = _pdf_seconds(data)
    if pdf_big:
        lines.append(f"PDF of the 500-row order: {pdf_big:.2f} s")
    if shutil.which("soffice"):
        lines.extend(_pdf_warm_vs_cold(registry.render("order", registry.get_doctype("order")
                                                       .sample_context())))
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
