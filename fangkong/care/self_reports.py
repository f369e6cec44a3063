"""Symptom self-reports (症状自报, 3.2) from anyone of a household: told at once to the
household's responsible worker, answered with the county's fever clinics, and recorded as a
health check on the person's monitoring plan when they are monitored (through monitoring's
own `save_check`, so the plan's record and its alert are those of any check)."""

import uuid as uuidlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.care.models import Channel, SymptomReport
from fangkong.care.permissions import HANDLE_REPORTS, VIEW_REPORTS
from fangkong.care.selectors import clinics_for, responsible_users
from fangkong.care.services import clean_text, refused
from fangkong.monitoring import selectors as monitoring_selectors
from fangkong.monitoring import services as monitoring
from fangkong.monitoring.models import HealthCheck, MonitoringPlan
from fangkong.notifications.services import notify
from fangkong.pii import clean_phone
from fangkong.scope import for_uniqueness, system_scope

LOWEST, HIGHEST = Decimal("34.0"), Decimal("43.0")
FEVER_AT = Decimal("37.3")


def temperature_of(value):
    if value in (None, ""):
        return None
    try:
        temperature = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"temperature": _("Enter the temperature as a number.")}) from None
    if not LOWEST <= temperature <= HIGHEST:
        raise ValidationError({"temperature": _("Enter a temperature between 34.0 and 43.0 ℃.")})
    return temperature


def report_symptoms(
    *,
    actor,
    household,
    name,
    client_uuid,
    temperature=None,
    symptoms=(),
    phone="",
    note="",
    resident=None,
    channel=Channel.ONLINE,
):
    """A report of fever or symptoms; `actor` None from the public page or the household's
    link. Idempotent by `client_uuid`. Returns the report with `clinics`, the advice shown."""
    earlier = for_uniqueness(SymptomReport).filter(client_uuid=client_uuid).first()
    if earlier is not None:
        if earlier.household_id != household.pk:
            raise ValidationError(_("This form was already sent for another household."))
        earlier.created, earlier.clinics = False, clinics_for(earlier.area_path)
        return earlier
    if actor is not None and not actor.has_perm(HANDLE_REPORTS, household):
        raise refused()
    errors = {}
    name = clean_text(name, 50)
    if not name:
        errors["name"] = _("Enter the name of who is unwell.")
    try:
        temperature = temperature_of(temperature)
    except ValidationError as error:
        errors.update(error.message_dict)
    symptoms = list(symptoms)
    if temperature is None and not symptoms:
        errors["symptoms"] = _("Give the temperature or choose a symptom.")
    try:
        phone = clean_phone(phone or "")
    except ValidationError as error:
        errors["phone"] = error.messages
    if resident is not None and resident.household_id != household.pk:
        errors["resident"] = _("This person does not live in this household.")
    if actor is None:
        channel = Channel.ONLINE
    elif channel not in Channel.values:
        errors["channel"] = _("Choose how the request came in.")
    if errors:
        raise ValidationError(errors)
    report = SymptomReport(
        client_uuid=client_uuid,
        household=household,
        area=household.area,
        resident=resident,
        name=name,
        phone=phone,
        temperature=temperature,
        note=clean_text(note, 300),
        channel=channel,
    )
    try:
        with transaction.atomic():
            report.save()
            report.symptoms.set(symptoms)
            report.health_check = monitored_check(report, symptoms)
            if report.health_check is not None:
                report.save(update_fields=["health_check"])
            record(
                actor=actor,
                action="care.symptom_report",
                target=report,
                area=report.area,
                fever=bool(temperature and temperature >= FEVER_AT),
                monitored=report.health_check_id is not None,
            )
            tell(report, symptoms)
    except IntegrityError:  # the same form sent twice at the same moment
        earlier = for_uniqueness(SymptomReport).get(client_uuid=client_uuid)
        earlier.created, earlier.clinics = False, clinics_for(earlier.area_path)
        return earlier
    report.created, report.clinics = True, clinics_for(report.area_path)
    return report


def monitored_check(report, symptoms):
    """The person's open monitoring plan gets the report as today's self-reported check (with
    the symptoms its category asks about), when a temperature was given."""
    if report.resident_id is None or report.temperature is None:
        return None
    day = monitoring.today()
    with system_scope():  # the reporting person's own open plan
        plans = MonitoringPlan.objects.filter(resident_id=report.resident_id)
        plan = (
            monitoring_selectors.open_on(plans, day)
            .select_related("category")
            .select_for_update()
            .order_by("-starts_on")
            .first()
        )
        if plan is None:
            return None
        asked = set(plan.category.symptoms.values_list("pk", flat=True))
        return monitoring.save_check(
            actor=None,
            plan=plan,
            checks=HealthCheck.objects.filter(plan=plan),
            channel=HealthCheck.Channel.SELF,
            temperature=report.temperature,
            symptoms=[s for s in symptoms if s.pk in asked],
            note=report.note,
            uuid=uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"fangkong:symptom-report:{report.pk}"),
        )


def tell(report, symptoms):
    what = []
    if report.temperature is not None:
        what.append(f"{report.temperature} ℃")
    what += [s.name for s in symptoms]
    return notify(
        responsible_users(report.household, VIEW_REPORTS),
        key=f"care-symptoms:{report.pk}",
        message=_(
            "%(name)s of %(household)s reported feeling unwell (%(what)s): call them, advise the "
            "fever clinic and record what happened."
        )
        % {"name": report.name, "household": report.household, "what": "、".join(what)},
        link=reverse("care_symptom_report", args=[report.pk]),
    )


@transaction.atomic
def handle(*, actor, report, outcome, note=""):
    """The worker records what happened after a self-report."""
    found = (
        SymptomReport.objects.visible_to(actor, HANDLE_REPORTS)
        .select_for_update()
        .filter(pk=report.pk)
        .first()
    )
    if found is None:
        raise refused()
    if outcome not in SymptomReport.Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    found.outcome, found.outcome_note = outcome, clean_text(note, 300)
    found.handled_at, found.handled_by = timezone.now(), actor
    found.save(update_fields=["outcome", "outcome_note", "handled_at", "handled_by"])
    record(
        actor=actor, action="care.symptom_handled", target=found, area=found.area, outcome=outcome
    )
    return found
