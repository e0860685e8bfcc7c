"""The templates a clerk can use: the built-in ones and their own.

A user's templates are the .docx files in the folders named by the
THONGBAO_TEMPLATES setting (several separated by the system's path separator),
else in ~/.config/thongbao/templates (or $XDG_CONFIG_HOME/thongbao/templates).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .context import CONTEXT_KEYS
from .docx.template_check import inspect_template
from .profile import PROFILES, TEMPLATES_DIR

ENV_TEMPLATES = "THONGBAO_TEMPLATES"


@dataclass
class Listed:
    origin: str              # "built-in" or "user"
    name: str                # file name without .docx
    style: str | None        # the rulebook the template's heading shows
    path: Path
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def user_folders(folders: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """Where the user's templates are: ``folders``, else the setting, else the config folder."""
    if folders:
        return [Path(f) for f in folders]
    setting = os.environ.get(ENV_TEMPLATES, "")
    if setting:
        return [Path(p).expanduser() for p in setting.split(os.pathsep) if p]
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [config / "thongbao" / "templates"]


def list_templates(folders: list[Path] | tuple[Path, ...] = ()) -> list[Listed]:
    """Every built-in and user template, each checked against the template contract."""
    out = []
    for profile in PROFILES.values():
        path = TEMPLATES_DIR / profile.template
        info = inspect_template(path, CONTEXT_KEYS)
        out.append(Listed("built-in", path.stem, profile.name, path, info.problems))
    for folder in user_folders(folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.docx")):
            if path.name.startswith(("~$", ".")):
                continue  # Word's lock files, hidden files
            info = inspect_template(path, CONTEXT_KEYS)
            out.append(Listed("user", path.stem, info.style, path, info.problems))
    return out
