"""A school's monitoring summary (monitoring_school_summary): «Справка о результатах
мониторинга …» for one school of a campaign, which the centre sends every school after the
collection: the organisation, the name, date and number, the heading with the school, then
1 Общие сведения, 2 Результаты (a table per section of the form: the school's value, the
municipal mean, the change from the previous period), 3 Выводы, the signer and the executor.

Made for every school at once by the «Справки для всех школ» package (monitoring/batch.py).
The figures come from the consolidated table (consolidated.build, cached per campaign while
its reports are unchanged), so a package of 500 schools reads the values once."""
from datetime import date

from models import MonitoringCampaign, Organization, User

from ..core.filters import date_num, fio_short, plural_ru
from ..documents.doctype import Doctype
from ..documents.requisites import executor_line
from . import consolidated, stats
from .documents import period_phrase, subject_of

KEY = "monitoring_school_summary"
SIDES = {True: "better", False: "worse", None: "same"}  # stats.change()["better"]


def summary_data(report):
    """The school's figures of its campaign as plain data."""
    campaign = MonitoringCampaign.get_by_id(report.campaign_id)
    table = consolidated.build(campaign, with_change=True)
    row = next(r for r in table["rows"] if r["report"].id == report.id)
    centre = Organization.centre()
    methodist = (User.get_or_none(User.id == campaign.methodist_id)
                 if campaign.methodist_id else None)
    previous = (MonitoringCampaign.get_or_none(MonitoringCampaign.id == campaign.previous_id)
                if campaign.previous_id else None)
    sections = []
    for indicator, cell in zip(table["indicators"], row["cells"]):
        if not sections or sections[-1]["title"] != (indicator.section or ""):
            sections.append({"title": indicator.section or "", "rows": []})
        numeric = indicator.value_type in stats.NUMERIC and indicator.value_type != "bool"
        mean = table["means"].get(indicator.code) if numeric else None
        change = cell["change"]
        # The same rule as the change: which way is better is the indicator's.
        against = stats.change(cell["number"], mean, indicator) if numeric else None
        sections[-1]["rows"].append({
            "name": indicator.name, "value": cell["text"], "unit": consolidated.unit_of(indicator),
            "mean": consolidated.text_of(mean) if mean is not None else "",
            "change": (f"{change['arrow']} {change['text']} {change['unit'] or ''}".strip()
                       if change and change["delta"] else "без изменений" if change else ""),
            "trend": SIDES[change["better"]] if change else None,
            "against_mean": "" if against is None or against["better"] is None
            else SIDES[against["better"]]})
    return {
        "organization_name": centre.full_name if centre else "",
        "signer_position": (centre.head_position if centre else "") or "",
        "signer_name": (centre.head_name if centre else "") or "",
        "executor": methodist.full_name if methodist else "",
        "executor_phone": (centre.phone if centre else "") or "",
        "campaign_title": campaign.title, "period_label": campaign.period_label,
        "period_start": campaign.period_start, "period_end": campaign.period_end,
        "previous_label": previous.period_label if previous else "",
        "school_name": row["school"].full_name, "school_short": row["school"].short_name,
        "report_status": row["report"].status_label.lower(),
        "counted": table["counted"], "sections": sections,
    }


def _conclusions(plain):
    rows = [r for s in plain["sections"] for r in s["rows"]]
    compared = [r for r in rows if r["trend"]]
    lines = []
    if compared:
        counts = {trend: sum(1 for r in compared if r["trend"] == trend)
                  for trend in ("better", "worse", "same")}
        lines.append(f"По сравнению с предыдущим периодом ({plain['previous_label']}) из "
                     f"{len(compared)} "
                     f"{plural_ru(len(compared), 'показателя', 'показателей', 'показателей')} "
                     f"улучшились {counts['better']}, ухудшились {counts['worse']}, не "
                     f"изменились {counts['same']}.")
    elif plain["previous_label"]:
        lines.append(f"Сравнить с предыдущим периодом ({plain['previous_label']}) нельзя: "
                     "школа не представила за него данных.")
    against = [r for r in rows if r["against_mean"]]
    if against:
        better = sum(1 for r in against if r["against_mean"] == "better")
        lines.append(f"Относительно среднего по муниципалитету лучше {better} из "
                     f"{len(against)} "
                     f"{plural_ru(len(against), 'показателя', 'показателей', 'показателей')}, "
                     f"хуже — {len(against) - better}.")
    worse = [r["name"] for r in compared if r["trend"] == "worse"]
    if worse:
        lines.append("Требуют внимания показатели, ухудшившиеся за период: "
                     + "; ".join(f"«{name}»" for name in worse) + ".")
    return lines or ["Числовых показателей для сравнения нет."]


def summary_context(plain):
    number = plain.get("number", "")
    on_date = plain.get("on_date") or date.today()
    period = period_phrase(plain["period_label"])
    subject = subject_of(plain["campaign_title"], plain["period_label"])
    general = [f"Отчёт {plain['school_short']} по показателям мониторинга {period} (период "
               f"с {date_num(plain['period_start'])} по {date_num(plain['period_end'])}) "
               f"имеет статус «{plain['report_status']}».",
               f"Среднее по муниципалитету рассчитано по "
               f"{plain['counted']} {plural_ru(plain['counted'], 'отчёту', 'отчётам', 'отчётам')} "
               f"школ, отправленным или принятым методическим центром."]
    if plain["previous_label"]:
        general.append(f"Изменение показано к предыдущему периоду ({plain['previous_label']}); "
                       "для долей — в процентных пунктах (п. п.).")
    numbered = bool(len(plain["sections"]) > 1 or plain["sections"] and
                    plain["sections"][0]["title"])
    tables = []
    for index, section in enumerate(plain["sections"], 1):
        caption = section["title"] or "Показатели мониторинга"
        tables.append({"caption": f"Таблица {index} — {caption}" if numbered else caption,
                       "rows": [dict(row, number=str(n), name=(
                           f"{row['name']}, {row['unit']}" if row["unit"] else row["name"]),
                           value=row["value"] or "нет данных", mean=row["mean"] or "—",
                           change=row["change"] or "—")
                           for n, row in enumerate(section["rows"], 1)]})
    return {
        "is_draft": not number,
        "organization_name": plain["organization_name"],
        "heading": f"о результатах {subject} {period}".strip(),
        "school_line": plain["school_name"],
        "date_text": date_num(on_date),
        "number_text": number or "____",
        "general": general,
        "tables": tables,
        "conclusions": _conclusions(plain),
        "signer_position": plain["signer_position"] or "Директор",
        "signer_name": fio_short(plain["signer_name"] or ""),
        "executor_note": executor_line(plain.get("executor"), plain.get("executor_phone")),
    }


def _row(name, unit, value, mean, change, trend, against):
    return {"name": name, "unit": unit, "value": value, "mean": mean, "change": change,
            "trend": trend, "against_mean": against}


def sample_summary():
    return {
        "organization_name": "Муниципальное бюджетное учреждение «Центр развития "
                             "образования» Новоречинского района",
        "signer_position": "Директор", "signer_name": "Смирнова Людмила Андреевна",
        "executor": "Белова Наталья Сергеевна", "executor_phone": "8 (39145) 2-11-22",
        "campaign_title": "Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027",
        "period_label": "I полугодие 2026/2027", "period_start": date(2026, 9, 1),
        "period_end": date(2026, 12, 31), "previous_label": "II полугодие 2025/2026",
        "school_name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
                       "общеобразовательная школа № 1 г. Новоречинска»",
        "school_short": "МБОУ «СОШ № 1»", "report_status": "принят", "counted": 7,
        "sections": [
            {"title": "Результаты обучения", "rows": [
                _row("Число обучающихся, участвовавших в оценочной процедуре", "чел.", "120",
                     "164,3", "▲ 4 чел.", "better", ""),
                _row("Доля обучающихся, получивших «2»", "%", "12,5", "10,1", "▼ 3,3 п. п.",
                     "better", "worse")]},
            {"title": "Кадровые условия", "rows": [
                _row("Число педагогов, прошедших повышение квалификации за период", "чел.",
                     "6", "4,7", "без изменений", "same", "better"),
                _row("Для обучающихся группы риска разработаны ИОМ", "", "да", "", "", None,
                     "")]},
        ],
    }


SUMMARY = Doctype(
    key=KEY,
    title="Справка о результатах мониторинга школы",
    series=KEY,
    data=summary_data,
    context=summary_context,
    sample=sample_summary(),
    pattern="{n}-РМ",
    variables={
        "is_draft": "справка ещё не зарегистрирована: печатается отметка «ПРОЕКТ»",
        "organization_name": "методический центр, составивший справку",
        "heading": "«о результатах мониторинга … за … учебного года»",
        "school_line": "полное наименование школы",
        "date_text": "дата справки, 15.01.2027",
        "number_text": "регистрационный номер («12-РМ»; в проекте — пустое поле)",
        "general": "раздел 1 «Общие сведения» — абзацы",
        "tables": "таблицы раздела 2 по разделам формы: caption и rows (number, name, value, "
                  "mean, change)",
        "conclusions": "раздел 3 «Выводы» — абзацы",
        "signer_position": "должность подписывающего (руководитель центра)",
        "signer_name": "И.О. Фамилия подписывающего",
        "executor_note": "исполнитель и телефон (внизу мелким шрифтом)",
    },
)
