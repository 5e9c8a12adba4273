"""The analytical note of a campaign as plain data: general information, a table per indicator
(school, value, previous period, change), the municipal figures, the schools on the worse side
of a threshold, chart specs, and draft sentences in Russian. Read by the note page, the
`analytical_note` doctype (note_documents.py) and the results order; no writes here.

Numbers stay Decimal-as-text in the plain data («12.4»), so it is JSON as it is; words and
typography (decimal comma, non-breaking spaces, «п. п.») are made by the functions below,
shared by the page and the document.
"""
import json
from datetime import date
import threading
from collections import OrderedDict
from decimal import Decimal, InvalidOperation

from peewee import fn

from models import (GeneratedDocument, Indicator, MonitoringCampaign, MonitoringReport,
                    Organization, ReportValue)

from ..core.filters import NBSP, date_num, morph_analyzer, number, plural_ru
from . import chart_pool, charts, reads, stats

TABLED = ("int", "percent", "decimal", "bool")  # indicators with a table in the note
MAX_CHARTS = 10  # a note of 30 indicators stays readable: the first ones get their charts
DYNAMICS_PERIODS = 5  # periods back along `previous` in the dynamics chart
TEXT_KEYS = ("analysis", "conclusions", "recommendations")
PERSON_KEYS = ("signer_position", "signer_name", "executor_name", "executor_phone")


# --- numbers in words ----------------------------------------------------------------------

def decimal_or_none(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ".").replace(" ", "").replace(NBSP, ""))
    except InvalidOperation:
        return None


def places_of(value_type):
    return {"int": 0, "percent": 1, "decimal": 2, "bool": 0}.get(value_type, 2)


def figure(value, value_type, unit=""):
    """«12,4 %», «5 чел.», «3,25»: the decimal comma and a non-breaking space before the unit;
    «—» for no value; a yes/no as «да»/«нет»."""
    amount = decimal_or_none(value)
    if amount is None:
        return "—"
    if value_type == "bool":
        return "да" if amount else "нет"
    text = number(amount, places_of(value_type))
    if value_type == "decimal" and "," in text:  # 3,20 → 3,2: no trailing zeros
        text = text.rstrip("0").rstrip(",")
    unit = "%" if value_type == "percent" else (unit or "").strip()
    return f"{text}{NBSP}{unit}" if unit else text


def change_text(current, previous, indicator):
    """«▼ 2,6 п. п.», «▲ 2 чел.», «без изменений»; «—» when a side is missing."""
    found = stats.change(decimal_or_none(current), decimal_or_none(previous),
                         _Kind(indicator))
    if found is None:
        return "—"
    if found["delta"] == 0:
        return "без изменений"
    if indicator["value_type"] == "bool":  # a yes/no: what it was
        return f"{found['arrow']} было «{figure(previous, 'bool')}»"
    if indicator["value_type"] == "percent":
        amount = number(abs(found["delta"]).quantize(Decimal("0.1")))
    else:
        amount = figure(abs(found["delta"]), indicator["value_type"])
    unit = found["unit"] or ""
    unit = unit.replace(" ", NBSP)
    return f"{found['arrow']} {amount}{NBSP + unit if unit else ''}"


class _Kind:
    """What stats.change reads of an indicator, from its plain dict."""

    def __init__(self, indicator):
        self.value_type = indicator["value_type"]
        self.unit = indicator.get("unit", "")
        self.higher_is_better = indicator["higher_is_better"]


VERBS = {  # (up, down, same) by gender / plural
    "masc": ("вырос", "снизился", "не изменился"),
    "femn": ("выросла", "снизилась", "не изменилась"),
    "neut": ("выросло", "снизилось", "не изменилось"),
    "plur": ("выросли", "снизились", "не изменились"),
}


def gender_of_name(name):
    """The gender (or «plur») of an indicator's name by its head noun: the first noun in the
    nominative among its first words (pymorphy3); «Средний балл» → masc by «балл»."""
    words = [w.strip("«»\"(),.:;") for w in (name or "").split()[:4]]
    try:
        morph = morph_analyzer()
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        morph = None
    for word in words:
        if not word.isalpha():
            continue
        if morph is not None:
            parse = next((p for p in morph.parse(word) if "nomn" in p.tag
                          and p.tag.POS == "NOUN"), None)
            if parse is None:
                continue
            return "plur" if parse.tag.number == "plur" else (parse.tag.gender or "masc")
        return _gender_by_ending(word)
    return _gender_by_ending(words[0] if words else "")


def _gender_by_ending(word):
    word = word.lower()
    if word.endswith(("а", "я", "ость")):
        return "femn"
    if word.endswith(("о", "е")):
        return "neut"
    if word.endswith(("ы", "и")):
        return "plur"
    return "masc"


def draft_sentence(indicator, current, previous):
    """«Доля обучающихся, получивших «2», снизилась с 12,4 % до 9,8 % (на 2,6 п. п.).»;
    «… выросло с 3 до 5 чел. (на 2 чел.).»; «… не изменилась (9,8 %).»; without the previous
    period: «… — 9,8 % (за предыдущий период данных нет).»"""
    name = indicator["name"].strip().rstrip(".")
    value_type, unit = indicator["value_type"], indicator.get("unit", "")
    now = figure(current, value_type, unit)
    if decimal_or_none(current) is None:
        return f"{name}: данных за период нет."
    up, down, same = VERBS[gender_of_name(name)]
    # «Доля обучающихся, получивших «2»,»: a participial phrase is closed before the verb
    name = f"{name}," if "," in name else name
    if decimal_or_none(previous) is None:
        return f"{name} — {now} (за предыдущий период данных нет)."
    # «с 12,4 % до 9,8 %», but «с 3 до 5 чел.»: a unit in words is said once
    before = figure(previous, value_type, unit if value_type == "percent" else "")
    delta = decimal_or_none(current) - decimal_or_none(previous)
    if value_type == "percent":
        delta = delta.quantize(Decimal("0.1"))
    if delta == 0:
        return f"{name} {same} ({now})."
    verb = up if delta > 0 else down
    if value_type == "percent":
        by = f"{number(abs(delta))}{NBSP}п.{NBSP}п."
    else:
        by = figure(abs(delta), value_type, unit)
    paired = indicator.get("paired")
    over = f"; по {paired['count']} ОО с данными за оба периода" if paired else ""
    return f"{name} {verb} с {before} до {now} (на {by}{over})."


def participants_sentence(submitted, total):
    """«Отчёты представили 18 из 20 ОО.», «Отчёт представила 1 из 5 ОО.» (21 — «представила»)."""
    one = submitted % 10 == 1 and submitted % 100 != 11
    noun, verb = ("Отчёт", "представила") if one else ("Отчёты", "представили")
    return f"{noun} {verb} {submitted} из {total} ОО."


# --- reading a campaign ----------------------------------------------------------------------

def texts_of(campaign):
    """The methodist's saved note form (campaign.note_texts): texts, thresholds, people."""
    try:
        saved = json.loads(campaign.note_texts or "{}")
    except ValueError:
        saved = {}
    return saved if isinstance(saved, dict) else {}


def _basis(campaign):
    """The launching order as plain data, or None when the campaign has none registered."""
    if not campaign.order_id:
        return None
    order = GeneratedDocument.get_or_none(GeneratedDocument.id == campaign.order_id)
    if order is None or not order.number:
        return None
    return {"title": order.title, "number": order.number, "on_date": order.registered_on}


def _centre_name():
    centre = Organization.centre()
    return centre.full_name if centre is not None else ""


def _period_chain(campaign):
    """[(campaign id, period label)] from the oldest of up to DYNAMICS_PERIODS to this one."""
    chain, current, seen = [], campaign, set()
    while current is not None and len(chain) < DYNAMICS_PERIODS and current.id not in seen:
        seen.add(current.id)
        chain.append((current.id, current.period_label))
        current = (MonitoringCampaign.get_or_none(MonitoringCampaign.id == current.previous_id)
                   if current.previous_id else None)
    return chain[::-1]


def _period_means(chain, indicator_ids):
    """{(campaign id, indicator id): mean} over the counted reports, in one query."""
    if not chain or not indicator_ids:
        return {}
    rows = (ReportValue.select(MonitoringReport.campaign, ReportValue.indicator,
                               fn.AVG(ReportValue.number).alias("mean"))
            .join(MonitoringReport)
            .where(MonitoringReport.campaign.in_([c for c, _ in chain])
                   & MonitoringReport.status.in_(stats.COUNTED)
                   & ReportValue.indicator.in_(indicator_ids) & ReportValue.number.is_null(False))
            .group_by(MonitoringReport.campaign, ReportValue.indicator).tuples())
    return {(c, i): Decimal(str(m)).quantize(Decimal("0.1")) for c, i, m in rows if m is not None}


def _text(value):
    return None if value is None else format(Decimal(value).normalize(), "f")


def _numbers(report_ids):
    """{report id: {code: number}} in one query of plain tuples. stats.figures builds a
    ReportValue per value: for 500 schools × 30 indicators in two periods that alone took
    half of the note's 3 s; the note needs only the numbers."""
    found = {report_id: {} for report_id in report_ids}
    if not found:
        return found
    query = (ReportValue.select(ReportValue.report, Indicator.code, ReportValue.number)
             .join(Indicator).where(ReportValue.report.in_(list(found))
                                    & ReportValue.number.is_null(False)).tuples())
    for report_id, code, value in query:
        found[report_id][code] = value
    return found


def _previous_numbers(campaign, school_ids):
    """{school id: {code: number}} of the previous period (counted reports, as
    reads.previous_values reads them)."""
    if not campaign.previous_id or not school_ids:
        return {}
    earlier = dict(MonitoringReport.select(MonitoringReport.id, MonitoringReport.school).where(
        (MonitoringReport.campaign == campaign.previous_id)
        & MonitoringReport.school.in_(list(school_ids))
        & MonitoringReport.status.in_(stats.COUNTED)).tuples())
    return {earlier[report_id]: values for report_id, values in _numbers(list(earlier)).items()}


def note_data(campaign, saved=None, on_date=None):
    """The note of `campaign` as plain data (JSON but for dates): `saved` is the note form
    (texts_of(campaign) when None). This period's figures are stats.figures' (the same
    reports count), read as plain numbers; the previous period's are over the same schools."""
    saved = texts_of(campaign) if saved is None else saved
    indicators_of_form = reads.form_indicators(campaign.id)
    reports = reads.reports(campaign.id)
    counted = [r for r in reports if r.status in stats.COUNTED]
    values = _numbers([r.id for r in counted])
    before_values = _previous_numbers(campaign, [r.school_id for r in reports])
    previous = (MonitoringCampaign.get_or_none(MonitoringCampaign.id == campaign.previous_id)
                if campaign.previous_id else None)
    thresholds = saved.get("thresholds") or {}
    chain = _period_chain(campaign)
    tabled = [i for i in indicators_of_form if i.value_type in TABLED]
    means = _period_means(chain, [i.id for i in tabled])
    indicators = []
    for indicator in tabled:
        code = indicator.code
        rows = [{"school": r.school.short_name, "value": _text(values[r.id].get(code)),
                 "previous": _text(before_values.get(r.school_id, {}).get(code))}
                for r in counted]
        current = stats.summary([values[r.id].get(code) for r in counted], indicator.value_type)
        # The previous period over the same schools as this one: «выросло с … до …» compares
        # like with like (a school yet to report would lower this period's total only).
        earlier = stats.summary([before_values.get(r.school_id, {}).get(code) for r in counted],
                                indicator.value_type)
        summary = {k: _text(v) for k, v in current.items() if k != "count"}
        summary["count"] = current["count"]
        before = {k: _text(v) for k, v in earlier.items() if k != "count"}
        # The change compares like with like: when some schools have no value for the previous
        # period, it is computed over the schools with both (943 of 7 schools «grew» from 206
        # of 4 schools otherwise).
        both = [r for r in counted if values[r.id].get(code) is not None
                and before_values.get(r.school_id, {}).get(code) is not None]
        paired = None
        if both and earlier["count"] and len(both) < current["count"]:
            paired = {"count": len(both), **{side: {k: _text(v) for k, v in stats.summary(
                numbers, indicator.value_type).items() if k != "count"} for side, numbers in (
                ("current", [values[r.id].get(code) for r in both]),
                ("previous", [before_values[r.school_id].get(code) for r in both]))}}
        indicators.append({
            "code": code, "name": indicator.name, "unit": indicator.unit,
            "value_type": indicator.value_type, "higher_is_better": indicator.higher_is_better,
            "section": indicator.section, "rows": rows, "summary": summary,
            "previous_summary": before, "paired": paired,
            "threshold": _text(decimal_or_none(thresholds.get(code))),
            "dynamics": [{"period": label, "mean": _text(means.get((cid, indicator.id)))}
                         for cid, label in chain],
        })
    return {
        "organization_name": _centre_name(),
        "title": campaign.title, "period_label": campaign.period_label,
        "period_start": campaign.period_start, "period_end": campaign.period_end,
        "previous_label": previous.period_label if previous else "",
        "note_date": on_date or date.today(),
        "basis": _basis(campaign),
        "participants": {"submitted": len(counted), "total": len(reports),
                         "missing": [r.school.short_name for r in reports
                                     if r.status not in stats.COUNTED]},
        "indicators": indicators,
        "charted": saved.get("charted"),
        "texts": {key: saved.get(key, "") for key in TEXT_KEYS},
        **{key: saved.get(key, "") for key in PERSON_KEYS},
    }


# --- figures of the plain data: what the page and the document both show --------------------

def threshold_of(indicator):
    """The chosen threshold, else the municipal mean (Decimal or None)."""
    chosen = decimal_or_none(indicator.get("threshold"))
    return chosen if chosen is not None else decimal_or_none(indicator["summary"].get("mean"))


def worse_side(indicator):
    """[school] whose value is on the worse side of the threshold (below it where a higher
    value is better, above it otherwise)."""
    limit = threshold_of(indicator)
    if limit is None or indicator["value_type"] == "bool":
        return []
    worse = []
    for row in indicator["rows"]:
        value = decimal_or_none(row["value"])
        if value is None:
            continue
        if (value < limit) if indicator["higher_is_better"] else (value > limit):
            worse.append(row["school"])
    return worse


def municipal(indicator):
    """The figures the sentence compares: the total for counts, the mean otherwise; over the
    schools with values for both periods when not every school has the previous one."""
    key = "total" if indicator["value_type"] == "int" else "mean"
    paired = indicator.get("paired")
    if paired:
        return paired["current"].get(key), paired["previous"].get(key)
    return indicator["summary"].get(key), indicator["previous_summary"].get(key)


def paired_note(indicator):
    """«Изменение итоговых значений рассчитано по 4 ОО, у которых есть значения за оба
    периода.» when the change is not over every school, else ""."""
    paired = indicator.get("paired")
    if not paired:
        return ""
    return (f"Изменение итоговых значений рассчитано по {paired['count']} ОО, у которых есть "
            f"значения за оба периода.")


def listed_schools(plain):
    """[(school, [indicator names])] of the schools on the worse side of any threshold, in
    the order of the tables: the annex of the results order."""
    found = {}
    for indicator in plain["indicators"]:
        for school in worse_side(indicator):
            found.setdefault(school, []).append(indicator["name"])
    return list(found.items())


def chart_specs(plain):
    """The charts of the note, at most MAX_CHARTS: per indicator (those `charted`, else the
    form's order) bars by school with the municipal mean; the first one also gets its
    dynamics by period and its distribution."""
    wanted = plain.get("charted")
    indicators = [i for i in plain["indicators"] if i["value_type"] != "bool"
                  and (not wanted or i["code"] in wanted)]
    specs = []
    for position, indicator in enumerate(indicators):
        values = [(r["school"], float(r["value"])) for r in indicator["rows"]
                  if r["value"] is not None]
        if not values:
            continue
        unit = "%" if indicator["value_type"] == "percent" else indicator["unit"]
        mean = decimal_or_none(indicator["summary"].get("mean"))
        specs.append({"kind": "bars", "code": indicator["code"], "unit": unit,
                      "higher_is_better": indicator["higher_is_better"],
                      "title": f"{indicator['name']} по ОО",
                      "labels": [s for s, _ in values], "values": [v for _, v in values],
                      "mean": float(mean) if mean is not None else None})
        if position == 0:
            periods = [d for d in indicator["dynamics"] if d["mean"] is not None]
            if len(periods) > 1:
                specs.append({"kind": "dynamics", "code": indicator["code"], "unit": unit,
                              "title": f"{indicator['name']}: среднее по ОО по периодам",
                              "labels": [d["period"] for d in periods],
                              "values": [float(d["mean"]) for d in periods]})
            if len(values) >= 5:
                specs.append({"kind": "distribution", "code": indicator["code"], "unit": unit,
                              "title": f"{indicator['name']}: распределение ОО по значениям",
                              "values": [v for _, v in values],
                              "mean": float(mean) if mean is not None else None})
    return specs[:MAX_CHARTS]


def indicator_view(indicator, previous_label=""):
    """One indicator as the page and the document print it (strings only)."""
    value_type, unit = indicator["value_type"], indicator["unit"]
    rows = [{"number": str(n), "school": r["school"],
             "value": figure(r["value"], value_type, unit),
             "previous": figure(r["previous"], value_type, unit),
             "change": change_text(r["value"], r["previous"], indicator)}
            for n, r in enumerate(indicator["rows"], 1)]
    summary, before = indicator["summary"], indicator["previous_summary"]
    figures = [("Среднее по ОО", "mean"), ("Минимум", "min"), ("Максимум", "max")]
    if value_type == "int":
        figures.insert(0, ("Всего по ОО", "total"))
    # a mean of counts keeps its tenth (45,5 чел.); totals, minimum and maximum are whole
    kinds = {"mean": "decimal" if value_type == "int" else value_type}
    paired = indicator.get("paired") or {}
    now_side, then_side = paired.get("current", summary), paired.get("previous", before)
    municipal_rows = [{"label": label,
                       "value": figure(summary.get(key), kinds.get(key, value_type), unit),
                       "previous": figure(before.get(key), kinds.get(key, value_type), unit),
                       "change": change_text(now_side.get(key), then_side.get(key),
                                             dict(indicator, value_type=kinds.get(
                                                 key, value_type)))}
                      for label, key in figures]
    if value_type == "bool":  # the share of «да» among the schools that answered
        now, then = _yes_share(indicator, "value"), _yes_share(indicator, "previous")
        municipal_rows = [{"label": "Доля ОО с ответом «да»", "value": figure(now, "percent"),
                           "previous": figure(then, "percent"),
                           "change": change_text(now, then, dict(indicator,
                                                                 value_type="percent"))}]
    limit = threshold_of(indicator)
    chosen = decimal_or_none(indicator.get("threshold")) is not None
    limit_type = "decimal" if value_type == "int" and chosen is False else value_type
    worse = worse_side(indicator)
    side = "ниже" if indicator["higher_is_better"] else "выше"
    if limit is None or value_type == "bool":
        below = ""
    elif worse:
        count = len(worse)
        below = (f"Значение {side} {'порогового' if chosen else 'среднего по ОО'} "
                 f"({figure(limit, limit_type, unit)}) — у {count} ОО: {', '.join(worse)}.")
    else:
        below = (f"ОО со значением {side} {'порогового' if chosen else 'среднего'} "
                 f"({figure(limit, limit_type, unit)}) нет.")
    current, earlier = municipal(indicator)
    below = " ".join(x for x in (below, paired_note(indicator)) if x)
    return {"code": indicator["code"], "name": indicator["name"],
            "unit_label": "%" if value_type == "percent" else unit,
            "rows": rows, "municipal": municipal_rows, "below": below, "worse": worse,
            "draft": draft_sentence(indicator, current, earlier) if value_type != "bool"
            else ""}


def _yes_share(indicator, key):
    answers = [decimal_or_none(r[key]) for r in indicator["rows"]]
    answers = [a for a in answers if a is not None]
    return (Decimal(sum(1 for a in answers if a)) * 100 / len(answers)).quantize(
        Decimal("0.1")) if answers else None


def drafts(plain):
    """The generated sentences, one per indicator, for the form's texts."""
    sentences = [indicator_view(i)["draft"] for i in plain["indicators"]]
    return "\n".join(s for s in sentences if s)


def default_texts(plain):
    """The texts the form starts with when the methodist has written nothing yet."""
    listed, people = listed_schools(plain), plain["participants"]
    schools = ", ".join(school for school, _ in listed)
    return {
        "analysis": drafts(plain),
        "conclusions": (participants_sentence(people["submitted"], people["total"]) + " "
                        + (f"Значения хуже пороговых отмечены у {len(listed)} ОО: {schools}."
                           if listed else "Значений хуже пороговых не выявлено.")),
        "recommendations": ("Руководителям ОО, перечисленных в выводах, скорректировать "
                            "программы повышения качества образования.\n"
                            "Методисту провести консультации для ОО с результатами ниже "
                            "пороговых."),
    }


def general_paragraphs(plain):
    """Section 1: purpose and basis, period, participants, data sources."""
    count = len(plain["indicators"])
    out = [f"Цель мониторинга: получение объективных данных о состоянии и динамике "
           f"показателей общеобразовательных организаций ({count} "
           f"{plural_ru(count, 'показатель', 'показателя', 'показателей')}) для принятия "
           f"управленческих решений."]
    basis = plain.get("basis")
    if basis:
        out.append(f"Основание: приказ «{basis['title']}» от {date_num(basis['on_date'])} "
                   f"№ {basis['number']}.")
    out.append(f"Период: {plain['period_label']} ({date_num(plain['period_start'])} – "
               f"{date_num(plain['period_end'])}).")
    people = plain["participants"]
    line = participants_sentence(people["submitted"], people["total"])
    if people["missing"]:
        line += f" Не представили: {', '.join(people['missing'])}."
    out.append(f"Участники: общеобразовательные организации (ОО). {line}")
    out.append("Источники данных: отчёты ОО в информационной системе (значения приняты или "
               "отправлены на проверку)"
               + (f", данные мониторинга за {plain['previous_label']}"
                  if plain.get("previous_label") else "") + ".")
    return out


# --- charts ------------------------------------------------------------------------------------

def draw(spec):
    """The PNG of one chart spec (chart_specs)."""
    return draw_all([spec])[0]


def draw_all(specs):
    """The PNGs of chart specs, in order (start_drawing, then wait)."""
    return start_drawing(specs)()


def start_drawing(specs):
    """Begin drawing chart specs; returns `results()` → their PNGs in order. A spec is drawn
    once per worker: the page's pictures, the preview and the registration of one note share
    them (a PNG is ~40 KB; the cache keeps the last CHART_CACHE). Those not drawn yet are drawn
    side by side on the machine's cores (chart_pool) while the caller builds the tables."""
    keys = [json.dumps(spec, sort_keys=True, ensure_ascii=False) for spec in specs]
    found = {key: _drawn.get(key) for key in keys}
    missing = [key for key in dict.fromkeys(keys) if found[key] is None]
    pending = chart_pool.start(charts.from_spec_json, missing)

    def results():
        for key, png in zip(missing, pending()):
            found[key] = png
            _drawn.put(key, png)
        return [found[key] for key in keys]
    return results


def clear_charts():
    """Forget the drawn charts (the benchmark draws them cold)."""
    _drawn.clear()


class _Drawn:
    """The last CHART_CACHE drawn PNGs by spec, shared by a worker's threads."""

    def __init__(self, size):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
            return self.items.get(key)

    def put(self, key, png):
        with self.lock:
            self.items[key] = png
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


CHART_CACHE = 64
_drawn = _Drawn(CHART_CACHE)
