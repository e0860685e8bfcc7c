"""Inspect a .docx template without rendering it: its variables, styles and body slot."""

from __future__ import annotations

import zipfile
from dataclasses import field
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from ..i18n import _
from ..profile import (
    PROFILES,
    STYLE_BODY,
    STYLE_CONCLUSION,
    STYLE_FOOTNOTE_REF,
    STYLE_FOOTNOTE_TEXT,
    STYLE_TASK,
)
from ..records import record
from .package import ZIP_ERRORS, one_line

NEEDED_STYLES = (STYLE_BODY, STYLE_CONCLUSION, STYLE_TASK, STYLE_FOOTNOTE_TEXT, STYLE_FOOTNOTE_REF)


@record
class TemplateInfo:
    path: Path
    style: str | None                       # the rulebook its heading shows, if any
    variables: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)   # each "found ..., expected ..."


def unknown_variable_message(name: str, known: tuple[str, ...] | list[str]) -> str:
    """One line for a variable outside the template contract, with the closest known name."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    known_text = ", ".join(sorted(known))
    if close:
        return _("found '{name}' is undefined (did you mean '{close}'?), expected only the variables of the "
                 "template contract ({known})").format(name=name, close=close[0], known=known_text)
    return _("found '{name}' is undefined, expected only the variables of the template contract ({known})").format(
        name=name, known=known_text)


_VARIABLES: dict[str, frozenset[str]] = {}
VARIABLES_CACHE = "template-variables.json"


def undeclared_variables(tpl: DocxTemplate) -> set[str]:
    """Every variable the template's tags use, in branches taken or not."""
    return set(tpl.get_undeclared_template_variables())


def template_variables(tpl: DocxTemplate, path: Path) -> frozenset[str]:
    """As undeclared_variables, remembered by the template's SHA-256 (and docxtpl's version).

    Kept in memory and in the user's cache (generator/cache.py,
    template-variables.json): a cold render does not parse the template a
    second time only to list its variables.
    """
    import hashlib

    import docxtpl

    from .. import cache

    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return frozenset(undeclared_variables(tpl))
    key = f"{digest}:docxtpl-{getattr(docxtpl, '__version__', '?')}"
    found = _VARIABLES.get(key)
    if found is not None:
        return found
    stored = cache.read_json(VARIABLES_CACHE)
    listed = stored.get(key)
    if isinstance(listed, list) and all(isinstance(v, str) for v in listed):
        found = frozenset(listed)
    else:
        found = frozenset(undeclared_variables(tpl))
        if len(stored) > 64:
            stored.clear()
        stored[key] = sorted(found)
        cache.write_json(VARIABLES_CACHE, stored)
    if len(_VARIABLES) > 64:
        _VARIABLES.clear()
    _VARIABLES[key] = found
    return found


def inspect_template(path: str | Path, known: tuple[str, ...]) -> TemplateInfo:
    """What a template uses and what is wrong with it (nothing raised)."""
    path = Path(path)
    info = TemplateInfo(path, None)
    if not path.is_file():
        info.problems.append(_("found no such file, expected a .docx template"))
        return info
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                info.problems.append(_("found a zip without word/document.xml, expected a .docx template"))
                return info
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        variables = undeclared_variables(tpl)
    except ZIP_ERRORS:
        info.problems.append(_("found a damaged file (not a readable zip), expected a .docx template"))
        return info
    except (ValueError, etree.XMLSyntaxError) as exc:
        info.problems.append(_("found an unreadable file ({exc}), expected a .docx template").format(exc=one_line(exc)))
        return info
    except (KeyError, AttributeError, TypeError, IndexError):
        # python-docx on a package of another shape (no [Content_Types].xml, one without its namespace ...)
        info.problems.append(_("found an unreadable file ({exc}), expected a .docx template").format(
            exc=_("a package python-docx cannot read")))
        return info
    except jinja2.TemplateSyntaxError as exc:
        info.problems.append(_("found a Jinja syntax error ({message}), expected valid {{{{ }}}} / {{% %}} tags").format(message=exc.message))
        return info
    info.variables = tuple(sorted(variables))
    for name in sorted(variables - set(known)):
        info.problems.append(unknown_variable_message(name, known))
    document = tpl.docx
    names = {s.name for s in document.styles}
    missing = [n for n in NEEDED_STYLES if n not in names]
    if missing:
        info.problems.append(_("found no style {missing}, expected the styles the body is written with (see the template contract)").format(missing=', '.join(repr(m) for m in missing)))
    slots = [p for p in document.paragraphs if p.text.strip() == "{{ body }}"]
    if len(slots) != 1:
        info.problems.append(_("found {n} paragraphs holding {{{{ body }}}}, expected exactly one, alone in its paragraph and outside tables").format(n=len(slots)))
    text = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells).upper()
    for profile in PROFILES.values():
        if profile.national_heading in text:
            info.style = profile.name
    return info
