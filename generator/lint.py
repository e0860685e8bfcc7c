"""Content lint of a notice source: likely slips that do not stop a render.

Each finding is a Problem returned as a warning (``validate`` prints it as
``Warning: ...``): a word repeated by mistake, an abbreviation spelt two ways,
a deadline before the notice date, a recipient list without the file copy last.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from .errors import Problem
from .i18n import _, ngettext
from .model import Notice
from .profile import PROFILES
from .source import Node, Source

_WORD = re.compile(r"[^\W_]+")
# One syllable written twice is often right in Vietnamese ("tham gia gia cố",
# "người người"), so only these function words, never doubled on purpose, are
# flagged alone; two or three words repeated are always flagged.
SLIP_PRONE = frozenset(["của", "và", "các", "những", "cho", "để", "với", "trong", "đã", "được", "là", "có", "tại", "về", "theo", "thì", "mà", "này", "một", "đến", "bằng", "hoặc", "nhưng", "nếu", "khi"])
# Fields whose values are codes or dates, not prose.
NOT_PROSE = ("style", "number", "date", "type_code", "body_code")


def lint_notice(notice: Notice, source: Source) -> list[Problem]:
    """Every warning about the content of ``notice`` read from ``source``."""
    nodes = [n for n in _strings(source.root) if n.path.split(".")[0].split("[")[0] not in NOT_PROSE]
    locate = _Locator(source)
    found = _repeated_words(nodes, locate)
    found += _abbreviations(nodes, source, locate)
    found += _early_deadlines(notice, source, locate)
    found += _file_copy_last(notice, source)
    return found


def _strings(node: Node) -> Iterator[Node]:
    if node.kind == "str":
        yield node
    elif node.kind == "seq":
        for item in node.value:  # type: ignore[union-attr]
            yield from _strings(item)
    elif node.kind == "map":
        for item in node.value.values():  # type: ignore[union-attr]
            yield from _strings(item)


class _Locator:
    """The line of a phrase inside a value that may span several source lines."""

    def __init__(self, source: Source):
        self.source = source
        self.starts = [0]
        for line in source.text.split("\n"):
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line(self, node: Node, words: list[str]) -> int:
        if not self.source.text or node.line > len(self.starts):
            return node.line
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        m = pattern.search(self.source.text, self.starts[node.line - 1])
        if m is None:
            return node.line
        return bisect.bisect_right(self.starts, m.start())


def _repeated_words(nodes: list[Node], locate: _Locator) -> list[Problem]:
    """"thực hiện thực hiện": one to three words written twice in a row."""
    out = []
    for node in nodes:
        text = str(node.value)
        words = list(_WORD.finditer(text))
        toks = [w.group() for w in words]
        i = 0
        while i < len(toks):
            hit = None
            for n in (3, 2, 1):  # the longest repeat first
                # Case counts: "giao ban Ban Chỉ đạo" is a word and then a name.
                if i + 2 * n > len(toks) or toks[i] != toks[i + n] or toks[i:i + n] != toks[i + n:i + 2 * n]:
                    continue
                if any(t.isdigit() for t in toks[i:i + n]):
                    continue
                # Punctuation between them ("tốt, tốt hơn") is not a slip.
                if any(text[a.end():b.start()].strip() for a, b in zip(words[i:i + 2 * n], words[i + 1:i + 2 * n])):
                    continue
                if n == 1 and toks[i].lower() not in SLIP_PRONE:
                    continue
                hit = n
                break
            if hit is None:
                i += 1
                continue
            phrase = text[words[i].start():words[i + 2 * hit - 1].end()]
            once = text[words[i].start():words[i + hit - 1].end()]
            line = locate.line(node, [w.group() for w in words[i:i + 2 * hit]])
            out.append(Problem(locate.source.name, line, node.path,
                               _("'{phrase}' (a word repeated)").format(phrase=_squash(phrase)),
                               _("the words once ('{once}')").format(once=_squash(once))))
            i += 2 * hit
    return out


def _fold(word: str) -> str:
    """BCĐ and BCD fold to the same key: no diacritics, Đ as D."""
    word = word.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _abbreviations(nodes: list[Node], source: Source, locate: _Locator) -> list[Problem]:
    """"BCD" beside "BCĐ": one abbreviation written two ways in one notice."""
    seen: dict[str, Counter[str]] = {}
    first: dict[str, tuple[Node, str]] = {}
    code_nodes = [source.root.value[k] for k in ("body_code", "type_code")  # type: ignore[index, union-attr]
                  if isinstance(source.root.value, dict) and k in source.root.value]
    for node in nodes + [n for n in code_nodes if n.kind == "str"]:
        text = str(node.value)
        if text == text.upper() and not any(node is c for c in code_nodes):
            continue  # an upper-case heading (BAN CHỈ ĐẠO ...), not prose
        for m in _WORD.finditer(text):
            word = m.group()
            if len(word) < 2 or word != word.upper() or word == word.lower() or any(c.isdigit() for c in word):
                continue
            key = _fold(word)
            seen.setdefault(key, Counter())[word] += 1
            first.setdefault(word, (node, word))
    out = []
    for key, spellings in seen.items():
        if len(spellings) < 2:
            continue
        # The usual spelling is the most frequent; on a tie, the one with its diacritics.
        usual = max(spellings, key=lambda w: (spellings[w], w != _fold(w)))
        for word, count in spellings.items():
            if word == usual:
                continue
            node, _line = first[word]
            out.append(Problem(
                locate.source.name, locate.line(node, [word]), node.path,
                _("'{word}' ({times}) beside '{usual}' ({usual_times})").format(
                    word=word, times=_times(count), usual=usual, usual_times=_times(spellings[usual])),
                _("one spelling of the abbreviation ('{usual}')").format(usual=usual),
            ))
    return out


def _item_nodes(source: Source) -> list[Node]:
    """The items' nodes in the model's order: conclusions, or the parts' conclusions."""
    top = source.root.value
    if not isinstance(top, dict):
        return []
    lists = [top.get("conclusions")]
    parts = top.get("parts")
    if parts is not None and parts.kind == "seq":
        lists = [p.value.get("conclusions") if p.kind == "map" else None for p in parts.value]  # type: ignore[union-attr]
    return [n for node in lists if node is not None and node.kind == "seq" for n in node.value]  # type: ignore[union-attr]


def _task_nodes(notice: Notice, source: Source) -> Iterator[list[Node]]:
    """For each conclusion, the nodes of its tasks in the order of ``all_tasks``."""
    for conclusion, c_node in zip(notice.conclusions, _item_nodes(source)):
        fields = c_node.value if c_node.kind == "map" else {}
        nodes: list[Node] = []
        if conclusion.units:
            nodes = [fields["text"]] if "text" in fields else []  # type: ignore[operator, index]
            tasks = fields.get("tasks")  # type: ignore[union-attr]
            if tasks is not None and tasks.kind == "seq":
                nodes.extend(tasks.value)
        items = fields.get("items")  # type: ignore[union-attr]
        for point, p_node in zip(conclusion.points, items.value if items is not None and items.kind == "seq" else []):
            p_fields = p_node.value if p_node.kind == "map" else {}
            if not point.units:
                continue
            if point.text_is_task:
                nodes.append(p_fields["text"])  # type: ignore[index]
            tasks = p_fields.get("tasks")  # type: ignore[union-attr]
            if tasks is not None and tasks.kind == "seq":
                nodes.extend(tasks.value)
        yield nodes


def _early_deadlines(notice: Notice, source: Source, locate: _Locator) -> list[Problem]:
    """A deadline before the notice date is almost always a wrong year or month."""
    out = []
    for conclusion, nodes in zip(notice.conclusions, _task_nodes(notice, source)):
        for task, node in zip(conclusion.all_tasks, nodes):
            if task.deadline is None or task.deadline >= notice.date:
                continue
            phrase = task.deadline_text or f"{task.deadline:%d/%m/%Y}"
            text_node = node.value.get("text", node) if node.kind == "map" else node  # type: ignore[union-attr]
            line = locate.line(text_node, phrase.split()) if task.deadline_text else node.line
            out.append(Problem(
                locate.source.name, line, node.path,
                _("deadline {date} ('{phrase}')").format(date=f"{task.deadline:%d/%m/%Y}", phrase=phrase),
                _("a deadline on or after the notice date {date}").format(date=f"{notice.date:%d/%m/%Y}"),
            ))
    return out


def _file_copy_last(notice: Notice, source: Source) -> list[Problem]:
    """The recipient list ends with the file copy ("Lưu VT" / "Lưu: VT, ...")."""
    last = notice.recipients[-1]
    if last.lower().startswith("lưu"):
        return []
    top = source.root.value
    node = top["recipients"].value[-1] if isinstance(top, dict) else None  # type: ignore[index, union-attr]
    profile = PROFILES[notice.style]
    return [Problem(source.name, node.line if node else None, node.path if node else "recipients",
                    _("'{last}' as the last recipient").format(last=last),
                    _("the file copy last ('{example}')").format(example=profile.file_copy_example))]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _times(count: int) -> str:
    return _("once") if count == 1 else ngettext("{n} time", "{n} times", count).format(n=count)


def locate_line(source: Source, node: Node, words: list[str]) -> int:
    """The source line where ``words`` stand inside the (maybe multi-line) text of ``node``."""
    return _Locator(source).line(node, words)
