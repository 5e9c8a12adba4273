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


def run():
    lines = []
    for key in sorted(registry.all_doctypes()):
        doctype = registry.get_doctype(key)
        context = doctype.sample()
        engine_rate = _per_second(lambda: registry.render(key, context))
        plain_rate = _per_second(_plain(doctype, context))
        lines.append(f"{key:<26} engine {engine_rate:7.1f} docs/s   plain docxtpl {plain_rate:6.1f} "
                     f"docs/s   ratio {engine_rate / plain_rate:5.2f}x (target >= 3x)")
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
    pdf = _pdf_seconds(registry.render("order", registry.get_doctype("order").sample()))
    lines.append(f"PDF (LibreOffice, cold start, order): {pdf:.2f} s" if pdf else
                 "PDF: LibreOffice not installed")
    pdf_big = _pdf_seconds(data)
    if pdf_big:
        lines.append(f"PDF of the 500-row order: {pdf_big:.2f} s")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
