"""The deadline reader on every deadline phrase of the three seed road maps, and more.

Each seed phrase is read with the period its road map gets on import: Smolensk 2019,
Lesosibirsk the school year 2020/2021, Moscow region 2020 (its title names no period; the
year of its approving order is used).
"""
from datetime import date

import pytest

from blueprints.core.deadlines import month_number, read_deadline

D = date
SMOLENSK, LESOSIBIRSK, MOSCOW = (2019, 2019), (2020, 2021), (2020, 2020)
SCHOOL_2020 = (D(2020, 9, 1), D(2021, 8, 31))

# (text, period, start, end, recurrence); is_read is expected True for all of these
SEED_PHRASES = [
    # roadmap-smolensk-2019.txt
    ("Январь", SMOLENSK, D(2019, 1, 1), D(2019, 1, 31), ""),
    ("Февраль", SMOLENSK, D(2019, 2, 1), D(2019, 2, 28), ""),
    ("Январь - ноябрь", SMOLENSK, D(2019, 1, 1), D(2019, 11, 30), ""),
    ("Март", SMOLENSK, D(2019, 3, 1), D(2019, 3, 31), ""),
    ("В течение года", SMOLENSK, D(2019, 1, 1), D(2019, 12, 31), ""),
    ("Февраль - декабрь", SMOLENSK, D(2019, 2, 1), D(2019, 12, 31), ""),
    ("ноябрь", SMOLENSK, D(2019, 11, 1), D(2019, 11, 30), ""),
    ("Июнь", SMOLENSK, D(2019, 6, 1), D(2019, 6, 30), ""),
    ("Ноябрь", SMOLENSK, D(2019, 11, 1), D(2019, 11, 30), ""),
    ("Февраль-декабрь", SMOLENSK, D(2019, 2, 1), D(2019, 12, 31), ""),
    ("Январь-декабрь", SMOLENSK, D(2019, 1, 1), D(2019, 12, 31), ""),
    # roadmap-moscow-region-2020.txt
    ("II квартал 2020 года", MOSCOW, D(2020, 4, 1), D(2020, 6, 30), ""),
    ("Июнь 2020 года", MOSCOW, D(2020, 6, 1), D(2020, 6, 30), ""),
    ("2020-2021 годы (по графику)", MOSCOW, D(2020, 1, 1), D(2021, 12, 31), ""),
    ("II квартал 2020 года Июнь-август 2020 года", MOSCOW, D(2020, 4, 1), D(2020, 8, 31), ""),
    ("Постоянно", MOSCOW, D(2020, 1, 1), D(2020, 12, 31), "постоянно"),
    ("Сентябрь- октябрь 2020 года", MOSCOW, D(2020, 9, 1), D(2020, 10, 31), ""),
    ("Сентябрь 2020, 2021", MOSCOW, D(2020, 9, 1), D(2021, 9, 30), ""),
    ("Сентябрь-ноябрь 2021 ГОДА", MOSCOW, D(2021, 9, 1), D(2021, 11, 30), ""),
    ("IV квартал 2021 года", MOSCOW, D(2021, 10, 1), D(2021, 12, 31), ""),
    # roadmap-lesosibirsk-2020.txt (line breaks as in the cells)
    ("июль - август 2020 года", LESOSIBIRSK, D(2020, 7, 1), D(2020, 8, 31), ""),
    ("сентябрь\n2020 года", LESOSIBIRSK, D(2020, 9, 1), D(2020, 9, 30), ""),
    ("сентябрь 2020 года", LESOSIBIRSK, D(2020, 9, 1), D(2020, 9, 30), ""),
    ("Ноябрь  2020 года", LESOSIBIRSK, D(2020, 11, 1), D(2020, 11, 30), ""),
    ("Декабрь 2020", LESOSIBIRSK, D(2020, 12, 1), D(2020, 12, 31), ""),
    ("в течение года", LESOSIBIRSK, *SCHOOL_2020, ""),
    ("январь - февраль 2021 года", LESOSIBIRSK, D(2021, 1, 1), D(2021, 2, 28), ""),
    ("сентябрь – октябрь\n2020 года", LESOSIBIRSK, D(2020, 9, 1), D(2020, 10, 31), ""),
    ("Январь 2021 года", LESOSIBIRSK, D(2021, 1, 1), D(2021, 1, 31), ""),
    (" 2021 год", LESOSIBIRSK, D(2021, 1, 1), D(2021, 12, 31), ""),
    ("январь – май 2021\nгода", LESOSIBIRSK, D(2021, 1, 1), D(2021, 5, 31), ""),
    ("март – апрель 2021", LESOSIBIRSK, D(2021, 3, 1), D(2021, 4, 30), ""),
]

Y2020 = (2020, 2020)
MORE_PHRASES = [
    # month names in every case, abbreviated, in capitals
    ("января", Y2020, D(2020, 1, 1), D(2020, 1, 31), ""),
    ("в январе", Y2020, D(2020, 1, 1), D(2020, 1, 31), ""),
    ("к январю", Y2020, D(2020, 1, 1), D(2020, 1, 31), ""),
    ("янв.", Y2020, D(2020, 1, 1), D(2020, 1, 31), ""),
    ("ЯНВАРЬ", Y2020, D(2020, 1, 1), D(2020, 1, 31), ""),
    ("в мае 2020 года", Y2020, D(2020, 5, 1), D(2020, 5, 31), ""),
    ("марта", Y2020, D(2020, 3, 1), D(2020, 3, 31), ""),
    ("сент. 2020", Y2020, D(2020, 9, 1), D(2020, 9, 30), ""),
    # ranges with every dash, spaced or not, and «по»
    ("июль- август 2021", Y2020, D(2021, 7, 1), D(2021, 8, 31), ""),
    ("Сентябрь-октябрь 2019", Y2020, D(2019, 9, 1), D(2019, 10, 31), ""),
    ("сентябрь — октябрь 2020 года", Y2020, D(2020, 9, 1), D(2020, 10, 31), ""),
    ("с января по март 2020", Y2020, D(2020, 1, 1), D(2020, 3, 31), ""),
    ("декабрь 2020 – январь 2021", Y2020, D(2020, 12, 1), D(2021, 1, 31), ""),
    ("ноябрь - февраль", LESOSIBIRSK, D(2020, 11, 1), D(2021, 2, 28), ""),
    # a school-year period: September–December in its first year, January–August next
    ("сентябрь", LESOSIBIRSK, D(2020, 9, 1), D(2020, 9, 30), ""),
    ("май", LESOSIBIRSK, D(2021, 5, 1), D(2021, 5, 31), ""),
    ("сентябрь - май", LESOSIBIRSK, D(2020, 9, 1), D(2021, 5, 31), ""),
    # quarters and half-years
    ("1 квартал", Y2020, D(2020, 1, 1), D(2020, 3, 31), ""),
    ("1 квартал", LESOSIBIRSK, D(2021, 1, 1), D(2021, 3, 31), ""),
    ("I-II квартал", Y2020, D(2020, 1, 1), D(2020, 6, 30), ""),
    ("3-й квартал 2020 г.", Y2020, D(2020, 7, 1), D(2020, 9, 30), ""),
    ("1 полугодие 2021", Y2020, D(2021, 1, 1), D(2021, 6, 30), ""),
    # the whole period
    ("в течение учебного года", Y2020, *SCHOOL_2020, ""),
    ("в течение учебного года", LESOSIBIRSK, *SCHOOL_2020, ""),
    ("в течение периода", (2020, 2022), D(2020, 1, 1), D(2022, 12, 31), ""),
    ("в течение 2020 года", (2019, 2021), D(2020, 1, 1), D(2020, 12, 31), ""),
    ("ежегодно", (2020, 2022), D(2020, 1, 1), D(2022, 12, 31), "ежегодно"),
    # years and school years
    ("2020 год", Y2020, D(2020, 1, 1), D(2020, 12, 31), ""),
    ("2020/2021 учебный год", Y2020, *SCHOOL_2020, ""),
    ("2020-2021 учебный год", Y2020, *SCHOOL_2020, ""),
    ("2020-2021 уч. г.", Y2020, *SCHOOL_2020, ""),
    # dates
    ("до 15.09.2020", Y2020, None, D(2020, 9, 15), ""),
    ("25.12.2020", Y2020, D(2020, 12, 25), D(2020, 12, 25), ""),
    ("до 1 сентября 2020 г.", Y2020, None, D(2020, 9, 1), ""),
    ("15 мая", LESOSIBIRSK, D(2021, 5, 15), D(2021, 5, 15), ""),
    ("июнь 2020 - 15.07.2020", Y2020, D(2020, 6, 1), D(2020, 7, 15), ""),
    # recurrences, normalised
    ("1 раз в 2 месяца", LESOSIBIRSK, *SCHOOL_2020, "1 раз в 2 месяца"),
    ("2 раза в год", Y2020, D(2020, 1, 1), D(2020, 12, 31), "2 раза в год"),
    ("ежемесячно", Y2020, D(2020, 1, 1), D(2020, 12, 31), "ежемесячно"),
    ("Ежеквартально", Y2020, D(2020, 1, 1), D(2020, 12, 31), "ежеквартально"),
    ("еженедельно", Y2020, D(2020, 1, 1), D(2020, 12, 31), "еженедельно"),
    ("раз в месяц", Y2020, D(2020, 1, 1), D(2020, 12, 31), "ежемесячно"),
    ("5 раз в 3 недели", Y2020, D(2020, 1, 1), D(2020, 12, 31), "5 раз в 3 недели"),
    ("ежемесячно, сентябрь - май", LESOSIBIRSK, D(2020, 9, 1), D(2021, 5, 31), "ежемесячно"),
    ("по мере необходимости", Y2020, None, None, "по мере необходимости"),
]


@pytest.mark.parametrize("text,period,start,end,recurrence", SEED_PHRASES + MORE_PHRASES)
def test_deadline_is_read(text, period, start, end, recurrence):
    deadline = read_deadline(text, *period)
    assert (deadline.start, deadline.end, deadline.recurrence) == (start, end, recurrence)
    assert deadline.is_read
    assert deadline.text == text.strip()


@pytest.mark.parametrize("text", ["по согласованию", "", "   ", "31.02.2020", "по графику",
                                  "после получения результатов ВПР", "образования в месяц"])
def test_unreadable_text_is_kept_and_flagged(text):
    deadline = read_deadline(text, 2020, 2020)
    assert deadline == type(deadline)(text.strip(), None, None, "", False)


@pytest.mark.parametrize("word,number", [("январь", 1), ("Февраля", 2), ("марте", 3),
                                         ("апрелю", 4), ("мая", 5), ("июнем", 6),
                                         ("авг.", 8), ("сент.", 9), ("НОЯБРЬ", 11),
                                         ("декабрём", 12), ("мартышка", None), ("ма", None),
                                         ("сент", None)])
def test_month_number(word, number):
    assert month_number(word) == number
