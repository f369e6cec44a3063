"""Forms of directives: issuing, forwarding and reporting. The issuing and reporting forms
carry a client uuid made when the page is shown, so a form sent twice does it once."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import LEVEL_ORDER, Level
from fangkong.reports.registry import catalogue
from fangkong.response.uploads import ACCEPT
from fangkong.web import StyledForm


def new_uuid():
    return uuid.uuid4()


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes one per line, each group of choices folded under its name (a directive
    may take any of a hundred figures of the daily report)."""

    template_name = "directives/checkboxes.html"
    # Not "checkbox": the shared form layout puts a lone checkbox's label after it.
    input_type = "checkboxes"


class FilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files of one field (Django's documented way for `multiple`)."""

    widget = FilesInput

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", FilesInput(attrs={"multiple": True, "accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def levels_below(area):
    start = LEVEL_ORDER.index(area.level) + 1
    return [(level, Level(level).label) for level in LEVEL_ORDER[start:]]


class SendingForm(StyledForm):
    """Where a directive goes: the level it goes to, under some or all child areas."""

    level = forms.ChoiceField(label=_("send to the level"))
    within = forms.MultipleChoiceField(
        label=_("under these areas (none ticked: all)"),
        required=False,
        widget=Checkboxes,
    )
    ack_due_at = forms.DateTimeField(label=_("acknowledge by"), widget=MomentInput())

    def __init__(self, *args, area, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels_below(area)
        self.fields["within"].choices = [(child.code, child.name) for child in children]

    def clean_within(self):
        return list(self.cleaned_data["within"])


def figure_choices():
    """The daily report's figures, grouped by section, for ticking those a report takes."""
    return [
        (
            section.title,
            [
                (
                    f.key,
                    f"{f.group} · {f.label}" if f.group and f.group != section.title else f.label,
                )
                for f in figures
            ],
        )
        for section, figures in catalogue()
    ]


def asked_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class IssueForm(SendingForm):
    client_uuid = forms.UUIDField(
        widget=forms.HiddenInput, initial=new_uuid, label="", required=False
    )
    title = forms.CharField(label=_("title"), max_length=200)
    doc_number = forms.CharField(label=_("document number"), max_length=60, required=False)
    body = forms.CharField(
        label=_("body"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    report_due_at = forms.DateTimeField(
        label=_("report by (empty: no report asked)"), required=False, widget=MomentInput()
    )
    figures = forms.MultipleChoiceField(
        label=_("figures the report takes from the records"),
        required=False,
        widget=Checkboxes,
    )
    asked = forms.CharField(
        label=_("figures only people know (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = FilesField(label=_("attachments"), required=False)

    field_order = [
        "title",
        "doc_number",
        "body",
        "level",
        "within",
        "ack_due_at",
        "report_due_at",
        "figures",
        "asked",
        "attachments",
        "client_uuid",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures"].choices = figure_choices()
        self.order_fields(self.field_order)

    def clean_asked(self):
        return asked_lines(self.cleaned_data["asked"])


class ForwardForm(SendingForm):
    addition = forms.CharField(
        label=_("what your level adds"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    report_due_at = forms.DateTimeField(label=_("report by"), required=False, widget=MomentInput())
    figures = forms.MultipleChoiceField(
        label=_("figures your level adds, taken from the records"),
        required=False,
        widget=Checkboxes,
    )
    asked = forms.CharField(
        label=_("figures your level adds that only people know (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = FilesField(label=_("attachments"), required=False)

    field_order = [
        "addition",
        "level",
        "within",
        "ack_due_at",
        "report_due_at",
        "figures",
        "asked",
        "attachments",
    ]

    def __init__(self, *args, receipt, **kwargs):
        super().__init__(*args, **kwargs)
        if receipt.report_due_at is None:
            for name in ("report_due_at", "figures", "asked"):
                del self.fields[name]
        else:
            self.fields["figures"].choices = figure_choices()
        self.order_fields(self.field_order)

    def clean_asked(self):
        return asked_lines(self.cleaned_data["asked"])


class ReportForm(StyledForm):
    client_uuid = forms.UUIDField(
        widget=forms.HiddenInput, initial=new_uuid, label="", required=False
    )
    summary = forms.CharField(
        label=_("how it was carried out"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, asks, typed=True, **kwargs):
        """`asks`: the figures asked of the area (asks.py); the typed ones are fields."""
        super().__init__(*args, **kwargs)
        self.typed_keys = [ask.key for ask in asks if ask.typed] if typed else []
        for ask in asks:
            if ask.key in self.typed_keys:
                label = ask.label
                if ask.by is not None:
                    label = _("%(label)s (added by %(area)s)") % {
                        "label": label,
                        "area": ask.by.name,
                    }
                field = forms.IntegerField(label=label, min_value=0, max_value=10**9)
                field.widget.attrs["class"] = "form-control"
                field.widget.attrs["inputmode"] = "numeric"
                self.fields[ask.key] = field
        self.order_fields([*self.typed_keys, "summary"])

    def typed(self):
        return {key: self.cleaned_data[key] for key in self.typed_keys}


class SendBackForm(StyledForm):
    reason = forms.CharField(
        label=_("why it is sent back"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
