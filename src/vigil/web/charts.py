"""Charts drawn on the server as SVG: no chart library, no script, readable without JavaScript.

Every chart is shown with its numbers as a table too (and as CSV on the dashboard).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart(data: Sequence[tuple[str, int]], *, title: str, horizontal: bool = False, width: int = 640) -> SafeString:
    """A bar chart of (label, value) pairs. Horizontal bars for categories, vertical for time series."""
    if not data:
        return mark_safe(f'<p class="muted">{escape(title)}: —</p>')
    peak = max(v for _l, v in data) or 1
    parts: list[str] = []
    if horizontal:
        row, label_w = 22, 200
        height = row * len(data) + 10
        for i, (label, value) in enumerate(data):
            y = 5 + i * row
            w = (width - label_w - 60) * value / peak
            parts.append(
                f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label[:32])}</text>'
                f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" class="bar"><title>{escape(label)}: {value}</title></rect>'
                f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{value}</text>'
            )
    else:
        height, base, left = 220, 190, 40
        step = (width - left - 10) / len(data)
        bar_w = max(1.0, step * 0.8)
        parts.append(f'<text x="{left - 4}" y="14" text-anchor="end">{peak}</text><line x1="{left}" y1="{base}" x2="{width - 5}" y2="{base}" class="axis"/>')
        every = max(1, len(data) // 12)
        for i, (label, value) in enumerate(data):
            h = (base - 10) * value / peak
            x = left + i * step
            parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" class="bar"><title>{escape(label)}: {value}</title></rect>')
            if i % every == 0:
                parts.append(f'<text x="{x:.1f}" y="{base + 16}">{escape(label)}</text>')
    svg = (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # every text inside was escaped above
