"""Notices: list and search, new (blank, copy, upload), the editor, validate, save, preview."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from ...profile import PROFILES
from .. import preview as preview_mod
from .. import sources

bp = Blueprint("notices", __name__)


def ws():
    return current_app.extensions["thongbao"]["workspace"]


def jobs():
    return current_app.extensions["thongbao"]["jobs"]


def owner() -> str:
    from flask import session

    from ..security import csrf_token

    return session.get("user") or csrf_token()


@bp.route("/")
def index():
    return redirect(url_for("notices.list_notices"))


@bp.route("/notices")
def list_notices():
    q = request.args.get("q", "").strip()[:200]
    return render_template("notices.html", rows=ws().list_notices(q), q=q, today=ws().today())


@bp.route("/notices/new", methods=["GET", "POST"])
def new():
    if request.method == "POST":
        presets = ws().presets()
        chosen = request.form.get("preset", "")
        preset = presets[int(chosen)] if chosen.isdigit() and int(chosen) < len(presets) else None
        rel = ws().create_blank(request.form.get("style", "party"), preset)
        return redirect(url_for("notices.edit", rel=rel))
    return render_template("new.html", presets=ws().presets(), rows=ws().list_notices(),
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))


@bp.route("/notices/copy", methods=["POST"])
def copy():
    rel = ws().create_copy(request.form.get("source", ""))
    return redirect(url_for("notices.edit", rel=rel))


@bp.route("/notices/upload", methods=["POST"])
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        from ..workspace import WebError

        raise WebError("Chưa chọn tệp để tải lên.")
    rel, _ = ws().upload(file.filename, file.read())
    return redirect(url_for("notices.edit", rel=rel))


@bp.route("/edit/<path:rel>")
def edit(rel: str):
    data, version = ws().editor_data(rel)
    notes = ws().notes(rel)
    imported = ws().import_report(rel)      # once, right after an upload of a Word draft
    profiles = {name: {"file_copy": p.file_copy_example, "authority": list(p.authority_forms)}
                for name, p in PROFILES.items()}
    current_app.extensions["thongbao"]["pdf"].warm()   # a preview is likely soon: start LibreOffice now
    return render_template("editor.html", rel=rel, data=data, version=version, units=ws().unit_names(rel),
                           presets=ws().presets(), profiles=profiles, check=ws().check(rel, data),
                           notes=notes, imported=imported)


def _payload() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        from ..workspace import WebError

        raise WebError("Dữ liệu gửi lên không đúng dạng.")
    return body


@bp.route("/validate", methods=["POST"])
def validate():
    body = _payload()
    rel = body.get("id") or None
    if rel:
        ws().resolve(rel)
    return jsonify(ws().check(rel, body["data"]))


@bp.route("/save/<path:rel>", methods=["POST"])
def save(rel: str):
    body = _payload()
    struck = {int(n) for n in body.get("struck") or [] if str(n).isdigit()}
    version, result = ws().save(rel, body["data"], str(body.get("version", "")), struck)
    result["notes"] = ws().notes(rel)
    result["version"] = version
    result["saved"] = True
    result["deadlines"] = ws().deadlines_read(body["data"])
    return jsonify(result)


@bp.route("/source/<path:rel>")
def source(rel: str):
    path, _ = ws().read(rel)
    return send_file(path, mimetype="text/plain; charset=utf-8", as_attachment=False)


@bp.route("/preview/<path:rel>", methods=["POST"])
def preview(rel: str):
    """Start the preview of the saved source (the editor saves first)."""
    path, data = ws().read(rel)
    workspace = ws()
    converter = current_app.extensions["thongbao"]["pdf"]
    job = jobs().start("preview", owner(), lambda progress: preview_mod.make_preview(
        data, path.name, workspace.work, progress, workspace.next_number, converter), _describe)
    return jsonify(job.public())


@bp.route("/preview/<path:rel>")
def preview_page(rel: str):
    ws().read(rel)
    return render_template("preview.html", rel=rel)


def _describe(exc: BaseException) -> str:
    from ...errors import ConversionError, SourceError
    from .. import messages

    if isinstance(exc, SourceError):
        return "Thông báo còn lỗi, chưa xem trước được: " + "; ".join(messages.full(p) for p in exc.problems[:5])
    if isinstance(exc, ConversionError):
        return f"Không tạo được PDF bằng LibreOffice: {exc.message}"
    return "Không xem trước được; chi tiết đã ghi vào nhật ký máy chủ."


@bp.route("/jobs/<job_id>")
def job_status(job_id: str):
    job = jobs().get(job_id, owner())
    if job is None:
        abort(404)
    out = job.public()
    result = job.result
    if job.state == "xong" and isinstance(result, preview_mod.Preview):
        out["pages"] = [url_for("notices.preview_file", job_id=job.id, name=n) for n in result.pages]
        out["pdf"] = url_for("notices.preview_file", job_id=job.id, name="thong-bao.pdf")
        out["findings"] = result.findings
        out["warnings"] = result.warnings
    if job.state == "xong" and isinstance(result, dict):
        out.update({k: v for k, v in result.items() if k != "path"})
        if result.get("path"):
            out["download"] = url_for("notices.job_file", job_id=job.id)
    return jsonify(out)


@bp.route("/jobs/<job_id>/file")
def job_file(job_id: str):
    job = jobs().get(job_id, owner())
    if job is None or job.state != "xong" or not isinstance(job.result, dict) or not job.result.get("path"):
        abort(404)
    return send_file(job.result["path"], as_attachment=True, download_name=job.result.get("name"))


@bp.route("/preview-files/<job_id>/<name>")
def preview_file(job_id: str, name: str):
    job = jobs().get(job_id, owner())
    if job is None or not isinstance(job.result, preview_mod.Preview):
        abort(404)
    allowed = set(job.result.pages) | {"thong-bao.pdf"}
    if name not in allowed:
        abort(404)
    return send_file(job.result.folder / name, max_age=0)


__all__ = ["bp", "g", "sources"]
