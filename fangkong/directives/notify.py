"""Telling the workers of an area: those whose role is on the area itself (not above it)
and grants the permission of what they are asked to do."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from fangkong.areas.models import Role
from fangkong.notifications.services import notify
from fangkong.permissions import kinds_granting
from fangkong.scope import system_scope

CHUNK = 500


def users_at(paths, perm):
    """{area path: [users]} of the active workers with a role granting `perm` on each."""
    found = {}
    paths = list(paths)
    kinds = kinds_granting(perm)
    with system_scope():  # the roles of the areas being told, whoever acts
        for start in range(0, len(paths), CHUNK):
            rows = Role.objects.filter(
                area_path__in=paths[start : start + CHUNK],
                kind__in=kinds,
                worker__is_active=True,
                worker__user__isnull=False,
            ).values_list("area_path", "worker__user")
            for path, user in rows:
                found.setdefault(path, set()).add(user)
    users = get_user_model().objects.in_bulk({u for ids in found.values() for u in ids})
    return {path: [users[u] for u in ids if u in users] for path, ids in found.items()}


def tell_area(paths, perm, *, key, message, link_of):
    """Tell each area's workers once under `key`; returns how many were told."""
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for path, users in users_at(paths, perm).items():
            told += notify(users, key=key, message=str(message), link=link_of(path))
    return told
