"""Read a notice source: bytes -> NFC text -> YAML nodes that remember their line.

This is the only module that reads a source file. Nothing here knows what a
notice is; validate.py turns the node tree into the typed model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem, SourceError
from .i18n import N_, _

# What XML 1.0 forbids, what YAML refuses to read, and the noncharacters
# U+FDD0..U+FDEF that the renderer keeps for itself.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
    "\ufdd0-\ufdef\ufffe\uffff]"
)
# A notice (or the units directory) is a few kilobytes; 5 MB is far above any real
# one and keeps a wrong file (a scan, a database dump) from eating the memory.
MAX_SOURCE_BYTES = 5 * 1024 * 1024
# A notice nests about five levels (conclusions -> tasks -> ...); anything far deeper
# is not a notice, and would exhaust Python's recursion.
MAX_DEPTH = 50


# What the clerk most likely has to do, for YAML's most frequent complaints.
_YAML_HINTS = {
    "mapping values are not allowed here":
        N_("valid YAML: text holding ': ' goes in quotes (\"...\") or on the next lines after '>-'"),
    "found character '\\t' that cannot start any token": N_("valid YAML: indent with spaces, not tabs"),
}


# PyYAML's most frequent complaints, in the clerk's language: the English msgid is PyYAML's own
# wording (so English output is unchanged), the pattern's groups are kept as they are.
_YAML_PROBLEMS = [
    (re.compile(r"expected (?P<a>'[^']*'|<[^>]*>) or (?P<b>'[^']*'|<[^>]*>), but got (?P<found>.+)"),
     N_("expected {a} or {b}, but got {found}")),
    (re.compile(r"expected <block end>, but found (?P<found>.+)"), N_("expected <block end>, but found {found}")),
    (re.compile(r"expected the node content, but found (?P<found>.+)"),
     N_("expected the node content, but found {found}")),
    (re.compile(r"expected a comment or a line break, but found (?P<found>.+)"),
     N_("expected a comment or a line break, but found {found}")),
    (re.compile(r"expected alphabetic or numeric character, but found (?P<found>.+)"),
     N_("expected alphabetic or numeric character, but found {found}")),
    (re.compile(r"found undefined alias (?P<name>.+)"), N_("found undefined alias {name}")),
    (re.compile(r"found unknown escape character (?P<char>.+)"), N_("found unknown escape character {char}")),
    (re.compile(r"found character '\\t' that cannot start any token"), N_("found character '\\t' that cannot start any token")),
    (re.compile(r"found a tab character (?:that violates|where an) indentation.*"), N_("found a tab character that violates indentation")),
    (re.compile(r"mapping values are not allowed here"), N_("mapping values are not allowed here")),
    (re.compile(r"but found another document"), N_("but found another document")),
    (re.compile(r"found unexpected end of stream"), N_("found unexpected end of stream")),
    (re.compile(r"could not find expected ':'"), N_("could not find expected ':'")),
]


def _yaml_problem(problem: str) -> str:
    """PyYAML's ``problem`` in the language of the run (as it is if it is not one we know)."""
    for pattern, message in _YAML_PROBLEMS:
        m = pattern.fullmatch(problem)
        if m:
            parts = {k: v.replace("<stream end>", _("<stream end>")) for k, v in m.groupdict().items()}
            return _(message).format(**parts)
    return problem


@dataclass
class Node:
    """A YAML value with the line it starts on (1-based) and its field path."""

    value: dict[str, Node] | list[Node] | str | None
    line: int
    path: str
    kind: str  # "map", "seq", "str" or "null"
    quoted: bool = False

    def describe(self) -> str:
        if self.kind == "map":
            return _("a mapping")
        if self.kind == "seq":
            return _("a list")
        if self.kind == "null":
            return _("nothing")
        text = str(self.value)
        return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclass
class Source:
    path: Path
    root: Node
    warnings: list[Problem] = field(default_factory=list)
    text: str = ""  # the normalised text, so that findings inside long values can name their line

    @property
    def name(self) -> str:
        return str(self.path)


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def strip_forbidden(text: str) -> tuple[str, list[str]]:
    """Remove characters XML cannot hold; return the text and what was removed."""
    found = FORBIDDEN.findall(text)
    if not found:
        return text, []
    return FORBIDDEN.sub("", text), sorted({_char_name(c) for c in found})


# What a file that cannot be read should have been, by what it is read as.
_EXPECTED = {
    "notice": (N_("a notice source (.yaml)"), N_("a notice source file"), N_("a notice source (a mapping of fields)"),
               N_("a mapping of fields such as 'number:' and 'subject:'")),
    "units": (N_("a units directory (units.yaml)"), N_("a units directory file (units.yaml)"),
              N_("a units directory ('units:' and 'groups:')"), N_("a mapping of 'units:' and 'groups:'")),
}


def load(path: str | Path, kind: str = "notice") -> Source:
    """Read ``path`` into a node tree; raise SourceError with one line per problem.

    ``kind`` ("notice" or "units") words what the file was expected to be."""
    path = Path(path)
    a_file, a_regular_file, a_mapping, top_level = _EXPECTED[kind]
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError([Problem(name, None, "", _("no such file"), _(a_file))])
    except IsADirectoryError:
        raise SourceError([Problem(name, None, "", _("a directory"), _(a_regular_file))])
    except OSError as exc:
        raise SourceError([Problem(name, None, "", _("unreadable file ({reason})").format(reason=exc.strerror),
                                   _("a readable file"))])
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError([Problem(name, None, "", _("{n} bytes").format(n=len(data)),
                                   _("at most {n} bytes").format(n=MAX_SOURCE_BYTES))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError([Problem(
            name, line, "", _("byte {byte} that is not UTF-8").format(byte=f"0x{data[exc.start]:02X}"),
            _("a file saved as UTF-8 (in Word/Notepad: 'Save as' with encoding UTF-8)"),
        )])
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    warnings: list[Problem] = []
    if FORBIDDEN.search(text):
        lines = text.split("\n")
        for no, line in enumerate(lines, 1):
            clean, removed = strip_forbidden(line)
            if removed:
                warnings.append(Problem(
                    name, no, "", _("control character {chars} (removed)").format(chars=", ".join(removed)),
                    _("text without control characters"),
                ))
                lines[no - 1] = clean
        text = "\n".join(lines)
    try:
        node = _compose(text)
    except _TooDeep as exc:
        raise SourceError([Problem(name, exc.line, "", _("values nested more than {MAX_DEPTH} levels deep").format(MAX_DEPTH=MAX_DEPTH),
                                   _("a notice source (a few levels of fields and lists)"))]) from None
    except RecursionError:
        raise SourceError([Problem(name, None, "", _("values nested more than {MAX_DEPTH} levels deep").format(MAX_DEPTH=MAX_DEPTH),
                                   _("a notice source (a few levels of fields and lists)"))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise SourceError([Problem(name, line, "", _("YAML syntax error ({problem})").format(problem=_yaml_problem(problem)),
                                   _(_YAML_HINTS.get(problem, N_("valid YAML"))))])
    except yaml.YAMLError as exc:
        raise SourceError([Problem(name, None, "", _("YAML error ({problem})").format(problem=" ".join(str(exc).split())),
                                   _("valid YAML"))])
    if node is None:
        raise SourceError([Problem(name, 1, "", _("an empty file"), _(a_mapping))])
    builder = _Builder(name, warnings)
    root = builder.build(node, "")
    if builder.problems:
        raise SourceError(builder.problems)
    if root.kind != "map":
        raise SourceError([Problem(name, root.line, _("(top level)"), root.describe(),
                                   _(top_level))])
    return Source(path, root, warnings, text)


class _TooDeep(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's composer recurses once per level: stop at MAX_DEPTH with the line."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _depth(node: yaml.Node) -> tuple[int, int]:
    """The nesting depth of a composed tree and the line of its deepest value (no recursion).

    A node met again through an alias is not walked again: the builder refuses aliases, and
    walking them would take the time of their expansion (a "billion laughs" file)."""
    deepest, line = 0, 1
    stack = [(node, 1)]
    seen: set[int] = set()
    while stack:
        current, level = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if level > deepest:
            deepest, line = level, current.start_mark.line + 1
        if level > MAX_DEPTH:
            break
        if isinstance(current, yaml.MappingNode):
            stack.extend((v, level + 1) for pair in current.value for v in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((v, level + 1) for v in current.value)
    return deepest, line


def _compose(text: str) -> yaml.Node | None:
    """Parse with libyaml where installed (fast); on an error, again in pure Python,
    whose messages are the clearer ones (and the ones the hints know).
    Either way nothing nested deeper than MAX_DEPTH gets through."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            node = yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
        else:
            if node is not None:
                deepest, line = _depth(node)
                if deepest > MAX_DEPTH:
                    raise _TooDeep(line)
            return node
    return yaml.compose(text, Loader=_DepthLimitedLoader)


class _Builder:
    def __init__(self, name: str, warnings: list[Problem]):
        self.name = name
        self.warnings = warnings
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: str) -> Node:
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            self.problems.append(Problem(self.name, line, path, _("a YAML alias (*name)"), _("the value written out")))
            return Node(None, line, path, "null")
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Node] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem(self.name, key_node.start_mark.line + 1, path, _("a complex key"),
                                                 _("a plain field name")))
                    continue
                key = key_node.value
                sub = f"{path}.{key}" if path else key
                if key in out:
                    self.problems.append(Problem(
                        self.name, key_node.start_mark.line + 1, sub,
                        _("a second value for the same field"),
                        _("each field once (first on line {line})").format(line=out[key].line),
                    ))
                    continue
                child = self.build(value_node, sub)
                child.line = key_node.start_mark.line + 1 if child.kind == "null" else child.line
                out[key] = child
            return Node(out, line, path, "map")
        if isinstance(node, yaml.SequenceNode):
            return Node([self.build(v, f"{path}[{i}]") for i, v in enumerate(node.value)], line, path, "seq")
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == "tag:yaml.org,2002:null" and not node.style:
            return Node(None, line, path, "null")
        value, removed = strip_forbidden(node.value)
        if removed:
            self.warnings.append(Problem(
                self.name, line, path, _("control character {chars} (removed)").format(chars=", ".join(removed)),
                _("text without control characters"),
            ))
        return Node(value, line, path, "str", quoted=bool(node.style))
