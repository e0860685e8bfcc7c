"""The web workspace's service layer: what the pages do, through the library's own functions.

Every notice is a file under the notices folder, named in URLs by its path
relative to that folder ("2023/103-TB-BCD.yaml"); ``resolve`` refuses anything
that would leave the folder. Validation, rendering, issuing, tracking and the
archive are the library's (api, distribute, tracking, archive); this module
only gathers what a page shows.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import api, dates, markup
from ..errors import Problem, SourceError, ThongbaoError
from ..i18n import _
from ..names import ascii_fold
from ..output import write_atomic
from . import imports, messages, sources
from .settings import Settings

SOURCE_SUFFIXES = (".yaml", ".yml")
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,80}$")


class WebError(ThongbaoError):
    """A request the workspace refuses; the message is Vietnamese and shown as it is."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class Conflict(WebError):
    def __init__(self, message: str):
        super().__init__(message, 409)


def safe_name(name: str, default: str = "tep") -> str:
    """A file name from a request as safe ASCII, like extract names: no path, no reserved name."""
    stem = PurePosixPath(name.replace("\\", "/")).name
    stem = re.sub(r"[^A-Za-z0-9.\-]+", "-", ascii_fold(stem)).strip("-.")
    stem = re.sub(r"\.{2,}", ".", stem)[:80] or default
    if re.match(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)", stem, re.IGNORECASE):
        stem = f"u-{stem}"
    return stem


@dataclass
class NoticeRow:
    id: str
    number: str
    date: dt.date | None
    subject: str
    style: str
    state: str               # "nháp" or "đã ban hành"
    valid: bool
    overdue: int = 0
    tasks: int = 0
    problems: int = 0
    symbol: str = ""
    documents: list = field(default_factory=list)


class Workspace:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.notices = Path(settings.notices).resolve()
        self.lock = threading.RLock()   # saves, uploads and received.csv: one writer at a time
        self._cache: dict = {}
        self._folder = None               # (stamp, tracking.Folder, skipped drafts) of the last board
        self._reports: dict[str, imports.Imported] = {}   # uploads not yet shown in the editor
        work = Path(settings.work_dir) if settings.work_dir else Path(tempfile.mkdtemp(prefix="thongbao-web-"))
        work.mkdir(parents=True, exist_ok=True)
        self.work = work.resolve()

    # -- reading, remembered while a file does not change ------------------------------------------------------
    def _memo(self, kind: str, path: Path, fn, *also: Path):
        """``fn()`` for ``path`` (and the files ``also``), kept while none of them changes (size, mtime)."""
        stamps = []
        for p in (path, *also):
            try:
                st = p.stat()
                stamps.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                stamps.append((str(p), None, None))
        key = (kind, tuple(stamps))
        hit = self._cache.get(key)
        if hit is None:
            try:
                hit = (True, fn())
            except ThongbaoError as exc:
                hit = (False, exc)
            with self.lock:
                if len(self._cache) > 2000:
                    self._cache.clear()
                self._cache[key] = hit
        ok, value = hit
        if not ok:
            raise value
        return value

    def load(self, path: Path):
        """The notice at ``path`` as ``issue`` reads it (no number needed)."""
        return self._memo("notice", path, lambda: api.load_notice(path, require_number=False))

    def directory(self, path: Path):
        from ..units import load_directory

        return self._memo("directory", path, lambda: load_directory(path))

    def shown_directory(self, path: Path):
        """The units directory at ``path``, named in messages as the clerk knows it (not by the server's path)."""
        import dataclasses

        try:
            where = path.resolve().relative_to(self.notices.resolve()).as_posix()
        except (OSError, ValueError):
            where = path.name
        return dataclasses.replace(self.directory(path), shown=_("the units directory ({file})").format(file=where))

    # -- places -------------------------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self.settings.today or dt.date.today()  # type: ignore[return-value]

    def archive(self) -> Path:
        return api.archive_dir(self.settings.archive, self.settings.config, near=self.notices)

    def units_file(self, rel: str | None = None) -> Path | None:
        """The units directory of the notice ``rel`` (the nearest units.yaml, as `validate` finds it)."""
        if self.settings.units:
            return Path(self.settings.units)
        from ..units import find_directory

        near = self.resolve(rel) if rel else self.notices / "units.yaml"
        return find_directory(near) or find_directory(self.notices / "units.yaml")

    def resolve(self, rel: str) -> Path:
        """The notice file named by ``rel``; refuses paths outside the notices folder."""
        parts = PurePosixPath(rel.replace("\\", "/")).parts
        if not parts or any(p in ("..", ".") or p.startswith(".") or not _SAFE_PART.match(p) for p in parts) \
                or not parts[-1].lower().endswith(SOURCE_SUFFIXES) or len(parts) > 4:
            raise WebError("Không tìm thấy thông báo này (đường dẫn không hợp lệ).", 404)
        path = (self.notices / Path(*parts)).resolve()
        if self.notices not in path.parents:
            raise WebError("Không tìm thấy thông báo này (đường dẫn không hợp lệ).", 404)
        return path

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.notices).as_posix()

    def read(self, rel: str) -> tuple[Path, bytes]:
        path = self.resolve(rel)
        try:
            return path, path.read_bytes()
        except FileNotFoundError:
            raise WebError("Không tìm thấy thông báo này: có thể tệp đã bị đổi tên hoặc xóa.", 404) from None

    # -- the notices ----------------------------------------------------------------------------------------
    def sources(self) -> list[Path]:
        from ..tracking import notice_sources

        if not self.notices.is_dir():
            return []
        return notice_sources(self.notices)

    def issued_documents(self) -> dict[str, list]:
        """Register rows by the source path they were issued from."""
        from ..archive.register import REGISTER_NAME, Register

        archive = self.archive()
        if not (archive / REGISTER_NAME).exists():
            return {}
        out: dict[str, list] = {}
        try:
            with Register(archive, create=False) as reg:
                for doc in reg.documents():
                    out.setdefault(doc.source_path, []).append(doc)
        except ThongbaoError:
            return {}
        return out

    def list_notices(self, query: str = "") -> list[NoticeRow]:
        from ..context import number_symbol

        issued = self.issued_documents()
        board = self.board_rows()
        overdue: dict[str, int] = {}
        counts: dict[str, int] = {}
        for r in board.rows:
            counts[r.assignment.notice] = counts.get(r.assignment.notice, 0) + 1
            if id(r.assignment) in board.overdue:
                overdue[r.assignment.notice] = overdue.get(r.assignment.notice, 0) + 1
        rows = []
        for path in self.sources():
            rel = self.rel(path)
            docs = issued.get(str(path.resolve()), [])
            try:
                notice = self.load(path).notice
                symbol = number_symbol(notice) if notice.number else (docs[-1].symbol if docs else "")
                row = NoticeRow(rel, symbol or "(chưa có số)", notice.date, notice.subject, notice.style,
                                "đã ban hành" if docs else "bản nháp", True, overdue.get(symbol, 0),
                                counts.get(symbol, 0), 0, symbol, docs)
            except SourceError as exc:
                data = self._form_or_empty(path)
                row = NoticeRow(rel, str(data.get("number") or "(chưa có số)"), _date_or_none(data.get("date")),
                                str(data.get("subject") or "(chưa có trích yếu)"), str(data.get("style") or ""),
                                "đã ban hành" if docs else "bản nháp", False, problems=len(exc.problems),
                                documents=docs)
            rows.append(row)
        if query:
            key = _search_key(query)
            rows = [r for r in rows if key in _search_key(f"{r.number} {r.subject} {r.id} {r.state}")]
        far = dt.date.min
        return sorted(rows, key=lambda r: (r.date or far, r.id), reverse=True)

    def _form_or_empty(self, path: Path) -> dict:
        try:
            return sources.form_data(path.read_bytes())
        except Exception:  # noqa: BLE001 - a file YAML cannot read still gets a row
            return {}

    def editor_data(self, rel: str) -> tuple[dict, str]:
        _, data = self.read(rel)
        try:
            return sources.form_data(data), sources.sha256(data)
        except Exception:  # noqa: BLE001 - unreadable YAML: the editor cannot show it as a form
            raise WebError("Tệp này không đọc được thành biểu mẫu (lỗi cú pháp YAML). "
                           "Hãy sửa tệp trong trình soạn thảo văn bản hoặc tải lên bản khác.", 422) from None

    # -- validate, save ---------------------------------------------------------------------------------------
    def check(self, rel: str | None, data: dict) -> dict:
        """Validate the form's data as saving would write it: problems by field, in Vietnamese."""
        if rel:
            self.resolve(rel)
        result = self.check_bytes(sources.check_bytes(data), rel or "thong-bao-moi.yaml", self.units_file(rel))
        result["deadlines"] = self.deadlines_read(data)
        return result

    def check_bytes(self, text: bytes, name: str, units: Path | None = None) -> dict:
        from ..distribute import load_with_directory

        problems: list[Problem] = []
        warnings: list[Problem] = []
        summary = ""
        with tempfile.TemporaryDirectory(dir=self.work) as tmp:
            path = Path(tmp) / PurePosixPath(name).name
            path.write_bytes(text)
            try:
                # As `issue` reads it: a draft without a number is fine, issuing gives the next one.
                loaded = load_with_directory(path, self.shown_directory(units), require_number=False) if units \
                    else api.load_notice(path, require_number=False)
                warnings = loaded.warnings
                n = loaded.notice
                summary = f"Hợp lệ: {len(n.conclusions)} kết luận, {len(n.tasks)} nhiệm vụ."
            except SourceError as exc:
                problems = exc.problems
            except ThongbaoError as exc:
                problems = [Problem(name, None, "", str(exc.message), _("a valid notice"))]
        return {"ok": not problems, "summary": summary,
                "problems": [messages.located(p) for p in problems],
                "warnings": [messages.located(p) for p in warnings]}

    def deadlines_read(self, data: dict) -> dict[str, str]:
        """For each task text of the form: the deadline read from it (the date shown beside it)."""
        try:
            notice_date = dates.parse_date(str(data.get("date", "")))
        except ValueError:
            notice_date = None
        out: dict[str, str] = {}

        def task(path: str, text, deadline=None) -> None:
            label = deadline_label(str(text or ""), str(deadline or ""), notice_date)
            if label:
                out[path] = label

        def item(path: str, it: dict) -> None:
            if not isinstance(it, dict):
                return
            if it.get("text"):
                task(f"{path}.text", it.get("text"), it.get("deadline"))
            for k, t in enumerate(it.get("tasks") or []):
                if isinstance(t, dict):
                    task(f"{path}.tasks[{k}]", t.get("text"), t.get("deadline"))
                else:
                    task(f"{path}.tasks[{k}]", t)
            for k, sub in enumerate(it.get("items") or []):
                item(f"{path}.items[{k}]", sub)

        for k, it in enumerate(data.get("conclusions") or []):
            item(f"conclusions[{k}]", it)
        for p, part in enumerate(data.get("parts") or []):
            for k, it in enumerate((part or {}).get("conclusions") or []):
                item(f"parts[{p}].conclusions[{k}]", it)
        return out

    def notes(self, rel: str) -> list[dict]:
        """The importer's ASSUMED / CHECK notes still in the source, in Vietnamese, by field."""
        _, data = self.read(rel)
        return [n.public() for n in imports.notes_in(data)]

    def save(self, rel: str, data: dict, version: str, struck: set[int] | None = None) -> tuple[str, dict]:
        """Write the form's data into the source; refuse if the file changed since ``version`` was read.

        ``struck``: the importer's notes (by ``id``) the clerk has looked at; their comments go."""
        with self.lock:
            path, current = self.read(rel)
            if sources.sha256(current) != version:
                raise Conflict("Thông báo này vừa được người khác lưu sau khi anh/chị mở nó. Để không ghi đè "
                               "lên thay đổi của họ, việc lưu đã bị dừng: hãy tải lại trang (thay đổi của "
                               "anh/chị sẽ mất) hoặc chép phần mình sửa ra trước.")
            text = sources.merged_bytes(imports.without_notes(current, struck or set()), data)
            if text != current:
                write_atomic(path, text)
        return sources.sha256(text), self.check(rel, data)

    def next_number(self, notice) -> int:
        """The number issuing would give ``notice`` now (for a draft's preview)."""
        from ..archive.numbering import series_for
        from ..archive.register import REGISTER_NAME, Register
        from ..config import load_config

        archive = self.archive()
        if not (archive / REGISTER_NAME).exists():
            return 1
        try:
            series = series_for(notice, load_config(self.settings.config, near=self.notices))
            with Register(archive, create=False) as reg:
                return reg.next_number(series)
        except ThongbaoError:
            return 1

    # -- new notices -------------------------------------------------------------------------------------------
    def _new_path(self, stem: str, year: int | None = None) -> Path:
        folder = self.notices / str(year or self.today().year)
        stem = safe_name(stem, "thong-bao").removesuffix(".yaml").removesuffix(".yml")
        for k in range(1, 1000):
            path = folder / (f"{stem}.yaml" if k == 1 else f"{stem}-{k}.yaml")
            if not path.exists():
                return path
        raise WebError("Không tạo được tên tệp mới.")

    def create_blank(self, style: str = "party", preset: dict | None = None) -> str:
        data: dict = {"style": style if style in ("party", "state") else "party"}
        for key, value in (preset or {}).items():
            if key in ("superior_body", "issuing_body", "body_code", "place", "signature", "style"):
                data[key] = value
        data["date"] = f"{self.today():%d/%m/%Y}"
        data["type_code"] = "TB"
        with self.lock:
            path = self._new_path(f"du-thao-{self.today():%Y%m%d}")
            write_atomic(path, _header_comment(self.today()) + sources.merged_bytes(b"", data))
        return self.rel(path)

    def create_copy(self, rel: str) -> str:
        path, original = self.read(rel)
        y, tree = sources.read_tree(original)
        if hasattr(tree, "pop"):
            tree.pop("number", None)
            tree["date"] = self.today()
        with self.lock:
            new = self._new_path(f"ban-sao-{path.stem}")
            write_atomic(new, sources.dump(y, tree))
        return self.rel(new)

    def upload(self, filename: str, data: bytes) -> tuple[str, imports.Imported | None]:
        """A .yaml source, or a Word draft through the importer, into the notices folder.

        Returns the new file's id and, for a Word draft, what the importer found (to tell the clerk)."""
        name = safe_name(filename)
        lower = name.lower()
        found = None
        year = None
        if lower.endswith(SOURCE_SUFFIXES):
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise WebError("Tệp tải lên không phải văn bản UTF-8: hãy lưu lại tệp .yaml với mã UTF-8.") from None
            try:
                sources.read_tree(data)
            except Exception:  # noqa: BLE001
                raise WebError("Tệp .yaml tải lên có lỗi cú pháp, không đọc được.") from None
            content = text.encode("utf-8")
            stem = name.rsplit(".", 1)[0]
        elif lower.endswith(imports.WORD_SUFFIXES + imports.CONVERTED_SUFFIXES):
            try:
                found = imports.from_word(data, name, self.work, self.units_file(), _shown(filename))
            except imports.UploadRefused as exc:
                raise WebError(str(exc.message), exc.status) from None
            content, stem, year = found.source, found.stem, found.year
        else:
            raise WebError(messages.UPLOAD["types"].format(name=filename[:60]), 415)
        with self.lock:
            path = self._new_path(stem, year)
            write_atomic(path, content)
            if found is not None:
                if len(self._reports) > 200:
                    self._reports.clear()
                self._reports[self.rel(path)] = found
        return self.rel(path), found

    def import_report(self, rel: str) -> imports.Imported | None:
        """What the importer found in the Word draft that became ``rel``: given once (the editor's first view)."""
        with self.lock:
            return self._reports.pop(rel, None)

    # -- presets and units ---------------------------------------------------------------------------------------
    def presets(self) -> list[dict]:
        """The bodies and signers of the notices already here, to fill a new header with one click."""
        seen: dict[str, dict] = {}
        for path in self.sources():
            try:
                notice = self.load(path).notice
            except ThongbaoError:
                continue
            key = f"{notice.style}|{' '.join(notice.issuing_body)}|{notice.signature.name}"
            seen[key] = {
                "label": f"{' '.join(notice.issuing_body)} — {notice.signature.name}",
                "style": notice.style, "superior_body": notice.superior_body or "",
                "issuing_body": list(notice.issuing_body), "body_code": notice.body_code, "place": notice.place,
                "signature": {"authority": _authority_lines(notice.signature),
                              "title": list(notice.signature.title), "name": notice.signature.name},
            }
        return sorted(seen.values(), key=lambda p: p["label"])

    def unit_names(self, rel: str | None = None) -> list[str]:
        path = self.units_file(rel)
        if not path:
            return []
        try:
            directory = self.directory(path)
        except ThongbaoError:
            return []
        names: list[str] = []
        for entity in (*directory.groups, *directory.units):
            names.extend((entity.name, *entity.aliases))
        return list(dict.fromkeys(names))

    # -- tasks board ------------------------------------------------------------------------------------------------
    def board_rows(self, unit: str | None = None, notice: str | None = None):
        """Every task of every valid notice, as `thongbao tasks` reads them (drafts with errors left out)."""
        from ..tracking import load_folder, same_notice, select

        if not self.notices.is_dir():
            return Board([], [], None, set())
        stamp = self._folder_stamp()
        cached = self._folder
        if cached is not None and cached[0] == stamp:
            folder, skipped = cached[1], cached[2]
        else:
            skipped: list[Path] = []
            try:
                folder = load_folder(self.notices, self.settings.units, skipped=skipped)
            except SourceError:                       # no units directory at all
                return Board([], [], None, set())
            self._folder = (stamp, folder, skipped)
        today = self.today()
        rows = select(folder, unit=unit or None, on=today)
        overdue = {id(r.assignment) for r in select(folder, unit=unit or None, overdue_on=today)}
        if notice:
            rows = [r for r in rows if same_notice(r.assignment.notice, notice)]
        return Board(rows, [self.rel(p) for p in skipped], folder.directory, overdue)

    def _folder_stamp(self) -> tuple:
        """Size and time of every file the board reads: sources, units files, received.csv."""
        files = sorted(p for p in self.notices.rglob("*") if p.suffix in (".yaml", ".yml", ".csv"))
        extra = [Path(self.settings.units)] if self.settings.units else []
        out = []
        for p in [*files, *extra]:
            try:
                st = p.stat()
                out.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(p), None, None))
        return tuple(out)

    def mark_received(self, notice: str, unit: str, task: str, on: dt.date, note: str) -> int:
        from ..tracking import record_received

        with self.lock:
            fresh, _ = record_received(self.notices, notice, unit, task, on, note, self.settings.units,
                                       skip_drafts=True)
        return len(fresh)


@dataclass
class Board:
    rows: list
    skipped: list[str]
    directory: object
    overdue: set            # id() of the assignments `tasks --overdue` lists today

    def kind(self, row, today: dt.date, week: dt.date) -> str:
        """The row's colour: overdue (red), due within the week, reported, or none."""
        if id(row.assignment) in self.overdue:
            return "overdue"
        if row.received is not None:
            return "done"
        due = row.assignment.due.due_on(today) if row.assignment.due is not None else row.assignment.deadline
        return "soon" if due is not None and today <= due <= week else ""


def deadline_label(text: str, deadline: str, notice_date: dt.date | None) -> str:
    """What the library reads as the task's deadline: "31/07/2023", "tháng 8/2023 (đến hết 31/08/2023)"."""
    from .. import deadlines

    if notice_date is None:
        notice_date = dt.date.today()
    found = None
    if deadline:
        found = deadlines.read(deadline, notice_date)
        if found is None:
            return "không đọc được thời hạn này"
    elif text.strip():
        try:
            found, _ = deadlines.find(markup.parse(" ".join(text.split())), notice_date)
        except markup.MarkupError:
            return ""
    if found is None:
        return ""
    label = found.label()
    if found.date is not None and label != f"{found.date:%d/%m/%Y}" and found.kind != "day":
        label += f" (đến hết {found.date:%d/%m/%Y})"
    return label


def _shown(filename: str) -> str:
    """The clerk's file name as it may be shown back (no folders, printable, short)."""
    name = unicodedata.normalize("NFC", PurePosixPath(filename.replace("\\", "/")).name)
    return "".join(c for c in name if c.isprintable())[:80] or "tệp"


def _authority_lines(signature) -> list[str]:
    value = signature.authority
    if not value:
        return []
    return list(value) if isinstance(value, tuple) else [value]


def _date_or_none(value) -> dt.date | None:
    try:
        return dates.parse_date(str(value)) if value else None
    except ValueError:
        return None


def _search_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", ascii_fold(unicodedata.normalize("NFC", text)).lower()).split())


def _header_comment(day: dt.date) -> bytes:
    return f"# Thông báo soạn trên thongbao serve, ngày {day:%d/%m/%Y}.\n".encode()
