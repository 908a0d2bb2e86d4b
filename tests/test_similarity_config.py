"""The similarity settings: one typed object, every wrong setting a Finnish line naming it."""

from __future__ import annotations

import pytest

from generator import related
from generator.pipeline import Options
from generator.similarity import SimilarityConfig


def problems(settings) -> str:
    with pytest.raises(ValueError) as error:
        related.settings_config(settings)
    return str(error.value)


def test_defaults_are_stated_once_and_mkdocs_settings_override_them() -> None:
    assert related.settings_config({}) == SimilarityConfig()
    assert related.settings_config({"facet_weights": {"stage": 0}}).facet_weights["themes"] == SimilarityConfig().facet_weights["themes"]


@pytest.mark.parametrize("settings,expected", [
    ({"facet_weights": {"themes": -1}}, "facet_weights: arvon pitää olla"),
    ({"facet_weights": {"themes": "paljon"}}, "facet_weights: arvon pitää olla"),
    ({"text_weight": "kolme"}, "text_weight: arvon pitää olla luku ≥ 0"),
    ({"text_weight": float("nan")}, "text_weight: arvon pitää olla luku ≥ 0"),
    ({"text_weight": 0, "facet_weights": dict.fromkeys(SimilarityConfig().facet_weights, 0)}, "facet_weights, text_weight: kaikki painot ovat nollia"),
    ({"text_fields": ["summary", "title"]}, "text_fields: kentästä 'title' ei saada tekstiä"),
    ({"text_fields": []}, "text_fields: lista on tyhjä"),
    ({"facet_weights": {"teemat": 2}}, "facet_weights: teemat: tuntematon fasetti"),
    ({"min_scor": 0.3}, "min_scor: tuntematon asetus"),
    ({"min_score": 2}, "min_score: arvon pitää olla välillä 0–1"),
    ({"full_weight_share": 0}, "full_weight_share: arvon pitää olla suurempi kuin 0"),
    ({"candidate_combos": [["themes", "kunnat"]]}, "candidate_combos: kunnat: tuntematon fasetti"),
])
def test_every_wrong_setting_is_a_finnish_line_naming_it(settings, expected) -> None:
    assert expected in problems(settings)


def test_every_problem_at_once_and_through_the_options() -> None:
    with pytest.raises(ValueError) as error:
        Options(similarity={"limit": -1, "text_fields": ["nimi"], "painot": 1})
    lines = str(error.value).splitlines()
    assert lines[0] == "plugins → hankekirjasto → similarity:"
    assert any(line.startswith("limit:") for line in lines) and any(line.startswith("painot:") for line in lines)


def test_all_weights_zero_is_no_traceback_in_rank() -> None:
    from generator.similarity import Item, rank

    config = SimilarityConfig(facet_weights={}, text_weight=0.0)
    with pytest.raises(ValueError, match="kaikki painot ovat nollia"):
        rank([Item("a", "a", {}, {})], [Item("a", "a", {}, {})], config)
