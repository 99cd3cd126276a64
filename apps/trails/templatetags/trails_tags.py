from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def km(metres: float | None) -> str:
    """5,912.4 → "5.9 km" (metres under one kilometre stay metres: "350 m")."""
    if metres is None:
        return ""
    if metres < 1000:
        return _("%(metres)s m") % {"metres": floatformat(metres, 0)}
    return _("%(km)s km") % {"km": floatformat(metres / 1000, 1)}


@register.filter
def duration(minutes: float | None) -> str:
    """130.4 → "2 h 10 min"; walking times are rounded to 5 minutes (no walk is that exact)."""
    if minutes is None:
        return ""
    rounded = max(5, int(round(minutes / 5.0)) * 5) if minutes >= 2.5 else round(minutes)
    hours, rest = divmod(rounded, 60)
    if not hours:
        return ngettext("%(minutes)d min", "%(minutes)d min", rest) % {"minutes": rest}
    if not rest:
        return ngettext("%(hours)d h", "%(hours)d h", hours) % {"hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
