"""The outgoing register by year with export; a document's history and diff; verify."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, render_template, request, send_file

from ... import api
from ...archive import history
from ...archive.errors import ArchiveError
from ...archive.export import chain_head, entries, register_csv, register_xlsx
from ...archive.register import REGISTER_NAME, Register
from ...archive.store import DOCUMENTS
from .. import messages
from ..workspace import WebError
from .notices import ws

bp = Blueprint("register", __name__)


def _entries(year: int | None):
    archive = ws().archive()
    if not (archive / REGISTER_NAME).exists():
        return []
    return entries(archive, year)


def _year() -> int | None:
    raw = request.args.get("year", "")
    if raw == "all":
        return None
    if raw.isdigit() and 1900 <= int(raw) <= 9999:
        return int(raw)
    return ws().today().year


@bp.route("/register")
def register():
    year = _year()
    items = _entries(year)
    years = sorted({e.versions[-1].doc_date.year for e in _entries(None)} | {ws().today().year}, reverse=True)
    return render_template("register.html", items=items, year=year, years=years)


@bp.route("/register/export.<kind>")
def export(kind: str):
    year = _year()
    items = _entries(year)
    heading = f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year}" if year else "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    archive = ws().archive()
    # The chain head on the copy, as 'thongbao register' prints it (thongbao verify --head checks it).
    head = chain_head(archive) if (archive / REGISTER_NAME).exists() else None
    if kind == "csv":
        data, mime = register_csv(items, head), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        data, mime = register_xlsx(items, heading, ws().today(), head), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise WebError("Chỉ xuất được XLSX hoặc CSV.", 404)
    name = f"so-van-ban-di-{year or 'tat-ca'}.{kind}"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=mime)


@bp.route("/documents/<int:doc_id>")
def document(doc_id: int):
    archive = ws().archive()
    try:
        with Register(archive, create=False) as reg:
            doc = reg.document(doc_id)
            versions = reg.versions(doc_id)
            files = {v.version: reg.files(doc_id, v.version) for v in versions}
    except (ArchiveError, LookupError, TypeError):
        raise WebError("Không tìm thấy văn bản này trong sổ.", 404) from None
    folders = {v.version: archive / DOCUMENTS / doc.folder / f"v{v.version}" for v in versions}
    source = next((r for r in ws().sources() if str(r.resolve()) == doc.source_path), None)
    return render_template("document.html", doc=doc, versions=versions, files=files, folders=folders,
                           source=ws().rel(source) if source else None)


@bp.route("/documents/<int:doc_id>/diff")
def diff(doc_id: int):
    archive = ws().archive()
    try:
        with Register(archive, create=False) as reg:
            doc = reg.document(doc_id)
            versions = [v.version for v in reg.versions(doc_id)]
    except (ArchiveError, LookupError, TypeError):
        raise WebError("Không tìm thấy văn bản này trong sổ.", 404) from None
    if len(versions) < 2:
        raise WebError("Văn bản này mới có một phiên bản, chưa có gì để so sánh.", 404)
    old = request.args.get("old", type=int) or versions[-2]
    new = request.args.get("new", type=int) or versions[-1]
    # The library's lines in the request's language; each line's kind (added, removed, ...) is its CSS class.
    lines = [(line.kind, line.said(when=messages.moment(line.values["when"])) if line.kind == history.VERSION else line.text)
             for line in api.archive_diff(doc.folder, old, new, archive=archive)]
    return render_template("diff.html", doc=doc, lines=lines, old=old, new=new, versions=versions)


@bp.route("/verify")
def verify():
    archive = ws().archive()
    if not (archive / REGISTER_NAME).exists():
        return render_template("verify.html", report=None, archive=archive, ran=dt.datetime.now())
    report = api.verify_archive(archive=archive)
    return render_template("verify.html", report=report, archive=archive, ran=dt.datetime.now())
