from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.monitoring.models import MonitoringCategory
from fangkong.verification.models import Result
from fangkong.verification.services import default_deadline
from fangkong.web import StyledForm


class UploadForm(StyledForm):
    name = forms.CharField(
        label=_("list name"),
        max_length=200,
        help_text=_("Who sent it and what it is, e.g. 县指挥部 11月25日 协查名单."),
    )
    deadline = forms.DateField(
        label=_("deadline"),
        initial=default_deadline,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(
        label=_("spreadsheet"),
        help_text=_(
            "Columns: name, ID number, phone, reason; optionally the community or village. "
            "An .xlsx, .xls, .ods or .csv file."
        ),
    )


class ResultForm(StyledForm):
    result = forms.ChoiceField(label=_("result"), choices=Result.choices)
    result_note = forms.CharField(label=_("note"), max_length=200, required=False)
    start_monitoring = forms.BooleanField(label=_("Start health monitoring now"), required=False)
    category = forms.ModelChoiceField(
        label=_("monitoring category"),
        queryset=MonitoringCategory.objects.filter(is_active=True),
        required=False,
    )


class PassDownForm(StyledForm):
    """An area (a community or grid below the task's) or a resident, chosen from the page."""

    area = forms.CharField(label=_("community or grid code"), required=False, max_length=15)
    resident = forms.IntegerField(label=_("resident"), required=False, min_value=1)
