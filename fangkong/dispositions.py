"""An alert's disposition (处置): what a worker did about it, which closes it.

Monitoring's `Alert` (an abnormal health check) and the checkpoints' `GateAlert` (a passage at
the gate) are both open until a worker says what was done; they differ in what raises them
and in the list of things that may be done (a gate may turn a person back). What they share
is here, once: the fields (`Disposed` and `disposition_field`), the rule of closing
(`close`), the form, the API body and the page's POST (`dispose_posted`). Each app's service
keeps its own lock, audit code and consequences (a monitoring plan held open by its alerts).

The columns are those both apps had before: moving them here changed no table.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong.web import call_service

CLOSING_FIELDS = ["disposition", "disposition_note", "closed_at", "closed_by"]


def disposition_field(choices):
    """The `disposition` column: blank while the alert is open."""
    return models.CharField(_("what was done"), max_length=20, choices=choices, blank=True)


class Disposed(models.Model):
    """An alert open from `opened_at` until its disposition is recorded. The model adds
    `disposition = disposition_field(Disposition.choices)`, its `Disposition` having an
    `OTHER` that needs a note."""

    opened_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    disposition_note = models.CharField(_("note"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


def close(alert, *, actor, disposition, note=""):
    """Record what was done about `alert` (already locked by the caller's service, inside its
    transaction) and close it; refused in Chinese when it is closed already, the choice is
    not one of its model's, or "other" comes without saying what."""
    if alert.closed_at:
        raise ValidationError(_("This alert has already been dealt with."))
    if disposition not in alert.Disposition.values:
        raise ValidationError({"disposition": _("Choose what was done.")})
    note = (note or "").strip()
    if disposition == alert.Disposition.OTHER and not note:
        raise ValidationError({"disposition_note": _("Say what was done.")})
    alert.disposition, alert.disposition_note = disposition, note
    alert.closed_at, alert.closed_by = timezone.now(), actor
    alert.save(update_fields=CLOSING_FIELDS)
    return alert


class DispositionForm(forms.Form):
    """The page's form; a subclass sets `choices` (its model's `Disposition.choices`) and,
    for buttons to tap rather than a list to open, `radio`."""

    choices = ()
    radio = False

    disposition = forms.ChoiceField(label=_("what was done"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["disposition"]
        if self.radio:
            field.widget = forms.RadioSelect()
        field.choices = self.choices


class DisposeSerializer(serializers.Serializer):
    """The API's body; a subclass declares `disposition` with its model's choices."""

    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def dispose_posted(request, form_class, service, alert):
    """Run the disposing `service` on a posted form: (done, form), the form carrying the
    refusal when not done (nothing changed then)."""
    form = form_class(request.POST)
    done = form.is_valid() and call_service(
        form,
        service,
        actor=request.user,
        alert=alert,
        disposition=form.cleaned_data["disposition"],
        note=form.cleaned_data["note"],
    )
    if done:
        messages.success(request, _("Saved."))
    return bool(done), form
