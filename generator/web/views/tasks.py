"""The tasks board by unit: overdue in red, due this week, received; mark received; export."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, redirect, render_template, request, send_file, url_for

from ... import dates
from ...exports import tasks_csv, tasks_xlsx
from ..workspace import WebError
from .notices import ws

bp = Blueprint("tasks", __name__)
VIEWS = {"all": "Tất cả", "overdue": "Quá hạn", "week": "Đến hạn trong 7 ngày", "open": "Chưa báo cáo",
         "received": "Đã báo cáo"}


def _filtered():
    unit = request.args.get("unit", "").strip() or None
    notice = request.args.get("notice", "").strip() or None
    view = request.args.get("view", "all")
    view = view if view in VIEWS else "all"
    board = ws().board_rows(unit, notice)
    today = ws().today()
    week = today + dt.timedelta(days=7)

    def keep(r) -> bool:
        if view == "overdue":
            return board.kind(r, today, week) == "overdue"
        if view == "week":
            return board.kind(r, today, week) == "soon"
        if view == "open":
            return r.received is None
        if view == "received":
            return r.received is not None
        return True

    rows = [r for r in board.rows if keep(r)]
    return board, rows, unit, notice, view, today, week


@bp.route("/tasks")
def board():
    board, rows, unit, notice, view, today, week = _filtered()
    groups: list[tuple[object, list]] = []
    for r in rows:
        if not groups or groups[-1][0] != r.assignment.unit:
            groups.append((r.assignment.unit, []))
        groups[-1][1].append(r)
    notices = sorted({r.assignment.notice for r in board.rows})
    units = list(board.directory.units) if board.directory else []
    return render_template("tasks.html", groups=groups, count=len(rows), unit=unit or "", notice=notice or "",
                           view=view, views=VIEWS, today=today, week=week, notices=notices, units=units,
                           skipped=board.skipped, args=request.args, kind=board.kind)


@bp.route("/tasks/received", methods=["POST"])
def received():
    f = request.form
    try:
        on = dates.parse_date(f.get("on", "").strip()) if f.get("on", "").strip() else ws().today()
    except ValueError:
        raise WebError(f"Ngày nhận báo cáo '{f.get('on', '')[:20]}' không phải là một ngày có thật "
                       "(ngày/tháng/năm).") from None
    note = " ".join(f.get("note", "").split())[:300]
    ws().mark_received(f.get("notice", ""), f.get("unit", ""), f.get("task", ""), on, note)
    back = {k: f.get(f"back_{k}", "") for k in ("unit", "notice", "view")}
    return redirect(url_for("tasks.board", **{k: v for k, v in back.items() if v}))


@bp.route("/tasks/export.<kind>")
def export(kind: str):
    _, rows, *_ = _filtered()
    items = [r.assignment for r in rows]
    if kind == "csv":
        data, mime = tasks_csv(items), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        data, mime = tasks_xlsx(items, ws().today()), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise WebError("Chỉ xuất được CSV hoặc XLSX.", 404)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=f"nhiem-vu.{kind}", mimetype=mime)
