"""Writes to the area tree, buildings, workers and roles. Each is one transaction.

Callers pass records they fetched through `visible_to(actor, perm)`; the services check the
actor's permission on the place being changed, so views, API, imports and commands
all obey the same rules. Every write leaves an audit row in its transaction.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Building, Level, Role, Worker
from fangkong.areas.permissions import ROLE_LEVELS, can_manage_worker, grantable_kinds
from fangkong.areas.registry import building_moved
from fangkong.areas.selectors import VIEW_WORKER, all_roles_of
from fangkong.audit.services import record
from fangkong.pii import clean_phone, lookup_digest, normalise


def require(actor, perm, place):
    """The actor's roles grant `perm` on the subtree holding `place`, or PermissionDenied."""
    if not actor.has_perm(perm, place):
        raise PermissionDenied(_("You may not do this here."))


@transaction.atomic
def create_area(*, actor, parent, code, name, level):
    require(actor, "areas.add_area", parent)
    area = Area(parent=parent, code=normalise(code), name=name.strip(), level=level)
    area.full_clean()
    area.save()
    record(actor=actor, action="area.add", target=area, area=area, code=area.code)
    return area


@transaction.atomic
def rename_area(*, actor, area, name):
    require(actor, "areas.change_area", area)
    before = area.name
    area.name = name.strip()
    area.full_clean()
    area.save(update_fields=["name"])
    if area.name != before:
        record(actor=actor, action="area.rename", target=area, area=area, before=before)
    return area


def require_visible_worker(actor, worker, field):
    if worker is not None and not (
        worker.is_active
        and Worker.objects.visible_to(actor, VIEW_WORKER).filter(pk=worker.pk).exists()
    ):
        raise ValidationError({field: _("Choose an active worker of your areas.")})


@transaction.atomic
def save_building(
    *,
    actor,
    grid,
    name,
    kind=Building.Kind.BUILDING,
    address="",
    responsible_worker=None,
    building=None,
):
    """Create a building in a grid, or change one (then `building` is given).

    A building moved to another grid takes its households and residents along: the apps
    keeping them listen to `building_moved`, sent inside this transaction.
    """
    if grid.level != Level.GRID:
        raise ValidationError({"area": _("Buildings are placed in a grid.")})
    require_visible_worker(actor, responsible_worker, "responsible_worker")
    source = None
    if building is None:
        require(actor, "areas.add_building", grid)
        building = Building()
    else:
        require(actor, "areas.change_building", building)
        require(actor, "areas.change_building", grid)
        if building.area_id != grid.pk:
            source = building.area
    created = building.pk is None
    building.area = grid
    building.name = name.strip()
    building.kind = kind
    building.address = address.strip()
    building.responsible_worker = responsible_worker
    building.full_clean()
    building.save()
    if source is not None:
        building_moved.send(Building, building=building, source=source, actor=actor)
    record(
        actor=actor,
        action="building.add" if created else ("building.move" if source else "building.change"),
        target=building,
        area=grid,
        **({"source": source.code} if source else {}),
    )
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
        worker.must_change_password = True
    worker.full_clean()
    worker.save()
    record(
        actor=actor,
        action="worker.add",
        target=worker,
        area=worker.area,
        username=worker.user.username if worker.user else "",
    )
    return worker


@transaction.atomic
def update_worker(*, actor, worker, name, affiliation, is_active, phone=""):
    """Change a worker the actor outranks; an empty phone keeps the number on record."""
    require(actor, "areas.change_worker", worker)
    if not can_manage_worker(actor, worker, all_roles_of(worker)):
        raise PermissionDenied(_("You may only change workers whose roles you could grant."))
    worker.name = name.strip()
    worker.affiliation = affiliation
    if phone:
        worker.phone = clean_phone(phone)
        worker.phone_hash = lookup_digest(worker.phone)
    changed = {"is_active": is_active} if worker.is_active != is_active else {}
    worker.is_active = is_active
    worker.full_clean()
    worker.save()
    record(actor=actor, action="worker.change", target=worker, area=worker.area, **changed)
    return worker


@transaction.atomic
def grant_role(*, actor, worker, area, kind):
    """Give a worker a role on an area inside the actor's subtree, never above it."""
    require(actor, "areas.add_role", area)
    if not Worker.objects.visible_to(actor, VIEW_WORKER).filter(pk=worker.pk).exists():
        raise PermissionDenied(_("You may not do this here."))
    if worker.user_id is not None and worker.user_id == actor.pk:
        raise PermissionDenied(_("You may not change your own roles."))
    roles = all_roles_of(worker)
    if not can_manage_worker(actor, worker, roles):
        raise PermissionDenied(_("You may only change workers whose roles you could grant."))
    if not area.path.startswith(worker.area_path):
        raise ValidationError(
            {
                "area": _("A role must lie within the area the worker serves in (%(area)s).")
                % {"area": worker.area}
            }
        )
    if area.level not in ROLE_LEVELS[kind]:
        raise ValidationError(
            {"area": _("This role cannot be held at the level of %(area)s.") % {"area": area}}
        )
    if kind not in grantable_kinds(actor, area):
        raise PermissionDenied(_("You may not grant this role."))
    if any(role.area_id == area.pk and role.kind == kind for role in roles):
        raise ValidationError(_("The worker already holds this role here."))
    role = Role(worker=worker, area=area, kind=kind, granted_by=actor)
    role.full_clean()
    role.save()
    record(actor=actor, action="role.grant", target=worker, area=area, kind=kind)
    return role


@transaction.atomic
def revoke_role(*, actor, role):
    require(actor, "areas.delete_role", role)
    if role.worker.user_id is not None and role.worker.user_id == actor.pk:
        raise PermissionDenied(_("You may not change your own roles."))
    if not can_manage_worker(actor, role.worker, all_roles_of(role.worker)):
        raise PermissionDenied(_("You may only change workers whose roles you could grant."))
    if role.kind not in grantable_kinds(actor, role.area):
        raise PermissionDenied(_("You may not revoke this role."))
    record(actor=actor, action="role.revoke", target=role.worker, area=role.area, kind=role.kind)
    role.delete()
