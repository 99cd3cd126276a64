from django import template

register = template.Library()


@register.filter
def stamp_points(markers) -> int:
    """How many of a trail's markers give a stamp."""
    return sum(1 for marker in markers if marker.is_stamp_point)
