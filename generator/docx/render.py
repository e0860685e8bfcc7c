"""Render plan -> .docx bytes: docxtpl for the template's layout, lxml for the body.

User text reaches docxtpl only as values (escaped by Jinja's autoescape, with
'_' swapped for a noncharacter so docxtpl's own '{_{' rewriting cannot touch
it). The body and the footnotes are built here as XML elements and are never
seen by a template engine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import sys
import unicodedata
import zipfile
from pathlib import Path

import docx
import jinja2
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.parts.styles import StylesPart
from docxtpl import DocxTemplate
from lxml import etree

from ..context import FootnoteBody, Paragraph, Properties, RenderPlan, Run
from ..errors import TemplateError
from ..i18n import _
from ..profile import STYLE_FOOTNOTE_REF, STYLE_FOOTNOTE_TEXT
from .package import ZIP_ERRORS, one_line, write_package
from .template_check import template_variables, unknown_variable_message

UNDERSCORE = "\ufdd0"   # stands for "_" while docxtpl post-processes its output
BODY_TOKEN = "\ufdd1thongbao-body\ufdd1"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _encode(value: object) -> object:
    if isinstance(value, str):
        return value.replace("_", UNDERSCORE)
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _cache_name(folder: str, text: str, *salt: str) -> str:
    return f"{folder}/{hashlib.sha256(chr(0).join((*salt, text)).encode('utf-8')).hexdigest()}"


class _Environment(jinja2.Environment):
    """Compiles each template text once: a template's XML is the same at every render.

    The compiled code is also kept in the user cache (generator/cache.py,
    ``jinja/``), keyed by the SHA-256 of the text, Jinja's and Python's
    versions: a cold render does not compile its template again.
    """

    SALT = ("thongbao-env-1:strict:autoescape", jinja2.__version__, sys.version)

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) > 64:
                self._compiled.clear()
            compiled = self._compiled[source] = self.template_class.from_code(
                self, self._code(source), self.make_globals(None), None)
        return compiled

    def _code(self, source: str):
        from .. import cache

        name = _cache_name("jinja", source, *self.SALT)
        stored = cache.read_bytes(name)
        if stored is not None:
            try:
                return marshal.loads(stored)
            except (EOFError, ValueError, TypeError):
                pass
        code = self.compile(source)
        cache.write_bytes(name, marshal.dumps(code))
        return code


_ENV = _Environment()


class _LazyStylesPart(StylesPart):
    """styles.xml, parsed only when something reads it.

    A template's styles are a third of a megabyte that rendering never changes
    (the style ids are read once per template, see _template_style_ids):
    parsing and writing them back took most of each extract's time. Unread,
    the part writes what parsing and writing back its bytes gives, worked out
    once per content, so the .docx is byte for byte as before. Registered for
    python-docx's styles content type; any reader of the styles sees no difference.
    """

    _written: dict[bytes, bytes] = {}
    # The user cache's entry of the written styles (``styles/``), by the SHA-256 of the raw bytes and
    # the versions that write them: a cold render neither parses nor writes them.
    SALT = ("thongbao-styles-1", etree.__version__, getattr(docx, "__version__", "?"))

    def __init__(self, partname, content_type, element=None, package=None, raw: bytes | None = None):
        Part.__init__(self, partname, content_type, package=package)
        self._raw = raw
        self._parsed = element

    @property
    def _element(self):  # type: ignore[override]
        if self._parsed is None:
            self._parsed = parse_xml(self._raw)
        return self._parsed

    @_element.setter
    def _element(self, value) -> None:
        self._parsed = value

    @classmethod
    def load(cls, partname, content_type, blob, package):
        return cls(partname, content_type, None, package, raw=blob)

    @property
    def blob(self) -> bytes:
        if self._parsed is not None or self._raw is None:
            return serialize_part_xml(self._element)
        found = self._written.get(self._raw)
        if found is None:
            if len(self._written) > 8:
                self._written.clear()
            found = self._written[self._raw] = self._write_cached(self._raw)
        return found

    @classmethod
    def _write_cached(cls, raw: bytes) -> bytes:
        from .. import cache

        name = _cache_name("styles", hashlib.sha256(raw).hexdigest(), *cls.SALT)
        stored = cache.read_bytes(name)
        if stored is not None:
            return raw if stored == _SAME else stored
        written = serialize_part_xml(parse_xml(raw))
        cache.write_bytes(name, _SAME if written == raw else written)
        return written


_SAME = b"="  # a styles part that parsing and writing back leaves as it was (the built-in templates')


PartFactory.part_type_for[CT.WML_STYLES] = _LazyStylesPart


class _Template(DocxTemplate):
    """docxtpl's template, with its XML clean-up (a pure function of the XML) done once per text
    (and kept in the user cache, ``docxtpl/``, by the SHA-256 of the text and docxtpl's version)."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml):  # type: ignore[override]
        found = self._patched.get(src_xml)
        if found is None:
            if len(self._patched) > 64:
                self._patched.clear()
            found = self._patched[src_xml] = self._patch_cached(src_xml)
        return found

    def _patch_cached(self, src_xml: str) -> str:
        import docxtpl

        from .. import cache

        name = _cache_name("docxtpl", src_xml, "patch_xml", getattr(docxtpl, "__version__", "?"))
        stored = cache.read_bytes(name)
        if stored is not None:
            try:
                return stored.decode("utf-8")
            except UnicodeDecodeError:
                pass
        patched = super().patch_xml(src_xml)
        cache.write_bytes(name, patched.encode("utf-8"))
        return patched


def render_plan(plan: RenderPlan, template: Path) -> bytes:
    """Fill ``template`` with ``plan``; return the reproducible .docx bytes."""
    tpl = _open_template(template)
    env = _ENV
    context = {k: _encode(v) for k, v in plan.context.items()}
    try:
        # Every variable, also in branches this notice does not take: a typo never waits for another notice.
        unknown = sorted(template_variables(tpl, template) - set(plan.context))
        if unknown:
            raise TemplateError(f"{template}: {unknown_variable_message(unknown[0], list(plan.context))}")
        tpl.render(context, jinja_env=env)
    except jinja2.UndefinedError as exc:
        known = ", ".join(sorted(plan.context))
        raise TemplateError(
            _("{template}: found {message}, expected only the variables of the template contract ({known})").format(template=template, message=exc.message, known=known)
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_("{template}: found a Jinja syntax error ({message}), expected valid {{{{ }}}} / {{% %}} tags").format(template=template, message=exc.message)) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(_("{template}: found a template error ({exc}), expected a template that renders").format(template=template, exc=exc)) from None
    document = tpl.docx
    _decode_parts(document)
    styles = _template_style_ids(document, template)
    _insert_body(document, plan.body, styles, template, plan.keep_with_closing)
    if plan.footnotes:
        _add_footnotes(document, plan.footnotes, styles)
    if plan.copy is not None:
        from .copy_block import append_copy_block

        append_copy_block(document.element.body, plan.copy)
    assert plan.properties is not None
    _set_properties(document, plan.properties)
    _drop_thumbnail(document)
    return write_package(document.part.package, plan.properties.created.date())


def _open_template(template: Path) -> DocxTemplate:
    if not template.is_file():
        raise TemplateError(_("{template}: found no such file, expected a .docx template").format(template=template))
    try:
        with zipfile.ZipFile(template) as z:
            if "word/document.xml" not in z.namelist():
                raise TemplateError(_("{template}: found a zip without word/document.xml, expected a .docx template").format(template=template))
        tpl = _Template(str(template))
        tpl.init_docx()
        return tpl
    except TemplateError:
        raise
    except ZIP_ERRORS:
        raise TemplateError(_("{template}: found a damaged file (not a readable zip), expected a .docx template").format(
            template=template)) from None
    except (ValueError, etree.XMLSyntaxError) as exc:
        raise TemplateError(_("{template}: found an unreadable file ({exc}), expected a .docx template").format(
            template=template, exc=one_line(exc))) from None
    except (KeyError, AttributeError, TypeError, IndexError) as exc:
        # python-docx on a package of another shape (no [Content_Types].xml, one without its namespace ...)
        raise TemplateError(_("{template}: found an unreadable file ({exc}), expected a .docx template").format(
            template=template, exc=_("a package python-docx cannot read"))) from None


def _xml_parts(document):
    for part in document.part.package.iter_parts():
        if isinstance(part, _LazyStylesPart) and part._parsed is None and _ENCODED not in (part._raw or b""):
            continue  # unread, and nothing of ours in it: left unparsed
        element = getattr(part, "_element", None)
        if element is not None:
            yield element


_ENCODED = UNDERSCORE.encode("utf-8")
_ENCODED_TEXT = etree.XPath(f"//w:t[contains(text(), '{UNDERSCORE}')]", namespaces={"w": W_NS})


def _decode_parts(document) -> None:
    for element in _xml_parts(document):
        for t in _ENCODED_TEXT(element):  # found by libxml2: styles and themes hold thousands of elements
            t.text = t.text.replace(UNDERSCORE, "_")


_STYLE_IDS: dict[tuple[str, int, int], dict[str, str]] = {}


def _template_style_ids(document, template: Path) -> dict[str, str]:
    """_style_ids, remembered per template: in memory (path, mtime, size), and in the user cache
    (``template-styles.json``, by the template's SHA-256), so a cold render need not parse the styles."""
    from .. import cache

    try:
        st = template.stat()
        key = (str(template.resolve()), st.st_mtime_ns, st.st_size)
        digest = hashlib.sha256(template.read_bytes()).hexdigest()
    except OSError:
        return _style_ids(document, template)
    found = _STYLE_IDS.get(key)
    if found is None:
        from ..profile import STYLE_BODY, STYLE_CONCLUSION, STYLE_FALLBACK, STYLE_TASK

        # Keyed by the template and by the names asked for: other names, another answer.
        asked = "|".join((STYLE_BODY, STYLE_CONCLUSION, STYLE_TASK, STYLE_FOOTNOTE_TEXT, STYLE_FOOTNOTE_REF,
                          *(f"{k}>{v}" for k, v in sorted(STYLE_FALLBACK.items())), FALLBACK_PREFIX))
        cache_key = f"{digest}:{hashlib.sha256(asked.encode()).hexdigest()[:16]}"
        stored = cache.read_json(STYLES_CACHE)
        listed = stored.get(cache_key)
        if isinstance(listed, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in listed.items()):
            found = listed
        else:
            found = _style_ids(document, template)
            if len(stored) > 64:
                stored.clear()
            stored[cache_key] = found
            cache.write_json(STYLES_CACHE, stored)
        if len(_STYLE_IDS) > 64:
            _STYLE_IDS.clear()
        _STYLE_IDS[key] = found
    return dict(found)


STYLES_CACHE = "template-styles.json"


def _style_ids(document, template: Path) -> dict[str, str]:
    """Style name -> id for the styles the renderer uses; all must exist.

    Names match case-insensitively: Word saves built-in names in lower case
    ("footnote text"). The newer optional styles (TB Part, TB Point, TB Detail)
    fall back to TB Conclusion / TB Task in a template that lacks them; the
    result then maps the missing name to its fallback's id.
    """
    from ..profile import STYLE_BODY, STYLE_CONCLUSION, STYLE_FALLBACK, STYLE_TASK

    by_key = {}
    for style in document.styles.element.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and style.get(qn("w:styleId")):
            by_key.setdefault(name.get(qn("w:val"), "").casefold(), style.get(qn("w:styleId")))
    needed = (STYLE_BODY, STYLE_CONCLUSION, STYLE_TASK, STYLE_FOOTNOTE_TEXT, STYLE_FOOTNOTE_REF)
    by_name = {n: by_key[n.casefold()] for n in (*needed, *STYLE_FALLBACK) if n.casefold() in by_key}
    missing = [n for n in needed if n not in by_name]
    if missing:
        raise TemplateError(
            _("{template}: found no style {missing}, expected the styles the body is written with (see README, template contract)").format(template=template, missing=', '.join(repr(m) for m in missing))
        )
    for name, fallback in STYLE_FALLBACK.items():
        if name not in by_name:
            by_name[name] = by_name[fallback]
            by_name[FALLBACK_PREFIX + name] = by_name[fallback]
    return by_name


FALLBACK_PREFIX = "\ufdd2fallback:"


def _w(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(qn(f"w:{tag}"), nsmap={"w": W_NS})
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _text_el(text: str) -> etree._Element:
    t = _w("t")
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(XML_SPACE, "preserve")
    return t


def _run(run: Run, styles: dict[str, str], in_footnote: bool = False) -> etree._Element:
    r = _w("r")
    if run.footnote is not None:
        rpr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rpr, qn("w:rStyle")).set(qn("w:val"), styles[STYLE_FOOTNOTE_REF])
        if not in_footnote:
            ref = etree.SubElement(r, qn("w:footnoteReference"))
            ref.set(qn("w:customMarkFollows"), "1")
            ref.set(qn("w:id"), str(run.footnote))
    elif run.bold:
        rpr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rpr, qn("w:b"))
        etree.SubElement(rpr, qn("w:bCs"))
    r.append(_text_el(run.text))
    return r


def _paragraph(style_id: str, runs, styles: dict[str, str], in_footnote: bool = False,
               cited_again: frozenset[int] = frozenset(), keep_next: bool = False) -> etree._Element:
    p = _w("p")
    ppr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style_id)
    if keep_next:
        etree.SubElement(ppr, qn("w:keepNext"))
    for run in runs:
        if in_footnote or run.footnote is None or run.footnote not in cited_again:
            p.append(_run(run, styles, in_footnote))
        elif run.again:
            p.extend(_note_ref(run, styles))
        else:
            # The first citation of a note cited again: a bookmark the later ones refer to.
            p.append(_w("bookmarkStart", id=str(BOOKMARK_BASE + run.footnote), name=note_bookmark(run.footnote)))
            p.append(_run(run, styles))
            p.append(_w("bookmarkEnd", id=str(BOOKMARK_BASE + run.footnote)))
    return p


BOOKMARK_BASE = 7000  # bookmark ids of note marks; far above any a template holds


def note_bookmark(number: int) -> str:
    """The hidden bookmark ("_Ref...", as Word names them) around note ``number``'s first mark."""
    return f"_Ref{number:09d}"


def _note_ref(run: Run, styles: dict[str, str]) -> list[etree._Element]:
    """A later citation of a footnote, as Word writes it: a NOTEREF field to the
    bookmarked first mark, its shown result the same mark "(n)" in the
    Footnote Reference style (a second footnoteReference to one note is invalid)."""
    assert run.footnote is not None

    def field_run(child: etree._Element) -> etree._Element:
        r = _w("r")
        rpr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rpr, qn("w:rStyle")).set(qn("w:val"), styles[STYLE_FOOTNOTE_REF])
        r.append(child)
        return r

    instr = _w("instrText")
    instr.text = f" NOTEREF {note_bookmark(run.footnote)} \\f \\h "
    instr.set(XML_SPACE, "preserve")
    return [
        field_run(_w("fldChar", fldCharType="begin")),
        field_run(instr),
        field_run(_w("fldChar", fldCharType="separate")),
        field_run(_text_el(run.text)),
        field_run(_w("fldChar", fldCharType="end")),
    ]


def _insert_body(document, body: list[Paragraph], styles: dict[str, str], template: Path,
                 keep_with_closing: int = 0) -> None:
    body_el = document.element.body
    marks = [p for p in body_el.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip() == BODY_TOKEN]
    if len(marks) != 1:
        raise TemplateError(
            _("{template}: found {n} paragraphs holding {{{{ body }}}}, expected exactly one, alone in its paragraph and outside tables").format(template=template, n=len(marks))
        )
    mark = marks[0]
    from ..profile import STYLE_PART

    cited_again = frozenset(r.footnote for para in body for r in para.runs if r.again and r.footnote is not None)
    kept = len(body) - keep_with_closing
    for k, para in enumerate(body):
        style_id = styles.get(para.style, para.style)
        runs = para.runs
        if para.style == STYLE_PART and FALLBACK_PREFIX + STYLE_PART in styles:
            # TB Conclusion stands in for TB Part: the heading keeps its bold in the runs.
            runs = tuple(dataclasses.replace(r, bold=True) if r.footnote is None else r for r in runs)
        # The end of the body goes with the closing; a heading ("II. ...", "5. Bộ Xây dựng:") or a line
        # that announces what follows ("... như sau:") never ends a page alone.
        heads = para.style == STYLE_PART or para.text.rstrip().endswith(":")
        mark.addprevious(_paragraph(style_id, runs, styles, cited_again=cited_again, keep_next=k >= kept or heads))
    mark.getparent().remove(mark)


_FOOTNOTES_XML = (
    f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def _footnotes_part(document):
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _FOOTNOTES_XML.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    return part


def _add_footnotes(document, notes: list[FootnoteBody], styles: dict[str, str]) -> None:
    part = _footnotes_part(document)
    root = etree.fromstring(part.blob)
    # Keep the separators of a template saved by Word; drop any sample notes.
    for fn in root.findall(qn("w:footnote")):
        if fn.get(qn("w:type")) not in ("separator", "continuationSeparator", "continuationNotice"):
            root.remove(fn)
    for note in notes:
        fn = etree.SubElement(root, qn("w:footnote"))
        fn.set(qn("w:id"), str(note.number))
        runs = (Run(note.mark, footnote=note.number), Run(" "), *note.runs)
        fn.append(_paragraph(styles[STYLE_FOOTNOTE_TEXT], runs, styles, in_footnote=True))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _footnote_settings(document)


def _footnote_settings(document) -> None:
    """Word expects settings.xml to name the separator notes."""
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is not None:
        return
    pr = parse_xml(f'<w:footnotePr xmlns:w="{W_NS}"><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
    for follower in ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                     "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                     "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                     "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                     "w:decimalSymbol", "w:listSeparator"):
        try:
            el = settings.find(qn(follower))
        except KeyError:
            continue
        if el is not None:
            el.addprevious(pr)
            return
    settings.append(pr)


def _drop_thumbnail(document) -> None:
    """A template's preview picture would show the template, not this notice."""
    rels = document.part.package.rels
    for r_id in [k for k, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


# python-docx (and Word's own dialog) holds a document property to 255 characters.
PROPERTY_MAX = 255


def property_value(text: str, limit: int = PROPERTY_MAX) -> str:
    """``text`` cut to ``limit`` characters with a closing '…', never inside a letter.

    Only the document property is shortened; the printed subject stays whole.
    The cut goes back over combining marks, so that a letter never loses its
    accent (NFC keeps most Vietnamese letters whole, but not every one).
    """
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut].rstrip() + "…"


def _set_properties(document, props: Properties) -> None:
    cp = document.core_properties
    cp.title = property_value(props.title)
    cp.subject = property_value(props.subject)
    cp.author = property_value(props.author)
    cp.last_modified_by = property_value(props.author)
    cp.identifier = property_value(props.identifier)
    cp.keywords = property_value(props.keywords)
    cp.language = "vi-VN"
    cp.category = "Thông báo"
    cp.comments = props.generator
    cp.content_status = ""
    cp.version = ""
    cp.revision = 1
    created = props.created.replace(tzinfo=None)
    cp.created = created
    cp.modified = created
    cp.last_printed = created
