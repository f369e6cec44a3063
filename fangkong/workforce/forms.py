"""Forms of the duty pages; the services check every rule again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Worker
from fangkong.web import StyledForm
from fangkong.workforce.models import MAX_PER_ROLE, DutyPost, DutyRole, DutyShift
from fangkong.workforce.services import MAX_REPEAT_WEEKS


def day_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PostForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=50)
    starts = forms.TimeField(label=_("starts at"), widget=time_input())
    ends = forms.TimeField(
        label=_("ends at"),
        widget=time_input(),
        help_text=_("Earlier than the start: the duty runs past midnight; the same: 24 hours."),
    )
    is_active = forms.BooleanField(label=_("in use"), required=False, initial=True)

    def __init__(self, *args, post=None, **kwargs):
        if post is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": post.name,
                    "starts": post.starts,
                    "ends": post.ends,
                    "is_active": post.is_active,
                    **{f"need_{r}": n for r, n in post.needs.items()},
                },
            )
        super().__init__(*args, **kwargs)
        for role in DutyRole:
            self.fields[f"need_{role.value}"] = forms.IntegerField(
                label=_("%(role)s needed") % {"role": role.label},
                min_value=0,
                max_value=MAX_PER_ROLE,
                required=False,
                initial=self.initial.get(f"need_{role.value}", 0),
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def service_data(self):
        data = dict(self.cleaned_data)
        data["needs"] = {role.value: data.pop(f"need_{role.value}") or 0 for role in DutyRole}
        return data


class ShiftForm(StyledForm):
    post = forms.ModelChoiceField(label=_("duty post"), queryset=DutyPost.objects.none())
    day = forms.DateField(label=_("day"), widget=day_input())
    role = forms.ChoiceField(label=_("duty role"), choices=DutyRole.choices)
    worker = forms.ModelChoiceField(label=_("worker"), queryset=Worker.objects.none())

    def __init__(self, *args, posts, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields["worker"].queryset = workers


class CopyForm(StyledForm):
    week = forms.DateField(widget=forms.HiddenInput)


class RepeatForm(StyledForm):
    week = forms.DateField(widget=forms.HiddenInput)
    weeks = forms.IntegerField(label=_("weeks"), min_value=1, max_value=MAX_REPEAT_WEEKS, initial=4)


class SubstituteForm(StyledForm):
    worker = forms.ModelChoiceField(label=_("substitute"), queryset=Worker.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class SwapForm(StyledForm):
    other = forms.ModelChoiceField(label=_("swap with"), queryset=DutyShift.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, shifts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = shifts


class DeskForm(StyledForm):
    hotline = forms.CharField(label=_("duty hotline"), max_length=20, required=False)
    note = forms.CharField(label=_("note for the public"), max_length=200, required=False)


class DutyPhoneForm(StyledForm):
    duty_phone = forms.CharField(
        label=_("duty phone"),
        max_length=20,
        required=False,
        help_text=_("Shown on the public duty page; blank shows your own number, masked."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class HolidayForm(StyledForm):
    day = forms.DateField(label=_("day"), widget=day_input())
    name = forms.CharField(label=_("name"), max_length=50)
