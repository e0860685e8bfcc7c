"""All docx, docxtpl and XML work of the package lives in this sub-package."""

from .render import render_plan

__all__ = ["render_plan"]
