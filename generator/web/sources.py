"""Notice sources as the editor sees them: YAML <-> plain data, saved keeping comments and order.

The form works on plain data (dicts, lists, strings). Saving merges it into the
file's round-trip tree (ruamel.yaml): a field whose value did not change keeps
its node, so its comments, quoting and folding stay as the clerk or the
importer wrote them; changed fields get new values; new fields go where the
format's order puts them. Nothing here validates: the library does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
import unicodedata

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from .. import dates

# The format's field order (format v2 included): new fields are put in this order.
ORDER = {
    "": ("style", "superior_body", "issuing_body", "body_code", "number", "type_code", "document_type", "place",
         "date", "subject", "opening", "numbering", "item_mark", "conclusions", "parts", "footnotes", "closing",
         "recipients", "signature"),
    "part": ("heading", "to", "numbering", "paragraphs", "conclusions"),
    "item": ("to", "heading", "text", "deadline", "report_to", "paragraphs", "tasks", "items"),
    "task": ("text", "deadline", "report_to", "details"),
    "signature": ("authority", "title", "name"),
}
FOLD_AT = 88


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _yaml(text: str | None = None) -> tuple[YAML, object]:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    offset = 2                       # "  - item": the examples' and the importer's layout
    data = None
    if text is not None and text.strip():
        offset = _sequence_offset(text)
        data = y.load(text)
    y.indent(mapping=2, sequence=offset + 2, offset=offset)
    return y, data


_KEY_LINE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")
_DASH_LINE = re.compile(r"^( *)- ")


def _sequence_offset(text: str) -> int:
    """How far a block list's "- " stands in from its key: 2 for "key:\n  - a", 0 for "key:\n- a"."""
    lines = text.split("\n")
    for before, line in itertools.pairwise(lines):
        key, dash = _KEY_LINE.match(before), _DASH_LINE.match(line)
        if key and dash:
            return max(0, len(dash.group(1)) - len(key.group(1)))
    return 2


def read_tree(data: bytes):
    """The round-trip tree of a source's bytes (an empty mapping for an empty file)."""
    text = unicodedata.normalize("NFC", data.decode("utf-8-sig").replace("\r\n", "\n"))
    y, tree = _yaml(text)
    return y, (tree if tree is not None else CommentedMap())


def to_plain(value, key: str = ""):
    """The tree as plain data for the form: strings everywhere, dates as D/M/YYYY."""
    if isinstance(value, dict):
        if key == "recipient" and len(value) == 1:
            (k, v), = value.items()          # "- Lưu: VT, NN" unquoted: YAML's mapping, the clerk's text
            return f"{k}: {v}"
        return {str(k): to_plain(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        inner = "recipient" if key == "recipients" else ""
        return [to_plain(v, inner) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value))


def compact(value, key: str = "", keep: bool = False):
    """Form data without empty fields; one-entry lists of a text-or-list field as the text.

    ``keep``: an empty entry of a list stays (as "" or {}), so that the validator's
    paths ("tasks[2]") still point at the form's entries while a clerk is typing.
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            c = compact(v, k, keep)
            if c not in (None, "", [], {}):
                out[k] = c
        if set(out) == {"text"} and key == "task":
            return out["text"]                # a task with nothing but text is written as text
        return out
    if isinstance(value, list):
        inner = {"tasks": "task", "conclusions": "item", "items": "item", "parts": "part"}.get(key, "")
        out = [c for c in (compact(v, inner, keep) for v in value) if keep or c not in (None, "", [], {})]
        out = ["" if c is None or c == [] else c for c in out]
        if len(out) == 1 and isinstance(out[0], str) and key in ("to", "opening", "closing", "issuing_body",
                                                                  "title", "authority"):
            return out[0]
        return out
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    return value


def _same(old, new, key: str = "") -> bool:
    """Whether the form's value says what the file says (so the file's node is kept)."""
    plain = to_plain(old, key)
    if plain == new:
        return True
    if isinstance(new, str) and isinstance(plain, str):
        if _clean(plain) == _clean(new):
            return True
        try:
            return dates.parse_date(plain) == dates.parse_date(new)
        except ValueError:
            return False
    if isinstance(plain, list) and len(plain) == 1 and plain[0] == new:
        return True
    if isinstance(new, list) and len(new) == 1 and new[0] == plain:
        return True
    if isinstance(old, dict) and isinstance(new, str) and set(plain) == {"text"}:
        return plain["text"] == new
    return False


def _clean(text: str) -> str:
    return " ".join(text.split())


def _kind_of(key: str, parent_kind: str) -> str:
    if key in ("conclusions", "items"):
        return "item"
    if key == "parts":
        return "part"
    if key == "tasks":
        return "task"
    if key == "signature":
        return "signature"
    return parent_kind


def merge(old, new, kind: str = "", key: str = ""):
    """``new`` (compact plain data) written over the tree ``old``, keeping what did not change."""
    if old is not None and _same(old, new, key):
        return old
    if isinstance(new, dict) and isinstance(old, CommentedMap):
        for k in [k for k in old if k not in new]:
            del old[k]
        order = ORDER.get(kind, ())
        for k, v in new.items():
            child_kind = _kind_of(k, "") if kind in ("", "part", "item", "signature") else kind
            if k in old:
                old[k] = merge(old[k], v, child_kind, k)
            else:
                pos = _position(old, k, order)
                old.insert(pos, k, fresh(v, child_kind, k))
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        item_kind = _kind_of(key, kind) if key in ("conclusions", "items", "parts", "tasks") else ""
        for i, v in enumerate(new):
            if i < len(old):
                old[i] = merge(old[i], v, item_kind, "recipient" if key == "recipients" else "")
            else:
                old.append(fresh(v, item_kind, ""))
        del old[len(new):]
        return old
    return fresh(new, kind, key)


def _position(tree: CommentedMap, key: str, order: tuple[str, ...]) -> int:
    if key not in order:
        return len(tree)
    rank = order.index(key)
    pos = 0
    for i, k in enumerate(tree):
        if k in order and order.index(k) < rank:
            pos = i + 1
    return pos


def fresh(value, kind: str = "", key: str = ""):
    """A new node for ``value``, in the format's order, dates and numbers typed."""
    if isinstance(value, dict):
        out = CommentedMap()
        order = ORDER.get(kind, ())
        ranked = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
        for k in ranked:
            out[k] = fresh(value[k], _kind_of(k, "") if kind in ("", "part", "item", "signature") else kind, k)
        return out
    if isinstance(value, list):
        item_kind = _kind_of(key, kind) if key in ("conclusions", "items", "parts", "tasks") else ""
        seq = CommentedSeq(fresh(v, item_kind, "") for v in value)
        return seq
    if isinstance(value, str):
        if key == "number" and value.isdigit():
            return int(value)
        if key == "date":
            try:
                return dates.parse_date(value)
            except ValueError:
                return value
        if len(value) > FOLD_AT and "\n" not in value:
            return _folded(value)
    return value


def _folded(text: str) -> FoldedScalarString:
    """A long paragraph as ``>-`` folded at spaces (reads and diffs line by line; YAML joins it back)."""
    s = FoldedScalarString(text)
    folds, line_start = [], 0
    for m in re.finditer(" ", text):
        if m.start() - line_start > FOLD_AT - 8 and 0 < m.start() < len(text) - 1 and text[m.start() + 1] != " " \
                and text[m.start() - 1] != " ":
            folds.append(m.start())
            line_start = m.start() + 1
    s.fold_pos = folds  # type: ignore[attr-defined]
    return s


def dump(y: YAML, tree) -> bytes:
    buf = io.StringIO()
    y.dump(tree, buf)
    return buf.getvalue().encode("utf-8")


def merged_bytes(original: bytes, form_data: dict, keep: bool = False) -> bytes:
    """What saving ``form_data`` over a file holding ``original`` writes (``keep``: see compact)."""
    y, tree = read_tree(original)
    if not isinstance(tree, CommentedMap):
        tree = CommentedMap()
    return dump(y, merge(tree, compact(form_data, keep=keep), ""))


def form_data(data: bytes) -> dict:
    """The source as the form shows it: every value a string, as the validator reads it (source.py
    composes without types), dates as D/M/YYYY. libyaml's base loader: fast, no type guessing."""
    text = unicodedata.normalize("NFC", data.decode("utf-8-sig").replace("\r\n", "\n"))
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    tree = yaml.load(text, Loader=loader)
    plain = to_plain(tree)
    if not isinstance(plain, dict):
        return {}
    try:
        day = dt.date.fromisoformat(str(plain.get("date", "")))
        plain["date"] = f"{day.day:02d}/{day.month:02d}/{day.year}"
    except ValueError:
        pass
    return plain


def check_bytes(form: dict) -> bytes:
    """What the validator reads for the form's data: the same values saving writes (empty entries
    of lists kept in place), dumped by libyaml (fast; the round trip of ``merged_bytes`` is for saving)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(_typed(compact(form, keep=True)), Dumper=dumper, allow_unicode=True, sort_keys=False,
                     width=10 ** 6).encode("utf-8")


def _typed(value, key: str = ""):
    if isinstance(value, dict):
        return {k: _typed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, str) and key == "date":
        try:
            return dates.parse_date(value).isoformat()
        except ValueError:
            return value
    return value
