"""Writes of workers' doses, exemptions and the counties' dose intervals, one transaction
each (docs/training.md).

A dose is numbered in the worker's sequence: dose n is recorded only after dose n-1 and on
a later day, never in the future; the same dose twice is refused, and a retried request
(same `client_uuid`) answers the dose it recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Level, Worker
from fangkong.audit.services import record
from fangkong.scope import system_scope
from fangkong.vaccination import rules
from fangkong.vaccination.models import DoseInterval, Vaccination, VaccinationExemption, Vaccine
from fangkong.vaccination.permissions import RECORD_VACCINATION, SET_INTERVALS
from fangkong.writes import once, refused

DOSE_DAY = dates.RECORDED_DAY
# An exemption starts at most a year back or ahead and ends within two years of today.
EXEMPTION_START = dates.Window(
    "exemption start", lambda t: t - dates.days(366), lambda t: t + dates.days(366)
)
EXEMPTION_END = dates.Window(
    "exemption end", lambda t: t - dates.days(366), lambda t: t + dates.days(2 * 366)
)


def check_worker(actor, worker):
    if not actor.has_perm(RECORD_VACCINATION, worker):
        raise refused()


def doses_of(worker):
    """The worker's doses in order, whoever recorded them, the rows locked: two requests
    for the same worker's next dose are told apart by the second one waiting."""
    with system_scope():
        Worker.objects.select_for_update().filter(pk=worker.pk).first()
        return list(Vaccination.objects.filter(worker=worker).order_by("dose_number"))


def check_order(doses, dose_number, given_on):
    if any(d.dose_number == dose_number for d in doses):
        raise ValidationError(
            {
                "dose_number": _("Dose %(n)d of this worker is already recorded.")
                % {"n": dose_number}
            }
        )
    expected = len(doses) + 1
    if dose_number != expected:
        raise ValidationError(
            {
                "dose_number": _(
                    "The next dose of this worker is dose %(next)d: record the doses in order."
                )
                % {"next": expected}
            }
        )
    if doses and given_on <= doses[-1].given_on:
        raise ValidationError(
            {
                "given_on": _("Dose %(n)d must be given after dose %(before)d (%(day)s).")
                % {
                    "n": dose_number,
                    "before": doses[-1].dose_number,
                    "day": doses[-1].given_on.isoformat(),
                }
            }
        )


def record_dose(
    *,
    actor,
    worker,
    dose_number,
    given_on,
    vaccine,
    manufacturer,
    batch="",
    client_uuid=None,
):
    """A dose a worker received, next in their sequence."""

    def make():
        check_worker(actor, worker)
        if vaccine not in Vaccine.values:
            raise ValidationError({"vaccine": _("Choose the vaccine.")})
        if not isinstance(dose_number, int) or not 1 <= dose_number <= rules.MOST_DOSES:
            raise ValidationError(
                {"dose_number": _("Give a dose number from 1 to %(n)d.") % {"n": rules.MOST_DOSES}}
            )
        DOSE_DAY.check(given_on, field="given_on")
        check_order(doses_of(worker), dose_number, given_on)
        dose = Vaccination(
            area=worker.area,
            worker=worker,
            dose_number=dose_number,
            given_on=given_on,
            vaccine=vaccine,
            manufacturer=(manufacturer or "").strip(),
            batch=(batch or "").strip(),
            completes_course=rules.completes_course(vaccine, dose_number),
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        dose.full_clean(exclude=["area", "worker", "recorded_by"])
        dose.save()
        record(
            actor=actor,
            action="vaccination.dose",
            target=dose,
            area=worker.area,
            worker=worker.name,
            dose=dose_number,
            vaccine=vaccine,
            given_on=given_on.isoformat(),
        )
        return dose

    return once(Vaccination, client_uuid, make, worker_id=worker.pk)


@transaction.atomic
def remove_dose(*, actor, dose):
    """A dose recorded by mistake: only the worker's latest, so the order stays whole."""
    check_worker(actor, dose.worker)
    doses = doses_of(dose.worker)
    if doses[-1].pk != dose.pk:
        raise ValidationError(_("Only the latest dose of a worker can be removed."))
    record(
        actor=actor,
        action="vaccination.dose_removed",
        target=dose,
        area=dose.area,
        worker=dose.worker.name,
        dose=dose.dose_number,
    )
    with system_scope():
        Vaccination.objects.filter(pk=dose.pk).delete()
    return dose


def record_exemption(*, actor, worker, reason, starts_on, ends_on=None, note="", client_uuid=None):
    """Why a worker is not vaccinated, from a day and, if temporary, until one."""

    def make():
        check_worker(actor, worker)
        if reason not in VaccinationExemption.Reason.values:
            raise ValidationError({"reason": _("Choose the reason.")})
        EXEMPTION_START.check(starts_on, field="starts_on")
        if ends_on is not None:
            EXEMPTION_END.check(ends_on, field="ends_on")
            if ends_on < starts_on:
                raise ValidationError({"ends_on": _("The end cannot come before the start.")})
        text = (note or "").strip()
        if reason == VaccinationExemption.Reason.OTHER and not text:
            raise ValidationError({"note": _("Say what the reason is.")})
        exemption = VaccinationExemption(
            area=worker.area,
            worker=worker,
            reason=reason,
            note=text,
            starts_on=starts_on,
            ends_on=ends_on,
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        exemption.full_clean(exclude=["area", "worker", "recorded_by"])
        exemption.save()
        record(
            actor=actor,
            action="vaccination.exemption",
            target=exemption,
            area=worker.area,
            worker=worker.name,
            reason=reason,
        )
        return exemption

    return once(VaccinationExemption, client_uuid, make, worker_id=worker.pk)


@transaction.atomic
def end_exemption(*, actor, exemption, ends_on=None):
    """An exemption ends (today unless said): the worker is counted and due again."""
    check_worker(actor, exemption.worker)
    ends_on = ends_on or timezone.localdate()
    EXEMPTION_END.check(ends_on, field="ends_on")
    if ends_on < exemption.starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})
    exemption.ends_on = ends_on
    exemption.save(update_fields=["ends_on"])
    record(
        actor=actor,
        action="vaccination.exemption_ended",
        target=exemption,
        area=exemption.area,
        worker=exemption.worker.name,
        ends_on=ends_on.isoformat(),
    )
    return exemption


@transaction.atomic
def set_interval(*, actor, area, vaccine, after_dose, days):
    """A county's days from a dose of a vaccine to the next (0: no next dose)."""
    if area.level != Level.COUNTY:
        raise ValidationError({"area": _("Dose intervals are set for a county.")})
    if not actor.has_perm(SET_INTERVALS, area):
        raise refused()
    if vaccine not in Vaccine.values:
        raise ValidationError({"vaccine": _("Choose the vaccine.")})
    if not isinstance(after_dose, int) or not 1 <= after_dose <= rules.MOST_DOSES:
        raise ValidationError(
            {"after_dose": _("Give a dose number from 1 to %(n)d.") % {"n": rules.MOST_DOSES}}
        )
    if not isinstance(days, int) or not 0 <= days <= rules.LONGEST_INTERVAL:
        raise ValidationError(
            {"days": _("Give from 0 to %(n)d days.") % {"n": rules.LONGEST_INTERVAL}}
        )
    before = rules.intervals_for(area.path).get((vaccine, after_dose))
    with system_scope():  # one rule per county, vaccine and dose, whoever set it
        interval = DoseInterval.objects.filter(
            area=area, vaccine=vaccine, after_dose=after_dose
        ).first() or DoseInterval(area=area, vaccine=vaccine, after_dose=after_dose)
    interval.days = days
    interval.set_by = actor
    interval.save()
    record(
        actor=actor,
        action="vaccination.interval",
        target=interval,
        area=area,
        vaccine=vaccine,
        after_dose=after_dose,
        before=before,
        after=days,
    )
    return interval
