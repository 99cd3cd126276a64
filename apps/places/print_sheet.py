"""The print sheet editors hand to the sign maker: one label per place (a trail's markers, a river's
guide points), two per A4 page, each with the place's QR code, number, names, the group it belongs
to and the code in plain text (so a pasted-over sticker is noticed and the code can be typed).

Sizes are millimetres, so the file prints true to size at 100 %. The QR symbol is 10 cm wide
because the usual rule for QR codes is a scanning distance of about ten times the code's width
(1 m → 10 cm); with the blank margin scanners need it takes about 12.8 cm of the label.
Pages follow one another every 297 mm in the one SVG file.
"""

from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.places.qr import qr_modules

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
LABEL_H_MM = PAGE_H_MM / 2
QR_SYMBOL_MM = 100.0
MARGIN_MM = 8.0
FONT = "system-ui, 'Apple SD Gothic Neo', 'Noto Sans KR', 'Malgun Gothic', sans-serif"


def _width_em(text: str) -> float:
    """Rough width of a text in ems: Hangul and other wide letters take a full em, the rest about half."""
    return sum(1.0 if ord(character) > 0x2E80 else 0.55 for character in text)


def _wrapped(text: str, *, x: float, y: float, size: float, width_mm: float, weight: str = "400") -> tuple[str, float]:
    """The text as <text> lines no wider than width_mm (broken at spaces), and the y below them."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and _width_em(candidate) * size > width_mm:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    markup = "".join(
        f'<text x="{x:.1f}" y="{y + line * size * 1.25:.1f}" font-size="{size}" font-weight="{weight}">'
        f"{escape(content)}</text>"
        for line, content in enumerate(lines)
    )
    return markup, y + len(lines) * size * 1.25


def _label(index: int, *, number: int, name_ko: str, name_en: str, code: str, url: str, group: str) -> str:
    top = index * LABEL_H_MM
    modules, path = qr_modules(url)
    module_mm = QR_SYMBOL_MM / (modules - 8)  # modules counts the four-module quiet zone on each side
    qr_mm = modules * module_mm
    qr_top = top + (LABEL_H_MM - qr_mm) / 2
    text_x = MARGIN_MM + qr_mm + 4
    width = PAGE_W_MM - text_x - MARGIN_MM
    lines = [f'<text x="{text_x:.1f}" y="{top + 40:.1f}" font-size="28" font-weight="700">{number}</text>']
    y = top + 52
    for text, size, weight in ((name_ko, 6.0, "700"), (name_en, 4.5, "400"), (group, 4.0, "400")):
        markup, y = _wrapped(text, x=text_x, y=y, size=size, width_mm=width, weight=weight)
        lines.append(markup)
        y += 2
    lines.append(
        f'<text x="{text_x:.1f}" y="{top + 112:.1f}" font-size="9" font-weight="700" letter-spacing="1">{code}</text>'
    )
    lines.append(f'<text x="{text_x:.1f}" y="{top + 120:.1f}" font-size="2.8">{escape(url)}</text>')
    return (
        f'<g aria-label="{escape(_("Marker %(number)s") % {"number": number})}">'
        f'<rect x="0" y="{top:.1f}" width="{PAGE_W_MM}" height="{LABEL_H_MM}" fill="none" stroke="#bbb" '
        'stroke-width="0.2" stroke-dasharray="2 2"/>'
        f'<svg x="{MARGIN_MM}" y="{qr_top:.1f}" width="{qr_mm:.2f}" height="{qr_mm:.2f}" '
        f'viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges">'
        f'<rect width="{modules}" height="{modules}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
        + "".join(lines)
        + "</g>"
    )


def print_sheet_svg(*, title: str, group: str, labels: list[dict]) -> str:
    """labels: dicts with number, name_ko, name_en, code and url (the code's absolute address); group:
    the trail or river every label names; title: the file's title."""
    pages = max((len(labels) + 1) // 2, 1)
    height = pages * PAGE_H_MM
    body = "".join(_label(index, group=group, **label) for index, label in enumerate(labels))
    title = escape(title)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W_MM}mm" height="{height}mm" '
        f'viewBox="0 0 {PAGE_W_MM} {height}" font-family="{FONT}" fill="#000">'
        f"<title>{title}</title>{body}</svg>"
    )
