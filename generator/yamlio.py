"""Safe, fast YAML reading that keeps what an error message needs: the line.

Records are parsed with libyaml (``CSafeLoader``) when it is available: measured 16x faster
than the pure-Python loader on 1,000 records. Line numbers are only needed when something is
wrong, so the file is composed again (cheaply) just to find the line of a field path.
"""

from __future__ import annotations

from typing import Any, Sequence

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1_000_000
# Records nest four or five levels; libyaml's composer recurses in C and crashes the whole
# process (segfault) on nesting in the tens of thousands, so depth is checked first.
MAX_DEPTH = 50
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
# Standard YAML types that have no use in a record and would only surprise: sets have no
# order (output would depend on PYTHONHASHSEED), binary is bytes, omap/pairs are lists.
_REFUSED_TAGS = ("set", "binary", "omap", "pairs")


class YamlProblem(Exception):
    """A problem in the YAML text itself, with the 1-based line where it is."""

    def __init__(self, message: str, line: int | None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column  # 0-based, where known: which value on the line it is


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that refuses duplicate keys and aliases (no "billion laughs")."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise YamlProblem(
                "YAML-ankkurit ja -viittaukset (&nimi, *nimi) eivät ole sallittuja; kirjoita arvo auki",
                node.start_mark.line + 1, node.start_mark.column,
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            if key in seen:
                raise YamlProblem(
                    f'avain "{key if len(key) <= 40 else key[:39] + "…"}" on kahdesti (myös rivillä {seen[key]}); poista toinen',
                    key_node.start_mark.line + 1, key_node.start_mark.column,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_checked(self, node: yaml.ScalarNode) -> Any:
        """A date or number that looks right but cannot exist (2024-02-30, 5,000 digits)."""
        try:
            return _PLAIN_CONSTRUCTORS[node.tag](self, node)
        except (ValueError, OverflowError):
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "…"
            if node.tag.endswith("timestamp"):
                message = f'virheellinen päivämäärä "{shown}": sellaista päivää ei ole (muoto VVVV-KK-PP)'
            else:
                message = f'virheellinen numero "{shown}"'
            raise YamlProblem(message, node.start_mark.line + 1, node.start_mark.column) from None

    def construct_refused(self, node: yaml.Node) -> Any:
        raise YamlProblem(f"YAML-tagi {_short_tag(node.tag)} ei ole sallittu (vain tavalliset arvot)",
                          node.start_mark.line + 1, node.start_mark.column)


_PLAIN_CONSTRUCTORS = {
    f"tag:yaml.org,2002:{name}": _Base.yaml_constructors[f"tag:yaml.org,2002:{name}"] for name in ("timestamp", "int", "float")
}
for _tag in _PLAIN_CONSTRUCTORS:
    _Loader.add_constructor(_tag, _Loader.construct_checked)
for _name in _REFUSED_TAGS:
    _Loader.add_constructor(f"tag:yaml.org,2002:{_name}", _Loader.construct_refused)


def _short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:python/object`` → ``!!python/object`` (as the editor wrote it)."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _surely_shallow(text: str) -> bool:
    """A cheap upper bound on nesting, so that most files skip the event scan below.

    Every flow collection starts with "[" or "{" (counting those in text too only makes the
    bound larger), and a block collection nested in another starts further right, or in the
    same column when a sequence is a mapping's value, so block depth is at most twice the
    widest indentation, counting the indicators "- ", "? " and ": " as indentation.
    """
    flow = text.count("[") + text.count("{")
    if flow > MAX_DEPTH:
        return False
    indent = max((len(line) - len(line.lstrip(" -?:")) for line in text.splitlines()), default=0)
    return 2 * indent + flow + 2 <= MAX_DEPTH


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH without building the tree (events are iterative).

    libyaml itself refuses nesting from some depth on in newer releases (PyYAML 6.0.4 and later:
    1,000 levels, "exceeded maximum nesting depth"), and its scanner can reach that limit before
    the parser hands over the event that passes ours. The pure-Python parser has no such limit
    and stops at our bound, so it finds the line to name: the message is the same under every
    PyYAML release.
    """
    if _surely_shallow(text):
        return
    try:
        _scan_depth(text, _Base)
    except yaml.YAMLError as error:
        if _Base is yaml.SafeLoader or not _nesting_refused(error):
            raise
        _scan_depth(text, yaml.SafeLoader)
        raise YamlProblem(f"YAML on liian syvästi sisäkkäinen (yli {MAX_DEPTH} tasoa)", _line(error)) from None


def _scan_depth(text: str, loader: type) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(f"YAML on liian syvästi sisäkkäinen (yli {MAX_DEPTH} tasoa)", event.start_mark.line + 1)
        elif isinstance(event, _CLOSE):
            depth -= 1


def _nesting_refused(error: yaml.YAMLError) -> bool:
    """libyaml's own refusal of deep nesting (PyYAML 6.0.4 and later)."""
    return "maximum nesting depth" in str(error)


def _line(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _column(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.column if mark is not None else None


def _describe(error: yaml.YAMLError, text: str) -> YamlProblem:
    line = _line(error)
    problem = getattr(error, "problem", None) or str(error)
    if _nesting_refused(error):
        return YamlProblem(f"YAML on liian syvästi sisäkkäinen (yli {MAX_DEPTH} tasoa)", line)
    if "could not determine a constructor" in str(error) or "!!python" in str(problem):
        tag = str(error).split("tag '", 1)[-1].split("'", 1)[0]
        return YamlProblem(f"YAML-tagi {_short_tag(tag)} ei ole sallittu (vain tavalliset arvot)", line, _column(error))
    if line and "\t" in (text.splitlines()[line - 1:line] or [""])[0]:
        return YamlProblem("sarkain (tab) sisennyksessä: käytä välilyöntejä", line)
    return YamlProblem(f"YAML-syntaksivirhe: {_finnish(str(problem))}", line)


# libyaml's most common complaints in words an editor understands (the original follows).
_HINTS = {
    "did not find expected ',' or ']'": "hakasulkeilla [ ] aloitettu lista jäi sulkematta",
    "did not find expected ',' or '}'": "aaltosulkeilla { } aloitettu arvo jäi sulkematta",
    "mapping values are not allowed": "kaksoispiste väärässä kohdassa; jos arvossa on kaksoispiste, kirjoita arvo lainausmerkkeihin",
    "could not find expected ':'": "avaimen perästä puuttuu kaksoispiste",
    "did not find expected key": "sisennys ei täsmää edellisten rivien kanssa",
    "did not find expected '-' indicator": "listan rivien pitää alkaa '- ' samalla sisennyksellä",
    "found character that cannot start any token": "arvo alkaa merkillä, jolla arvo ei voi alkaa; kirjoita arvo lainausmerkkeihin",
    "found unexpected end of stream": "tiedosto loppui kesken (puuttuuko lopettava lainausmerkki?)",
    "found undefined alias": "viittaus *nimi ilman ankkuria",
    "expected <document start>": "tiedostossa on ylimääräistä tekstiä sisennyksen ulkopuolella",
    "but found another document": "tiedostossa saa olla vain yksi YAML-dokumentti (poista toinen ---)",
    "found invalid Unicode character escape code": "lainausmerkeissä on \\u-merkkikoodi, joka ei ole merkki; poista se",
    "found unknown escape character": "lainausmerkeissä on kenoviiva (\\), jota ei tunneta; kirjoita \\\\ tai käytä yksinkertaisia lainausmerkkejä",
    "control characters are not allowed": "tiedostossa on ohjausmerkki, joka ei kuulu tekstiin; poista se",
    "special characters are not allowed": "tiedostossa on erikoismerkki, joka ei kuulu tekstiin; poista se",
}


def _finnish(problem: str) -> str:
    for english, finnish in _HINTS.items():
        if english in problem:
            return f"{finnish} ({problem})"
    return problem


def parse(text: str) -> Any:
    """Parse one YAML document safely; raise YamlProblem with a line on any problem."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise YamlProblem(f"tiedosto on liian suuri (enintään {MAX_BYTES // 1000} kt)", None)
    try:
        _check_depth(text)
    except yaml.YAMLError as error:
        raise _describe(error, text) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain(loader, node, set())
        except _NotPlain:
            return loader.construct_document(node)  # says what is wrong, or builds the unusual
    except YamlProblem:
        raise
    except yaml.YAMLError as error:
        raise _describe(error, text) from None
    except RecursionError:
        raise YamlProblem("YAML on liian syvästi sisäkkäinen", None) from None
    finally:
        loader.dispose()


class _NotPlain(Exception):
    """The document has something :func:`_plain` leaves to PyYAML's constructor."""


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_NULL, _BOOL = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"


def _plain(loader: _Loader, node: yaml.Node, seen: set[int]) -> Any:
    """The data of a document of plain values: string keys, strings, numbers, dates, booleans,
    nulls, lists and mappings, each node used once.

    PyYAML's constructor is general (aliases, merge keys, any tag) and costs half of reading a
    record; this walk builds the same data three times faster. Anything else (an alias, a
    duplicate key, a non-string key, another tag, a bad number or date) raises _NotPlain and
    the constructor builds the document or reports the problem, as it always did.
    """
    if id(node) in seen:
        raise _NotPlain  # an alias: the same node twice
    seen.add(id(node))
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR or not isinstance(key_node, yaml.ScalarNode) or key_node.value in data:
                raise _NotPlain
            seen.add(id(key_node))
            data[key_node.value] = _plain(loader, value_node, seen)
        return data
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_plain(loader, item, seen) for item in node.value]
    if isinstance(node, yaml.ScalarNode):
        if tag == _NULL:
            return None
        if tag == _BOOL and node.value.lower() in loader.bool_values:
            return loader.bool_values[node.value.lower()]
        construct = _PLAIN_CONSTRUCTORS.get(tag)
        if construct is not None:
            try:
                return construct(loader, node)
            except (ValueError, OverflowError):
                raise _NotPlain from None
    raise _NotPlain


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """1-based line of the deepest node on ``path`` that exists in ``text`` (None if unknown)."""
    try:
        node = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        node, found = _child(node, part)
        if node is None:
            break
        line = found
    return line


def _child(node: Any, part: str | int) -> tuple[Any, int | None]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value, key.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line + 1
    return None, None


def field_at(text: str, line: int, column: int | None = None) -> tuple[str | int, ...]:
    """The field path of what is written at 1-based ``line`` (and 0-based ``column``, when
    known): the deepest key or list item that holds that place, or without a column the deepest
    that alone holds the line; ``()`` when unknown (the text does not compose)."""
    try:
        node = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError:
        return ()
    path: list[str | int] = []
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        pairs = ([(key.value, key, value) for key, value in node.value] if isinstance(node, yaml.MappingNode)
                 else [(index, item, item) for index, item in enumerate(node.value)])
        holding = [(part, value) for part, first, value in pairs if _holds(first, value, line - 1, column)]
        if len(holding) != 1:
            break
        part, node = holding[0]
        path.append(part)
    return tuple(path)


def _holds(first: yaml.Node, last: yaml.Node, line: int, column: int | None) -> bool:
    start, end = (first.start_mark.line, first.start_mark.column), (last.end_mark.line, last.end_mark.column)
    if column is not None:
        return start <= (line, column) < end or (line, column) == start
    end_line = end[0] - (1 if end[1] == 0 and end[0] > start[0] else 0)
    return start[0] <= line <= end_line


def source_of(text: str, path: Sequence[str | int]) -> str | None:
    """The scalar at ``path`` as it is written in ``text`` (``0401234567``, ``yes``), or None."""
    try:
        node = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError:
        return None
    for part in path:
        node, _ = _child(node, part)
    return node.value if isinstance(node, yaml.ScalarNode) else None
