"""QR codes drawn on the server as SVG (no script, nothing loaded from elsewhere)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str) -> SafeString:
    """``data`` as an inline SVG QR code."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    # SvgPathImage writes only <svg> and one <path> whose attributes are numbers: safe to inline.
    return mark_safe(svg.replace("<svg ", '<svg class="qr" role="img" aria-label="QR code" ', 1))
