"""Changes of a case after it was recorded: reclassified towards certainty, or a suspected
case ruled out with the reason (its contacts re-ranked). One transaction each, audited;
refusals in Chinese that change nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.audit.services import record
from fangkong.scope import system_scope
from fangkong.tracing.models import Case
from fangkong.tracing.permissions import CHANGE_CASE
from fangkong.tracing.ranking import rerank
from fangkong.tracing.services import require

# A case's classification moves only towards certainty: a suspected case is confirmed (or
# found asymptomatic), an asymptomatic infection turns confirmed; a confirmed case stays one.
RECLASSIFICATIONS = {
    Case.Classification.SUSPECTED: {
        Case.Classification.CONFIRMED,
        Case.Classification.ASYMPTOMATIC,
    },
    Case.Classification.ASYMPTOMATIC: {Case.Classification.CONFIRMED},
    Case.Classification.CONFIRMED: set(),
}


def _locked_case(case):
    with system_scope():  # the actor's permission on it is checked by the caller
        return Case.objects.select_for_update().select_related("person").get(pk=case.pk)


@transaction.atomic
def reclassify_case(*, actor, case, classification, note=""):
    """A suspected case confirmed or found asymptomatic, an asymptomatic infection
    confirmed. The person stays a case whatever the classification, so the degrees of their
    contacts (and the quarantine rules that follow from them) do not change."""
    require(actor, CHANGE_CASE, case, _("You may not change this case."))
    if classification not in Case.Classification.values:
        raise ValidationError({"classification": _("Choose confirmed, suspected or asymptomatic.")})
    case = _locked_case(case)
    if not case.standing:
        raise ValidationError(_("This case was ruled out."))
    previous = case.classification
    if previous == classification:
        return case
    if classification not in RECLASSIFICATIONS[previous]:
        raise ValidationError(
            {
                "classification": _("A %(old)s cannot be reclassified as %(new)s.")
                % {
                    "old": case.get_classification_display(),
                    "new": Case.Classification(classification).label,
                }
            }
        )
    case.classification = classification
    note = (note or "").strip()
    if note:
        case.note = note[:500]
    case.save(update_fields=["classification", "note"])
    record(
        actor=actor,
        action="tracing.reclassify",
        target=case,
        area=case.area,
        name=case.person.name,
        previous=previous,
        classification=classification,
        note=note[:500],
    )
    return case


@transaction.atomic
def rule_out_case(*, actor, case, ruled_out_on, reason):
    """A suspected case excluded (排除), with the reason (e.g. two negative tests 24 hours
    apart): its contacts are ranked again without it, and quarantine re-derives their
    measures from the re-ranking as for any other change."""
    require(actor, CHANGE_CASE, case, _("You may not change this case."))
    case = _locked_case(case)
    if not case.standing:
        raise ValidationError(_("This case was ruled out."))
    if case.classification != Case.Classification.SUSPECTED:
        raise ValidationError(_("Only a suspected case can be ruled out."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is ruled out.")})
    ruled_out_on = dates.RECORDED_DAY.check(ruled_out_on, field="ruled_out_on")
    if ruled_out_on < case.reported_on:
        raise ValidationError(
            {"ruled_out_on": _("A case cannot be ruled out before it was reported.")}
        )
    case.ruled_out_on, case.ruled_out_reason = ruled_out_on, reason[:300]
    case.save(update_fields=["ruled_out_on", "ruled_out_reason"])
    record(
        actor=actor,
        action="tracing.rule_out",
        target=case,
        area=case.area,
        name=case.person.name,
        ruled_out_on=ruled_out_on.isoformat(),
        reason=case.ruled_out_reason,
    )
    rerank(
        actor=actor,
        start_ids=[case.person_id],
        reason=_("The suspected case %(name)s was ruled out: %(reason)s")
        % {"name": case.person.name, "reason": case.ruled_out_reason},
        trigger=case.person,
    )
    return case
