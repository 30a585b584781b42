"""Turning a report's HTML into a file: a self-contained HTML document, or a PDF drawn by WeasyPrint.

WeasyPrint lays the HTML and its print stylesheet out with Pango and the system's fonts (DejaVu for
Latin, Cyrillic and Arabic script, WenQuanYi Zen Hei for Chinese), so a name prints in its own
script. It fetches nothing: every URL in a report is refused, and the stylesheet is read from disk.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

PRINT_CSS = "reports/css/print.css"
SVG_CSS = "reports/css/svg.css"


@cache
def _static_text(name: str) -> str:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found if isinstance(found, str) else found[0]).read_text(encoding="utf-8")


def print_css() -> str:
    return _static_text(PRINT_CSS)


def svg_with_style(svg: SafeString) -> SafeString:
    """The SVG with the charts' stylesheet inside it: WeasyPrint styles an SVG only from its own <style>.
    For files that leave vigil; pages vigil serves link the stylesheet instead."""
    head, sep, rest = str(svg).partition(">")
    if not sep or not head.startswith("<svg"):
        return svg
    return mark_safe(f"{head}><style>{_static_text(SVG_CSS)}</style>{rest}")  # our own stylesheet, inside our own SVG


def standalone_html(template: str, context: dict[str, Any]) -> str:
    """The report as one HTML file with its stylesheet inside (it is downloaded, not served by vigil)."""
    return render_to_string(template, {**context, "standalone": True, "inline_css": mark_safe(print_css())})


def html_to_pdf(html: str) -> bytes:
    """The PDF of a standalone report."""
    # WeasyPrint loads Pango (a system library) on import: only the PDF download needs it.
    import weasyprint  # noqa: PLC0415

    class RefuseAll(weasyprint.URLFetcher):
        # A report loads nothing: no fonts from the web, no image a user's text might point to.
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"reports load nothing: {url!r} refused")

    pdf = weasyprint.HTML(string=html, url_fetcher=RefuseAll(fail_on_errors=False), base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
