"""Permissions on one record, for templates: `perms.app.codename` only says "somewhere"."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, perm, record):
    """`{% may "people.reveal_resident" resident as can_reveal %}`: the user's roles grant
    `perm` on the subtree that holds `record`."""
    user = context.get("user") or context["request"].user
    return user.has_perm(perm, record)
