"""Who may do what: no login on 127.0.0.1, accounts in LAN mode; CSRF on every POST.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Strict, Secure when
served over HTTPS). Every POST must carry the session's CSRF token, as the
form field ``csrf_token`` or the header ``X-CSRF-Token``; a request without it
is refused (403) before any view runs.
"""

from __future__ import annotations

import hmac
import secrets
from functools import wraps

from flask import abort, current_app, g, redirect, request, session, url_for

from .accounts import User, check_password, load_users
from .settings import Settings

LOCAL_USER = User("máy này", "issue", "")
OPEN_ENDPOINTS = {"auth.login", "static"}


class Accounts:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.required = not settings.local
        self.path = settings.users_path()

    def users(self) -> dict[str, User]:
        return load_users(self.path)

    def check(self, name: str, password: str) -> User | None:
        user = self.users().get(name)
        if user is None:
            check_password(password, "scrypt$16384$8$1$00$00")  # the same work for unknown names
            return None
        return user if check_password(password, user.password_hash) else None


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def before_request():
    accounts: Accounts = current_app.extensions["thongbao"]["users"]
    if accounts.required:
        name = session.get("user")
        user = accounts.users().get(name) if name else None
        g.user = user
        if user is None and request.endpoint not in OPEN_ENDPOINTS:
            if request.method == "POST" or request.path.endswith("/validate"):
                abort(403)
            return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
    else:
        g.user = LOCAL_USER
    if request.method == "POST":
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
        expected = session.get("csrf", "")
        if not expected or not sent or not hmac.compare_digest(sent, expected):
            from .workspace import WebError

            raise WebError("Yêu cầu bị từ chối: thiếu mã bảo vệ biểu mẫu (CSRF) hoặc phiên làm việc đã hết hạn. "
                           "Hãy tải lại trang rồi làm lại.", 403)
    return None


def may_issue(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not g.user or not g.user.may_issue:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def template_globals() -> dict:
    return {"csrf_token": csrf_token, "user": getattr(g, "user", None),
            "login_required": current_app.extensions["thongbao"]["users"].required}
