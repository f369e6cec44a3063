from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong import dates
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
        validators=[dates.DEADLINE],
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
    """An area below the task's (a community or grid; the page offers the areas just below)
    or a resident, picked from the candidates a search of the task's area gives."""

    area = forms.CharField(
        label=_("pass to a community or grid"), required=False, max_length=15, widget=forms.Select
    )
    resident = forms.IntegerField(label=_("resident"), required=False, min_value=1)
    q = forms.CharField(
        label=_("or name the resident"),
        required=False,
        max_length=50,
        help_text=_("Name, pinyin initials (zs), ID number or phone, or their last digits."),
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = [
            ("", _("— not passed to an area —")),
            *((child.code, f"{child.name} ({child.code})") for child in children),
        ]
