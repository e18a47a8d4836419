"""Swedish working days, deadlines and GDPR month arithmetic (records.workdays; no database)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from records.workdays import (
    add_months,
    add_working_days,
    easter_sunday,
    holidays,
    is_working_day,
    working_days_between,
)

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter_sunday_known_years_matches_calendar(year, expected):
    assert easter_sunday(year) == expected


def test_holidays_2026_easter_block_named_and_dated():
    days = holidays(2026)
    assert days[date(2026, 4, 3)] == "långfredagen"
    assert days[date(2026, 4, 5)] == "påskdagen"
    assert days[date(2026, 4, 6)] == "annandag påsk"
    assert days[date(2026, 5, 14)] == "Kristi himmelsfärdsdag"
    assert days[date(2026, 5, 24)] == "pingstdagen"


@pytest.mark.parametrize(
    ("year", "eve", "day"),
    [
        (2025, date(2025, 6, 20), date(2025, 6, 21)),
        (2026, date(2026, 6, 19), date(2026, 6, 20)),
        (2027, date(2027, 6, 25), date(2027, 6, 26)),
    ],
)
def test_holidays_midsummer_saturday_between_20_and_26_june(year, eve, day):
    days = holidays(year)
    assert days[eve] == "midsommarafton"
    assert days[day] == "midsommardagen"
    assert day.weekday() == 5
    assert not is_working_day(eve)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 11, 1)), (2026, date(2026, 10, 31)), (2027, date(2027, 11, 6))],
)
def test_holidays_all_saints_saturday_between_31_october_and_6_november(year, expected):
    assert holidays(year)[expected] == "alla helgons dag"


def test_holidays_fixed_days_and_eves_present():
    days = holidays(2026)
    assert days[date(2026, 1, 1)] == "nyårsdagen"
    assert days[date(2026, 1, 6)] == "trettondedag jul"
    assert days[date(2026, 5, 1)] == "första maj"
    assert days[date(2026, 6, 6)] == "Sveriges nationaldag"
    assert days[date(2026, 12, 24)] == "julafton"
    assert days[date(2026, 12, 25)] == "juldagen"
    assert days[date(2026, 12, 26)] == "annandag jul"
    assert days[date(2026, 12, 31)] == "nyårsafton"


def test_holidays_two_on_one_day_names_joined():
    # 2008: Kristi himmelsfärdsdag fell on första maj.
    assert holidays(2008)[date(2008, 5, 1)] == "första maj, Kristi himmelsfärdsdag"


def test_is_working_day_national_day_on_friday_false():
    assert date(2025, 6, 6).weekday() == 4
    assert not is_working_day(date(2025, 6, 6))
    assert is_working_day(date(2025, 6, 5))
    assert not is_working_day(date(2026, 3, 7))  # a Saturday


def test_add_working_days_friday_afternoon_due_monday_same_time():
    friday = datetime(2026, 3, 6, 14, 0, tzinfo=CET)
    assert add_working_days(friday, 1) == datetime(2026, 3, 9, 14, 0, tzinfo=CET)


def test_add_working_days_saturday_counts_from_next_working_day_start():
    saturday = datetime(2026, 3, 7, 10, 30, tzinfo=CET)
    assert add_working_days(saturday, 1) == datetime(2026, 3, 10, 0, 0, tzinfo=CET)
    assert add_working_days(saturday, 0) == datetime(2026, 3, 9, 0, 0, tzinfo=CET)


def test_add_working_days_before_christmas_skips_to_28_december():
    assert add_working_days(datetime(2026, 12, 23, 9, 0), 1) == datetime(2026, 12, 28, 9, 0)


def test_add_working_days_maundy_thursday_due_tuesday_after_easter():
    maundy_thursday = datetime(2026, 4, 2, 11, 0, tzinfo=CET)
    assert add_working_days(maundy_thursday, 1) == datetime(2026, 4, 7, 11, 0, tzinfo=CET)


def test_add_working_days_negative_raises():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 6, 14, 0), -1)


@pytest.mark.parametrize("n", [0, 1, 3, 10, 25])
def test_working_days_between_inverse_of_add_working_days(n):
    start = datetime(2026, 12, 21, 8, 0)
    assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(add_working_days(start, n), start) == -n


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
    ],
)
def test_add_months_end_of_month_clamped(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_datetime_keeps_time_and_zone():
    moment = datetime(2026, 1, 31, 16, 45, tzinfo=CET)
    assert add_months(moment, 1) == datetime(2026, 2, 28, 16, 45, tzinfo=CET)
