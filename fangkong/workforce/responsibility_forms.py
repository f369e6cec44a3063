"""The form of a row of an area's division of duties (职责分工)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import RoleKind, Worker
from fangkong.web import StyledForm
from fangkong.workforce.models import Responsibility
from fangkong.workforce.responsibility_services import DUTIES_LENGTH


class ResponsibilityForm(StyledForm):
    client_uuid = forms.UUIDField(
        widget=forms.HiddenInput, initial=uuid.uuid4, label="", required=False
    )
    position = forms.ChoiceField(label=_("duty position"), choices=Responsibility.Position.choices)
    worker = forms.ModelChoiceField(
        label=_("worker"), queryset=Worker.objects.none(), required=False
    )
    role_kind = forms.ChoiceField(
        label=_("role kind"),
        choices=[("", _("(a named worker only)")), *RoleKind.choices],
        required=False,
    )
    duties = forms.CharField(
        label=_("duties"), max_length=DUTIES_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
