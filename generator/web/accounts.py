"""Accounts for LAN mode: ``thongbao users add NAME``; passwords hashed with scrypt.

The file is JSON, one entry per user: the role (``issue``: may issue; ``draft``:
may only draft) and the password hash ``scrypt$n$r$p$salt$hash`` (hex). No
password is ever stored or logged in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..errors import ThongbaoError
from ..output import write_atomic

ROLES = ("issue", "draft")
_N, _R, _P = 2 ** 14, 8, 1
NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str

    @property
    def may_issue(self) -> bool:
        return self.role == "issue"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def load_users(path: Path) -> dict[str, User]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {name: User(name, entry["role"], entry["password"]) for name, entry in data["users"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ThongbaoError(f"{path}: found a file that is not a thongbao accounts file, "
                            "expected the file 'thongbao users add' writes") from None


def save_users(path: Path, users: dict[str, User]) -> None:
    data = {"users": {u.name: {"role": u.role, "password": u.password_hash} for u in users.values()}}
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    try:
        path.chmod(0o600)
    except OSError:
        pass


def add_user(path: Path, name: str, password: str, role: str = "draft") -> User:
    if not NAME.match(name):
        raise ThongbaoError(f"NAME: found '{name}', expected letters, digits, '.', '_' or '-' (at most 40)")
    if role not in ROLES:
        raise ThongbaoError(f"--role: found '{role}', expected one of: {', '.join(ROLES)}")
    if len(password) < 8:
        raise ThongbaoError("password: found fewer than 8 characters, expected at least 8")
    users = load_users(path)
    users[name] = User(name, role, hash_password(password))
    save_users(path, users)
    return users[name]


def remove_user(path: Path, name: str) -> None:
    users = load_users(path)
    if name not in users:
        raise ThongbaoError(f"NAME: found '{name}', expected one of: {', '.join(sorted(users)) or 'no accounts'}")
    del users[name]
    save_users(path, users)
