"""Login and logout (LAN mode only; on 127.0.0.1 nobody logs in)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    accounts = current_app.extensions["thongbao"]["users"]
    if not accounts.required:
        return redirect(url_for("notices.index"))
    error = ""
    if request.method == "POST":
        user = accounts.check(request.form.get("name", ""), request.form.get("password", ""))
        if user:
            csrf = session.get("csrf")
            session.clear()
            session["user"] = user.name
            if csrf:
                session["csrf"] = csrf
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("notices.index"))
        error = "Tên đăng nhập hoặc mật khẩu không đúng."
    return render_template("login.html", error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login"))
