"""yamlio's own walk over plain documents builds exactly what PyYAML's constructor builds, and
leaves everything else (aliases, duplicate keys, odd keys and tags) to the constructor."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlio

scalars = st.one_of(
    st.text(max_size=12), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["yes", "No", "on", "OFF", "~", "null", "1_000", "0x1F", "0o17", "+12", "1e3", ".inf", "-.Inf",
                     "2024-02-30", "12:30:00", "2024-05-01T10:00:00Z", "1:20", "Ä", "'", '"', ": x", "- y"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=4)),
    max_leaves=60,
)


def constructed(text: str) -> object:
    loader = yamlio._Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def same(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (True == 1 would hide a bool read as int)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    return a == b


@settings(max_examples=int(os.environ.get("HK_EXAMPLES", "300")), deadline=None)
@given(documents, st.sampled_from([None, True, False]))
def test_plain_documents_read_as_the_constructor_reads_them(document: object, flow: bool | None) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    assert same(yamlio.parse(text), constructed(text))


@settings(max_examples=int(os.environ.get("HK_EXAMPLES", "300")), deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=6), scalars), max_size=6))
def test_scalars_written_by_hand_read_as_the_constructor_reads_them(pairs: list[tuple[str, object]]) -> None:
    # Plain (unquoted) values as an editor types them, resolved by YAML's own rules.
    text = "".join(f"k{i}: {value if isinstance(value, str) and value.strip() and value[0] not in ':-#&*!|>%@`{{[,?' else repr(value)}\n"
                   for i, (_, value) in enumerate(pairs))
    try:
        expected = constructed(text)
    except yaml.YAMLError:
        with pytest.raises(yamlio.YamlProblem):
            yamlio.parse(text)
        return
    except yamlio.YamlProblem as problem:
        with pytest.raises(yamlio.YamlProblem, match=problem.message[:20].replace("(", r"\(")):
            yamlio.parse(text)
        return
    assert same(yamlio.parse(text), expected)


@pytest.mark.parametrize("text, message", [
    ("a: &x 1\nb: *x\n", "ankkurit"),
    ("a: 1\na: 2\n", "kahdesti"),
    ("a: 2024-02-30\n", "päivämäärä"),
    ("a: !!set {x, y}\n", "!!set"),
    ("a: !!python/object:os.system x\n", "!!python"),
])
def test_what_is_not_plain_is_reported_as_before(text: str, message: str) -> None:
    with pytest.raises(yamlio.YamlProblem, match=message):
        yamlio.parse(text)


def test_unusual_but_valid_documents_are_still_read() -> None:
    assert yamlio.parse("2024: vuosi\n1: yksi\n") == {2024: "vuosi", 1: "yksi"}  # keys that are not strings
    assert yamlio.parse("a: !!str 12\n") == {"a": "12"}
    assert yamlio.parse("") is None and yamlio.parse("--- x\n") == "x"
