"""Durations for people: "2 h 05 min", "45 s", in the active language."""

from django.utils.translation import gettext as _


def human_duration(seconds: int) -> str:
    """A whole number of seconds as hours and minutes; seconds only under a minute.

    Never in days: a clock's target is often business hours, and 80 of them as "3 d 8 h" read as calendar time.
    """
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative: {seconds}")
    if seconds < 60:
        return _("%(seconds)d s") % {"seconds": seconds}
    minutes, _rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
