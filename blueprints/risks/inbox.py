"""What risk profiles ask of each role (core/inbox.py): a school, its self-diagnosis to fill;
the centre, the profiles whose self-diagnosis was sent and waits for confirmation."""
from flask import url_for

from models import RiskProfile, school_year

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
    return [Item(f"Рисковые профили на {school_year(year)} учебный год: подтвердите — {n}",
                 url_for("risks.index", year=year),
                 note="Школы отправили самодиагностику: проверьте уровни и подтвердите профили.")
            for year, n in sorted(counts.items())]
