"""Template helpers of the area pages."""

from django import template

from fangkong.scope import holds

register = template.Library()


@register.filter
def area_link(area, user):
    """Whether an area of a breadcrumb is a link for the user: only inside their areas (an
    ancestor above them is its name, not a page they could open)."""
    return holds(user, "areas.view_area", area.path)
