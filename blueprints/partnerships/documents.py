"""Partnership documents: the agreement's per-pair terms (their keys, labels and defaults).

A minimal stand-in: the full module (the doctypes `partnership_agreement` and
`partnership_plan`) replaces it; these two names keep their meaning there."""
from models import year_bounds

# The agreement's fields that differ per pair, in the order the form shows them.
TERM_LABELS = {
    "subject": "Предмет соглашения",
    "leader_duties": "Обязанности школы-лидера",
    "partner_duties": "Обязанности школы-партнёра",
    "reporting": "Порядок взаимодействия и отчётности",
    "valid_until": "Срок действия до",
    "auto_extend": "Автоматическое продление",
    "place": "Место заключения",
}


def default_terms(pair):
    """The terms a new agreement starts from (valid_until an ISO date, auto_extend a bool)."""
    _, last = year_bounds(pair.period_start)
    return {
        "subject": "Сотрудничество сторон в повышении качества образования обучающихся "
                   "школы-партнёра: методическая помощь, обмен опытом и ресурсами.",
        "leader_duties": "Оказывать методическую и консультационную помощь педагогам "
                         "школы-партнёра; проводить совместные мероприятия по плану.",
        "partner_duties": "Участвовать в мероприятиях плана; анализировать результаты и "
                          "сообщать о выполнении плана.",
        "reporting": "Стороны ежеквартально обмениваются информацией о выполнении плана "
                     "взаимодействия.",
        "valid_until": last.isoformat(),
        "auto_extend": True,
        "place": "",
    }
