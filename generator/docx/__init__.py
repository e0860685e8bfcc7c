"""All docx, docxtpl and XML work of the package lives in this sub-package."""

__all__ = ["render_plan"]


def __getattr__(name: str):
    # Imported when first used: reading generator.docx.package (the zip writer)
    # does not load docxtpl, python-docx and Jinja.
    if name == "render_plan":
        from .render import render_plan

        return render_plan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
