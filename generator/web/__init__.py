"""``thongbao serve``: the secretariat's web workspace, in Vietnamese, over the same library and files.

``create_app(settings)`` builds the Flask application (tests build their own
on a temporary folder). Blueprints by concern: notices (list, new, upload,
editor, validate, save, preview), issue (issue, downloads), tasks (the board),
register (register, history, diff, verify), auth (login in LAN mode). The web
layer calls the library the CLI calls; it never validates or renders itself.
"""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request, session
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .. import i18n
from ..errors import ThongbaoError
from . import messages, security
from .jobs import Jobs
from .preview import Converter
from .settings import Settings
from .workspace import WebError, Workspace

log = logging.getLogger("thongbao.web")

# The pages are written in Vietnamese; the library's messages shown on them (validation, check,
# errors) come from the shared catalog in the same language, whatever the server's locale.
LANGUAGE = "vi"


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_NAME="thongbao_session",
        TEMPLATES_AUTO_RELOAD=False,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["thongbao"] = {
        "settings": settings,
        "workspace": Workspace(settings),
        "jobs": Jobs(settings.jobs),
        "users": security.Accounts(settings),
        "pdf": Converter(settings.warm_pdf),
    }

    from .views import auth, issue, notices, register, tasks

    for bp in (auth.bp, notices.bp, issue.bp, tasks.bp, register.bp):
        app.register_blueprint(bp)

    @app.before_request
    def language():
        g.language_token = i18n.choose(LANGUAGE)

    @app.teardown_request
    def language_done(exc):
        token = g.pop("language_token", None)
        if token is not None:
            try:
                i18n.reset(token)
            except ValueError:  # the request ended in another context; its thread's choice goes with it
                pass

    app.before_request(security.before_request)
    app.context_processor(security.template_globals)
    app.jinja_env.filters["ngay"] = lambda d: f"{d:%d/%m/%Y}" if d else ""
    app.jinja_env.filters["luc"] = messages.moment

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
        return response

    def wants_json() -> bool:
        return request.is_json or request.accept_mimetypes.best == "application/json" \
            or request.path.endswith("/validate")

    def page(message: str, status: int):
        if wants_json():
            return {"ok": False, "error": message}, status
        return render_template("error.html", message=message, status=status), status

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        mb = settings.max_upload // (1024 * 1024)
        return page(f"Tệp tải lên quá lớn: chỉ nhận tệp đến {mb} MB.", 413)

    @app.errorhandler(WebError)
    def refused(exc: WebError):
        return page(str(exc.message), exc.status)

    @app.errorhandler(ThongbaoError)
    def library_error(exc: ThongbaoError):
        log.info("refused: %s", exc.message)
        return page(f"Không thực hiện được: {exc.message}", 400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        texts = {404: "Không tìm thấy trang này.", 405: "Thao tác này không được phép theo cách đó.",
                 400: "Yêu cầu không hợp lệ.", 403: "Anh/chị không có quyền làm việc này."}
        return page(texts.get(exc.code or 500, "Yêu cầu không thực hiện được."), exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return page("Có lỗi ngoài dự kiến; chi tiết đã được ghi vào nhật ký máy chủ. Hãy thử lại hoặc báo "
                    "người quản trị.", 500)

    return app


def shutdown(app: Flask) -> None:
    """Stop the background workers and the LibreOffice kept for previews."""
    app.extensions["thongbao"]["jobs"].shutdown()
    app.extensions["thongbao"]["pdf"].close()


def ext(name: str):
    from flask import current_app

    return current_app.extensions["thongbao"][name]


__all__ = ["Settings", "create_app", "ext", "g", "session", "shutdown"]
