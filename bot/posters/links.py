"""Deep links into the bot: what a poster's QR code opens."""

from __future__ import annotations

import segno

# /start payloads the front desk understands (bot/companies/front.py).
STATION_PREFIX = "st-"
SERVICE_PREFIX = "svc-"


def station_link(username: str, station_id: str) -> str:
    """Opens the bot at the station: registration with the station chosen, or its card."""
    return f"https://t.me/{username}?start={STATION_PREFIX}{station_id}"


def service_link(username: str, service_id: str) -> str:
    """Opens the bot on the service's card."""
    return f"https://t.me/{username}?start={SERVICE_PREFIX}{service_id}"


def qr_matrix(link: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules, dark as True, without the quiet zone.

    Error correction Q (a quarter of the code may be lost): posters get scuffed, folded and
    photographed at an angle.
    """
    code = segno.make_qr(link, error="q", boost_error=False)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix)


def qr_png(link: str, *, scale: int = 16) -> bytes:
    """The QR code alone as a PNG (black on white, four modules of quiet zone)."""
    import io

    out = io.BytesIO()
    segno.make_qr(link, error="q", boost_error=False).save(out, kind="png", scale=scale,
                                                          border=4)
    return out.getvalue()
