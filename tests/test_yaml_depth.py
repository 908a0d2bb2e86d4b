"""The cheap nesting bound in yamlio never lets a too deeply nested file skip the real check."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlio

leaves = st.one_of(st.integers(), st.text(max_size=8), st.booleans())
trees = st.recursive(
    leaves,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(min_size=1, max_size=4), children, max_size=3)),
    max_leaves=120,
)


def event_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yamlio._Base):
        if isinstance(event, yamlio._OPEN):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yamlio._CLOSE):
            depth -= 1
    return deepest


def nested(depth: int, mapping: bool) -> object:
    value: object = "x"
    for level in range(depth):
        value = {f"k{level}": value} if mapping and level % 2 else [value]
    return value


@settings(max_examples=300, deadline=None)
@given(trees, st.sampled_from([False, True, None]))
def test_bound_is_an_upper_bound(tree: object, flow: bool | None) -> None:
    text = yaml.safe_dump(tree, default_flow_style=flow, allow_unicode=True)
    if yamlio._surely_shallow(text):
        assert event_depth(text) <= yamlio.MAX_DEPTH


def test_deep_block_and_flow_nesting_are_refused() -> None:
    for flow in (False, True, None):
        for mapping in (False, True):
            text = yaml.safe_dump(nested(yamlio.MAX_DEPTH + 5, mapping), default_flow_style=flow)
            assert not yamlio._surely_shallow(text)
            try:
                yamlio.parse(text)
            except yamlio.YamlProblem as problem:
                assert "liian syvästi" in problem.message
            else:
                raise AssertionError(f"accepted {yamlio.MAX_DEPTH + 5} levels (flow={flow}, mapping={mapping})")


def test_compact_sequences_count_their_dashes() -> None:
    text = "- " * (yamlio.MAX_DEPTH + 5) + "x\n"
    assert event_depth(text) > yamlio.MAX_DEPTH
    assert not yamlio._surely_shallow(text)


DEEPER_THAN_LIBYAML = 5_000  # libyaml refuses from 1,000 levels on (PyYAML 6.0.4 and later)


def _refusal(text: str) -> yamlio.YamlProblem:
    try:
        yamlio.parse(text)
    except yamlio.YamlProblem as problem:
        return problem
    raise AssertionError("accepted")


def test_nesting_beyond_libyamls_own_limit_gets_our_message_and_line() -> None:
    # Whether our bound or libyaml refuses first, the editor reads the same Finnish message,
    # pointing at the line where nesting passed our bound (not where libyaml gave up).
    block = "a:\n" + "".join(" " * level + "-\n" for level in range(1, 1_200))  # under 1 MB
    flow = "title: x\n\ngoals: " + "[" * DEEPER_THAN_LIBYAML + "]" * DEEPER_THAN_LIBYAML + "\n"
    for text, line in ((block, yamlio.MAX_DEPTH + 1), (flow, 3)):
        problem = _refusal(text)
        assert (problem.message, problem.line) == (f"YAML on liian syvästi sisäkkäinen (yli {yamlio.MAX_DEPTH} tasoa)", line)


def test_libyamls_refusal_is_described_in_finnish(monkeypatch) -> None:
    # The path a PyYAML release takes whose libyaml refuses nesting below our bound.
    refused = yaml.scanner.ScannerError("while increasing flow level", None, "exceeded maximum nesting depth",
                                        yaml.Mark("<unicode string>", 0, 4, 7, None, None))
    assert yamlio._describe(refused, "x").message == f"YAML on liian syvästi sisäkkäinen (yli {yamlio.MAX_DEPTH} tasoa)"
    assert yamlio._describe(refused, "x").line == 5
