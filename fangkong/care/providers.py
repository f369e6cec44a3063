"""Writes of the registries a service needs: providers (an area registers them, with the
areas they serve and the types they take) and a county's fever clinics."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Level, Worker
from fangkong.audit.services import record
from fangkong.care.models import FeverClinic, Provider, ServiceType
from fangkong.care.permissions import KEEP_CLINICS, KEEP_PROVIDERS
from fangkong.care.services import clean_text, refused
from fangkong.pii import clean_phone


@transaction.atomic
def add_provider(*, actor, area, name, kind, service_types, service_areas, worker=None, phone=""):
    """Register a provider in `area`, serving `service_areas` (ids of areas in `area`'s
    subtree) with `service_types`; a worker or volunteer provider names their worker."""
    if not actor.has_perm(KEEP_PROVIDERS, area):
        raise refused()
    errors = {}
    name = clean_text(name, 100)
    if not name:
        errors["name"] = _("Enter a name.")
    if kind not in Provider.Kind.values:
        errors["kind"] = _("Choose a kind.")
    types = [t for t in dict.fromkeys(service_types or []) if t in ServiceType.values]
    if not types or len(types) != len(set(service_types or [])):
        errors["service_types"] = _("Choose the services it offers.")
    areas = list(
        Area.objects.visible_to(actor, KEEP_PROVIDERS)
        .within(area)
        .filter(pk__in=[a for a in service_areas or [] if isinstance(a, int)])
    )
    if not areas or len(areas) != len(set(service_areas or [])):
        errors["service_areas"] = _("Choose the areas it serves, within %(area)s.") % {
            "area": area.name
        }
    found = None
    if worker is not None:
        found = Worker.objects.visible_to(actor, KEEP_PROVIDERS).filter(pk=worker).first()
        if found is None:
            errors["worker"] = _("Choose a worker of your areas.")
    elif kind in (Provider.Kind.WORKER, Provider.Kind.VOLUNTEER):
        errors["worker"] = _("A worker or volunteer provider needs their worker.")
    try:
        phone = clean_phone(phone or "")
    except ValidationError as error:
        errors["phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    provider = Provider(
        area=area, name=name, kind=kind, worker=found, phone=phone, service_types=types
    )
    provider.full_clean(exclude=["area_path"])
    provider.save()
    provider.service_areas.add(*areas)
    record(actor=actor, action="care.provider", target=provider, area=area, name=name)
    return provider


@transaction.atomic
def set_provider_active(*, actor, provider, is_active):
    found = Provider.objects.visible_to(actor, KEEP_PROVIDERS).filter(pk=provider.pk).first()
    if found is None:
        raise refused()
    found.is_active = bool(is_active)
    found.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="care.provider_change",
        target=found,
        area=found.area,
        active=found.is_active,
    )
    return found


@transaction.atomic
def add_clinic(*, actor, area, name, address, phone="", hours=""):
    """List a fever clinic of a county (the county's supervisors keep the list)."""
    if area.level != Level.COUNTY:
        raise ValidationError(_("Fever clinics are listed per county."))
    if not actor.has_perm(KEEP_CLINICS, area):
        raise refused()
    clinic = FeverClinic(
        area=area,
        name=clean_text(name, 100),
        address=clean_text(address, 200),
        phone=clean_text(phone, 30),
        hours=clean_text(hours, 100),
    )
    clinic.full_clean(exclude=["area_path"])
    clinic.save()
    record(actor=actor, action="care.clinic", target=clinic, area=area, name=clinic.name)
    return clinic


@transaction.atomic
def set_clinic_active(*, actor, clinic, is_active):
    found = FeverClinic.objects.visible_to(actor, KEEP_CLINICS).filter(pk=clinic.pk).first()
    if found is None:
        raise refused()
    found.is_active = bool(is_active)
    found.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="care.clinic_change",
        target=found,
        area=found.area,
        active=found.is_active,
    )
    return found
