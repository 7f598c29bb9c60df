"""The statutory public holidays of a year, per 《全国年节及纪念日放假办法》 as revised
by the State Council on 2024-11-10 (in force 2025-01-01), article 2: 13 days.

These are only the statutory days. The State Council's annual notice moves days around
them (调休) to make holiday blocks; until it is published a year can be configured
provisionally from these rules (``services.calendar_load_provisional``).
"""

import datetime
import math

from lunardate import LunarDate

FIRST_YEAR = 2025  # the 2024 revision applies from 2025 on
LAST_YEAR = 2099  # the 清明 formula below holds for 2000–2099; lunardate stops at 2099


def qingming(year: int) -> datetime.date:
    """The 清明 solar term: April floor(Y·0.2422 + 4.81) − floor(Y/4), Y = year % 100.

    The usual approximation for 2000–2099 (C = 4.81); gives 2025-04-04 and 2026-04-05.
    """
    if not 2000 <= year <= LAST_YEAR:
        raise ValueError(f"The 清明 formula holds for 2000–{LAST_YEAR}, not {year}.")
    y = year % 100
    return datetime.date(year, 4, math.floor(y * 0.2422 + 4.81) - y // 4)


def statutory_holidays(year: int) -> list[tuple[datetime.date, str]]:
    """The statutory holidays of ``year`` as (date, name), in date order.

    元旦 1 day; 春节 4 days (农历除夕, 正月初一至初三); 清明节 1 day; 劳动节 2 days
    (5月1日、2日); 端午节 1 day (五月初五); 中秋节 1 day (八月十五); 国庆节 3 days
    (10月1日至3日). When two festivals fall on the same day (中秋 on 10月1日–3日, as
    in 2028 and 2031) the day is listed once with both names; the annual notice then
    decides how the lost day is made up.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"Statutory holidays can be computed for {FIRST_YEAR}–{LAST_YEAR}, not {year}."
        )
    # 除夕 is the eve of 正月初一, whether 腊月 has 29 or 30 days.
    new_year = LunarDate(year, 1, 1).to_solar_date()
    spring_festival = [new_year + datetime.timedelta(days=offset) for offset in range(-1, 3)]
    days = [
        (datetime.date(year, 1, 1), "元旦"),
        *((day, "春节") for day in spring_festival),
        (qingming(year), "清明节"),
        (datetime.date(year, 5, 1), "劳动节"),
        (datetime.date(year, 5, 2), "劳动节"),
        (LunarDate(year, 5, 5).to_solar_date(), "端午节"),
        (LunarDate(year, 8, 15).to_solar_date(), "中秋节"),
        *((datetime.date(year, 10, day), "国庆节") for day in (1, 2, 3)),
    ]
    names: dict[datetime.date, list[str]] = {}
    for day, name in days:
        names.setdefault(day, []).append(name)
    return [(day, "、".join(names[day])) for day in sorted(names)]
