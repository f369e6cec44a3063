from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(share):
    """A share (0..1) as a whole percentage; nothing when there is nothing to divide."""
    return "" if share is None else f"{round(100 * share)}%"
