"""QR codes of places' short URLs, drawn by segno: SVG for print and the web, PNG for kiosks and
apps that want a bitmap.

Error correction Q (a quarter of the code may be dirty or scratched) because the codes hang
outdoors; segno raises it further when the URL fits the same size anyway.
"""

import io

import segno

ERROR_CORRECTION = "q"
QUIET_ZONE_MODULES = 4  # the blank margin scanners need, as the QR standard asks
PNG_SCALE = 10  # pixels per module: about 370 px for our short URLs, sharp on any screen


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def qr_svg(url: str, *, title: str = "") -> bytes:
    """A standalone SVG document, one unit per module, which scales to any size without blurring."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="svg", scale=1, border=QUIET_ZONE_MODULES, title=title or url, omitsize=False)
    return buffer.getvalue()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=PNG_SCALE, border=QUIET_ZONE_MODULES)
    return buffer.getvalue()


def qr_modules(url: str) -> tuple[int, str]:
    """(modules per side including the quiet zone, SVG path data in module units) for drawing the
    code inside another SVG (a print sheet)."""
    code = _code(url)
    size = code.symbol_size(scale=1, border=QUIET_ZONE_MODULES)[0]
    # One horizontal run per row of dark modules: the same path segno writes, built from its matrix.
    runs = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_ZONE_MODULES} {y + QUIET_ZONE_MODULES}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return size, "".join(runs)
