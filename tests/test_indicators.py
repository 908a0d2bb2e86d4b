"""Indicator tables: which columns show, shares shown as shares, overdue targets said in words."""

from __future__ import annotations

import datetime as dt

from generator import indicators
from generator.model import Indicator

TODAY = dt.date(2026, 6, 1)


def ind(**kw) -> Indicator:
    return Indicator(name="Mittari", **kw)


def test_count_target_is_a_percentage_of_the_target() -> None:
    p = indicators.progress(ind(target=150, achieved=100, unit="henkilöä"), TODAY)
    assert (p.text, p.width, p.marker, p.met) == ("67 % tavoitteesta", 67.0, None, False)


def test_share_target_is_shown_as_shares_not_percent_of_percent() -> None:
    p = indicators.progress(ind(target=10, achieved=20, unit="%"), TODAY)
    assert p.text == "20 % / tavoite 10 %"
    assert (p.width, p.marker, p.met) == (20.0, 10.0, True)
    assert "tavoitteesta" not in p.text


def test_share_without_target_shows_the_share() -> None:
    assert indicators.progress(ind(achieved=33, unit="%"), TODAY).text == "33 %"


def test_passed_target_date_without_achieved_value_says_so() -> None:
    p = indicators.progress(ind(target=30, unit="henkilöä", date=dt.date(2025, 12, 31)), TODAY)
    assert p.overdue and p.text == "Toteumaa ei ole kirjattu, vaikka tavoiteaika 31.12.2025 on ohi"
    assert indicators.progress(ind(target=30, unit="henkilöä", date=dt.date(2026, 12, 31)), TODAY) is None


def test_columns_empty_in_every_row_are_left_out() -> None:
    t = indicators.table([ind(achieved=5, unit="kpl"), ind(achieved=8, unit="kpl")], TODAY)
    assert (t.has_target, t.has_achieved, t.has_progress) == (False, True, False)
    t = indicators.table([ind(achieved=5, target=10, unit="kpl"), ind(target=8, unit="kpl")], TODAY)
    assert (t.has_target, t.has_achieved, t.has_progress) == (True, True, True)


def test_left_out_values_are_counted_in_finnish() -> None:
    from generator.render import and_more

    assert and_more(1) == " ja 1 muu" and and_more(2) == " ja 2 muuta"
