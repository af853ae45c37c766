"""China time (UTC+8): where hour and weekday tests, deadlines and windows are judged.

A naive datetime anywhere in xxrules means China time; an aware one is converted.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["CHINA_TIME", "local_time"]

CHINA_TIME = timezone(timedelta(hours=8))


def local_time(moment: datetime) -> datetime:
    """``moment`` in China time (UTC+8), where hour and weekday tests are judged; naive means China time."""
    return moment.astimezone(CHINA_TIME) if moment.tzinfo is not None else moment.replace(tzinfo=CHINA_TIME)
