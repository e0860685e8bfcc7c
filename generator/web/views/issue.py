"""Issue: number, file, register (a correction asks its reason); downloads of what was filed."""

from __future__ import annotations

import io
import json
import zipfile

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)

from ... import api
from ...archive.errors import ArchiveError
from ...archive.numbering import add_number_line
from ...archive.register import Register
from ...archive.store import DOCUMENTS, MANIFEST
from ...output import write_atomic
from .. import preview as preview_mod
from .. import sources
from ..security import may_issue
from ..workspace import WebError
from .notices import jobs, owner, ws

bp = Blueprint("issue", __name__)


@bp.route("/issue/<path:rel>")
def issue_page(rel: str):
    path, data = ws().read(rel)
    docs = ws().issued_documents().get(str(path.resolve()), [])
    check = ws().check_bytes(data, path.name, ws().units_file(rel))
    return render_template("issue.html", rel=rel, docs=docs, check=check, version=sources.sha256(data),
                           may_issue=g.user.may_issue)


@bp.route("/issue/<path:rel>", methods=["POST"])
@may_issue
def issue(rel: str):
    path, data = ws().read(rel)
    if request.form.get("version") and request.form["version"] != sources.sha256(data):
        raise WebError("Thông báo đã thay đổi sau khi anh/chị mở trang ban hành; hãy tải lại trang và kiểm tra lại.", 409)
    reason = request.form.get("reason", "").strip() or None
    settings = current_app.extensions["thongbao"]["settings"]
    workspace = ws()
    document_url = url_for("register.document", doc_id=0)[:-1]

    def run(progress):
        progress(0.2, "Đang cấp số, dựng văn bản và các bản trích gửi đơn vị...")
        result = api.issue_file(path, archive=workspace.archive(), config=settings.config,
                                units=settings.units, reason=reason)
        out = {"status": result.status, "symbol": result.symbol, "version": result.version,
               "number": result.number}
        if result.number_assigned and result.status == "issued":
            # The clerk's source gets the number, written as issue filed it, so a correction finds it.
            with workspace.lock:
                if path.read_bytes() == data:
                    write_atomic(path, add_number_line(data, result.number, str(path)))
                    out["number_written"] = True
        doc = _document_for(workspace, result.symbol, path)
        if doc is not None:
            out["document"] = document_url + str(doc.id)
        return out

    job = jobs().start("issue", owner(), run, _describe_issue)
    return jsonify(job.public())


def _describe_issue(exc: BaseException) -> str:
    from ...errors import SourceError, ThongbaoError
    from .. import messages

    if isinstance(exc, SourceError):
        return "Thông báo còn lỗi, chưa ban hành được: " + "; ".join(messages.full(p) for p in exc.problems[:5])
    if isinstance(exc, ThongbaoError):
        text = str(exc.message)
        if "--reason" in text:
            return ("Văn bản đã ban hành trước đây và nay đã thay đổi: đây là một lần đính chính, "
                    "hãy ghi lý do đính chính rồi ban hành lại.")
        return f"Không ban hành được: {text}"
    return "Không ban hành được; chi tiết đã ghi vào nhật ký máy chủ."


def _document_for(workspace, symbol: str, path):
    try:
        with Register(workspace.archive(), create=False) as reg:
            for doc in reg.by_source_path(str(path.resolve())):
                if doc.symbol == symbol:
                    return doc
            return next((d for d in reg.documents() if d.symbol == symbol), None)
    except ArchiveError:
        return None


def filed(doc_id: int, version: int):
    """(document, version folder, manifest) of a filed version; 404 if there is none."""
    archive = ws().archive()
    try:
        with Register(archive, create=False) as reg:
            doc = reg.document(doc_id)
            versions = [v.version for v in reg.versions(doc_id)]
    except (ArchiveError, KeyError, LookupError, TypeError):
        abort(404)
    if version not in versions:
        abort(404)
    folder = archive / DOCUMENTS / doc.folder / f"v{version}"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise WebError("Không đọc được hồ sơ lưu của phiên bản này; hãy chạy 'Kiểm tra lưu trữ'.", 500) from None
    return doc, folder, manifest


@bp.route("/documents/<int:doc_id>/v<int:version>/docx")
def download_docx(doc_id: int, version: int):
    _, folder, manifest = filed(doc_id, version)
    name = next(f["name"] for f in manifest["files"] if f["role"] == "notice")
    return send_file(folder / name, as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.route("/documents/<int:doc_id>/v<int:version>/extracts.zip")
def download_extracts(doc_id: int, version: int):
    _, folder, manifest = filed(doc_id, version)
    extracts = [f for f in manifest["files"] if f["role"] == "extract"]
    if not extracts:
        raise WebError("Phiên bản này không có bản trích gửi đơn vị (không có danh mục đơn vị khi ban hành).", 404)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in extracts:
            info = zipfile.ZipInfo(f.get("sent_as") or f["name"], date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, (folder / f["name"]).read_bytes())
    buf.seek(0)
    stem = next(f["name"] for f in manifest["files"] if f["role"] == "notice").removesuffix(".docx")
    return send_file(buf, as_attachment=True, download_name=f"{stem}.trich-gui.zip", mimetype="application/zip")


@bp.route("/documents/<int:doc_id>/v<int:version>/pdf", methods=["POST"])
def make_pdf(doc_id: int, version: int):
    """The filed .docx as PDF (made on demand in the work folder; the archive is never written)."""
    doc, folder, manifest = filed(doc_id, version)
    name = next(f["name"] for f in manifest["files"] if f["role"] == "notice")
    target = ws().work / "pdf" / f"{doc.folder}-v{version}.pdf"

    def run(progress):
        progress(0.2, "Đang chuyển sang PDF bằng LibreOffice...")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            preview_mod.docx_pdf(folder / name, target, doc.style)
        return {"path": str(target), "name": name.removesuffix(".docx") + ".pdf"}

    job = jobs().start("pdf", owner(), run)
    return jsonify(job.public())
