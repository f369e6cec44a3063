"""Writes to the area tree, buildings, workers and roles. Each is one transaction.

Callers pass records they fetched through `visible_to(actor)`; the services check the
actor's permission on the place being changed, so views, API, imports and commands
all obey the same rules.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Building, Level, Role, Worker
from fangkong.areas.permissions import ROLE_LEVELS, grantable_kinds
from fangkong.pii import clean_phone, lookup_digest


def require(actor, perm, record):
    if not actor.has_perm(perm, record):
        raise PermissionDenied(_("You may not do this here."))


@transaction.atomic
def create_area(*, actor, parent, code, name, level):
    require(actor, "areas.add_area", parent)
    area = Area(parent=parent, code=code.strip(), name=name.strip(), level=level)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def rename_area(*, actor, area, name):
    require(actor, "areas.change_area", area)
    area.name = name.strip()
    area.full_clean()
    area.save(update_fields=["name"])
    return area


@transaction.atomic
def save_building(*, actor, grid, name, kind, address="", responsible_worker=None, building=None):
    """Create a building in a grid, or change one (then `building` is given)."""
    if grid.level != Level.GRID:
        raise ValidationError({"area": _("Buildings are placed in a grid.")})
    if building is None:
        require(actor, "areas.add_building", grid)
        building = Building()
    else:
        require(actor, "areas.change_building", building)
        require(actor, "areas.change_building", grid)
    building.area = grid
    building.name = name.strip()
    building.kind = kind
    building.address = address.strip()
    building.responsible_worker = responsible_worker
    building.full_clean()
    building.save()
    return building


@transaction.atomic
def add_worker(*, actor, area, name, affiliation, phone="", username="", password=""):
    """Register a worker serving `area`; with a username they can log in."""
    require(actor, "areas.add_worker", area)
    worker = Worker(area=area, name=name.strip(), affiliation=affiliation)
    worker.phone = clean_phone(phone)
    worker.phone_hash = lookup_digest(worker.phone)
    if username:
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            raise ValidationError({"username": _("This username is taken.")})
        user = user_model(username=username, first_name=worker.name)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
        user.full_clean()
        user.save()
        worker.user = user
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def update_worker(*, actor, worker, name, affiliation, phone, is_active):
    require(actor, "areas.change_worker", worker)
    worker.name = name.strip()
    worker.affiliation = affiliation
    worker.phone = clean_phone(phone)
    worker.phone_hash = lookup_digest(worker.phone)
    worker.is_active = is_active
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def grant_role(*, actor, worker, area, kind):
    """Give a worker a role on an area inside the actor's subtree, never above it."""
    require(actor, "areas.add_role", area)
    if area.level not in ROLE_LEVELS[kind]:
        raise ValidationError(
            {"area": _("This role cannot be held at the level of %(area)s.") % {"area": area}}
        )
    if kind not in grantable_kinds(actor, area):
        raise PermissionDenied(_("You may not grant this role."))
    if Role.all_objects.filter(worker=worker, area=area, kind=kind).exists():
        raise ValidationError(_("The worker already holds this role here."))
    role = Role(worker=worker, area=area, kind=kind, granted_by=actor)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def revoke_role(*, actor, role):
    require(actor, "areas.delete_role", role)
    if role.kind not in grantable_kinds(actor, role.area):
        raise PermissionDenied(_("You may not revoke this role."))
    role.delete()
