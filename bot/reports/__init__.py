"""Reports: the bureau's numbers for a station and a period (docs/reports.md).

Lives here: reading the period and the station of /report, the metrics (counts from the
database's aggregates, working-hours times on each station's calendar), the headline
message, the workbook, the weekly chart, and the monthly report to the admins.
The Telegram side (who may ask, sending the three parts) is in ``handlers/reports``.
"""

from __future__ import annotations

from bot.core.features import Features
from bot.reports import report


def setup(features: Features) -> None:
    """Register the monthly report to the admins."""
    features.add_job(report.monthly_report)
