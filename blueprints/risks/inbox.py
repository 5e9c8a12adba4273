"""What risk profiles ask of each role (core/inbox.py): a school, its self-diagnosis to fill;
the centre, the schools of this year's list without a profile yet (after the list order) and
the profiles whose self-diagnosis was sent and waits for confirmation."""
from flask import url_for

from models import (LowResultStatus, Organization, RiskProfile, current_school_year,
                    school_year)

from ..core.inbox import Item


def waiting(user, today):
    if user.role == "school":
        profiles = RiskProfile.select().where((RiskProfile.school == user.organization_id)
                                              & (RiskProfile.status == "diagnosis"))
        return [Item(f"Заполните самодиагностику рисков на {school_year(p.year)} учебный год",
                     url_for("risks.diagnosis", profile_id=p.id),
                     note="По ответам рассчитается рисковый профиль школы; он войдёт в раздел 3 "
                          "программы.") for p in profiles]
    if user.role not in ("centre", "admin"):
        return []
    counts = {}
    for profile in RiskProfile.select(RiskProfile.year).where(RiskProfile.status == "submitted"):
        counts[profile.year] = counts.get(profile.year, 0) + 1
    items = [Item(f"Рисковые профили на {school_year(year)} учебный год: подтвердите — {n}",
                  url_for("risks.index", year=year),
                  note="Школы отправили самодиагностику: проверьте уровни и подтвердите профили.")
             for year, n in sorted(counts.items())]
    year = current_school_year()
    listed = LowResultStatus.listed_query(year)
    # Counted in SQL: the home page is read on every visit and a year may list hundreds.
    without = 0 if listed is None else listed.where(Organization.id.not_in(
        RiskProfile.select(RiskProfile.school).where(RiskProfile.year == year))).count()
    if without:
        items.append(Item(
            f"Откройте самодиагностику рисков: школ перечня на {school_year(year)} учебный год "
            f"без профиля — {without}", url_for("risks.index", year=year),
            note="Кнопка «Открыть самодиагностику» на странице рисковых профилей: школы получат "
                 "анкету и уведомление."))
    return items
