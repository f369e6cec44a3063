"""Forms of subsidies: a county's rule, computing a period, the review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.subsidies.models import Period
from fangkong.subsidies.services import MOST_A_DAY, MOST_A_PERIOD, MOST_DAYS
from fangkong.visits.forms import DayInput, today
from fangkong.web import StyledForm


def yuan(label, most, required=True):
    return forms.DecimalField(
        label=label, min_value=0, max_value=most, decimal_places=2, required=required
    )


class RuleForm(StyledForm):
    effective_from = forms.DateField(
        label=_("in force from"), initial=today, widget=DayInput(), validators=[dates.PLAN_START]
    )
    period = forms.ChoiceField(label=_("paid by"), choices=Period.choices)
    # Not required here: the service refuses a rule without a rate with its own message.
    rate_medium = yuan(_("rate per day in medium risk (yuan)"), MOST_A_DAY, required=False)
    rate_high = yuan(_("rate per day in high risk (yuan)"), MOST_A_DAY, required=False)
    min_days = forms.IntegerField(
        label=_("fewest days that qualify"), min_value=0, max_value=MOST_DAYS, initial=1
    )
    cap = yuan(_("most per worker and period (yuan)"), MOST_A_PERIOD, required=False)
    note = forms.CharField(label=_("basis (document)"), max_length=200, required=False)


class ComputeForm(StyledForm):
    day = forms.DateField(
        label=_("a day of the period"),
        initial=today,
        widget=DayInput(),
        validators=[dates.RECORDED_DAY],
    )


class AdjustForm(StyledForm):
    amount = yuan(_("amount paid (yuan)"), MOST_A_PERIOD)
    reason = forms.CharField(label=_("reason for the adjustment"), max_length=300)
