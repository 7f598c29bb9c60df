"""Statutory holidays per 《全国年节及纪念日放假办法》 (revised 2024-11-10, in force
2025-01-01), article 2."""

import datetime

import pytest

from yangguang.worktime.statutory import qingming, statutory_holidays

D = datetime.date


def test_statutory_holidays_2026_are_the_thirteen_days():
    """放假办法 第二条: 元旦1天, 春节4天 (除夕、正月初一至初三), 清明1天, 劳动节2天,
    端午1天, 中秋1天, 国庆3天. 2026: 初一 = 2/17, 端午 = 6/19, 中秋 = 9/25, 清明 = 4/5."""
    assert statutory_holidays(2026) == [
        (D(2026, 1, 1), "元旦"),
        (D(2026, 2, 16), "春节"),
        (D(2026, 2, 17), "春节"),
        (D(2026, 2, 18), "春节"),
        (D(2026, 2, 19), "春节"),
        (D(2026, 4, 5), "清明节"),
        (D(2026, 5, 1), "劳动节"),
        (D(2026, 5, 2), "劳动节"),
        (D(2026, 6, 19), "端午节"),
        (D(2026, 9, 25), "中秋节"),
        (D(2026, 10, 1), "国庆节"),
        (D(2026, 10, 2), "国庆节"),
        (D(2026, 10, 3), "国庆节"),
    ]


def test_statutory_holidays_2026_eve_falls_on_twenty_ninth_of_twelfth_month():
    """放假办法 第二条 (农历除夕): 腊月 of 2025 has 29 days, so 除夕 is 腊月廿九 = 2/16."""
    spring = [day for day, name in statutory_holidays(2026) if name == "春节"]

    assert spring[0] == D(2026, 2, 16)


def test_statutory_holidays_2025_lunar_dates():
    """放假办法 第二条. 2025: 除夕 1/28, 初一 1/29, 清明 4/4, 端午 5/31, 中秋 10/6."""
    days = dict(statutory_holidays(2025))

    assert [days.get(day) for day in (D(2025, 1, 28), D(2025, 1, 31), D(2025, 4, 4))] == [
        "春节",
        "春节",
        "清明节",
    ]
    assert [days.get(day) for day in (D(2025, 5, 31), D(2025, 10, 6), D(2025, 2, 1))] == [
        "端午节",
        "中秋节",
        None,
    ]


def test_statutory_holidays_mid_autumn_on_national_day_listed_once():
    """放假办法 第二条; in 2031 中秋 (八月十五) is 10/1: one date, both names, 12 entries."""
    holidays = statutory_holidays(2031)

    assert (len(holidays), dict(holidays)[D(2031, 10, 1)]) == (12, "中秋节、国庆节")


@pytest.mark.parametrize("year", [2024, 2100])
def test_statutory_holidays_outside_revised_rules_refused(year):
    """The 2024 revision applies from 2025-01-01; the lunar tables stop at 2099."""
    with pytest.raises(ValueError, match=str(year)):
        statutory_holidays(year)


@pytest.mark.parametrize(
    ("year", "day"),
    [(2020, 4), (2021, 4), (2022, 5), (2023, 5), (2024, 4), (2025, 4), (2026, 5), (2027, 5)],
)
def test_qingming_matches_published_solar_terms(year, day):
    """清明 is the solar-term day (放假办法 第二条): April 4 or 5 in these years."""
    assert qingming(year) == D(year, 4, day)
