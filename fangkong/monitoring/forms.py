import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong import dates, dispositions
from fangkong.monitoring.models import Alert, MonitoringCategory
from fangkong.web import StyledForm


class PlanForm(StyledForm):
    category = forms.ModelChoiceField(
        label=_("category"), queryset=MonitoringCategory.objects.filter(is_active=True)
    )
    source = forms.CharField(
        label=_("reason and source"),
        max_length=200,
        help_text=_("e.g. 县指挥部推送：11月20日自广州返乡"),
    )
    starts_on = forms.DateField(
        label=_("starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.PLAN_START],
    )
    ends_on = forms.DateField(
        label=_("ends on"),
        required=False,
        validators=[dates.PLAN_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the category's length from the start."),
    )
    worker = forms.ModelChoiceField(
        label=_("responsible worker"),
        queryset=None,
        required=False,
        help_text=_("Empty: the household's responsible worker."),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class NewcomerPlanForm(PlanForm):
    """A plan for a person not yet in the registry, who is registered in the household first."""

    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    field_order = ["name", "id_number", "phone"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean(self):
        data = super().clean()
        data["newcomer"] = {
            "household": self.household,
            **{name: data.pop(name, "") for name in ("name", "id_number", "phone")},
        }
        return data


class CheckForm(StyledForm):
    """One check. The form carries its own uuid, so pressing the button twice records once."""

    uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    temperature = forms.DecimalField(
        label=_("temperature (℃)"),
        max_digits=3,
        decimal_places=1,
        min_value=34,
        max_value=43,
        # A placeholder that reads as a word, not as a temperature already entered.
        widget=forms.NumberInput(
            attrs={"inputmode": "decimal", "step": "0.1", "placeholder": _("Temperature")}
        ),
    )
    symptoms = forms.TypedMultipleChoiceField(
        label=_("symptoms"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("initial", {"uuid": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.symptom_records = {s.pk: s for s in plan.category.symptoms.all()}
        field = self.fields["symptoms"]
        field.choices = [(pk, s.name) for pk, s in self.symptom_records.items()]
        field.widget.attrs["class"] = "form-check-input"

    def check_data(self):
        data = dict(self.cleaned_data)
        data["uuid"] = data["uuid"] or None
        data["symptoms"] = [self.symptom_records[pk] for pk in data["symptoms"]]
        return data


# More rows than a day page shows: a bigger post is not one the page made.
MOST_REST_NORMAL = 200


class PlanChecksField(forms.Field):
    """`plan id:uuid` pairs, the uuids made with the page that posts them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        pairs = []
        for item in value or []:
            pk, _sep, key = str(item).partition(":")
            try:
                pairs.append((int(pk), uuid.UUID(key)))
            except ValueError:
                raise ValidationError(_("The list was damaged: reload the page.")) from None
        if not pairs:
            raise ValidationError(_("Nobody is left to record."))
        if len(pairs) > MOST_REST_NORMAL:
            raise ValidationError(_("The list was damaged: reload the page."))
        return pairs


class RestNormalForm(forms.Form):
    """其余均正常: the rows of the day page it covers, each with the uuid its check gets."""

    check = PlanChecksField()


class StopForm(StyledForm):
    stop_reason = forms.CharField(
        label=_("reason for stopping"),
        max_length=200,
        help_text=_("e.g. 转集中隔离, 已离开本地"),
    )
    stopped_on = forms.DateField(
        label=_("first day no longer monitored"),
        required=False,
        validators=[dates.PLAN_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DispositionForm(StyledForm, dispositions.DispositionForm):
    choices = Alert.Disposition.choices


class BoardFilterForm(StyledForm):
    """The day page's filters; the tabs are the status."""

    grid = forms.ChoiceField(label=_("grid"), required=False)
    category = forms.ModelChoiceField(
        label=_("category"),
        queryset=MonitoringCategory.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All categories"),
    )

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [("", _("All grids"))] + [(g.code, g.name) for g in grids]
