"""Forms of notices. The forms that create carry a client uuid made when the page is shown,
so a form sent twice creates once; the publish form names the version it publishes."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.notices.models import BODY_LENGTH, TITLE_LENGTH, Notice
from fangkong.web import StyledForm


def new_uuid():
    return uuid.uuid4()


class TextFields(StyledForm):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid, label="")
    title = forms.CharField(label=_("title"), max_length=TITLE_LENGTH)
    body = forms.CharField(
        label=_("text"),
        max_length=BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Shown as typed, line breaks kept; markup is shown as text."),
    )


class NoticeForm(TextFields):
    kind = forms.ChoiceField(label=_("kind"), choices=Notice.Kind.choices)
    field_order = ["client_uuid", "kind", "title", "body"]


class DraftForm(TextFields):
    change_note = forms.CharField(
        label=_("what changed"),
        max_length=200,
        required=False,
        help_text=_("Shown to residents beside the new version."),
    )


class PublishForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    publish_at = forms.DateTimeField(
        label=_("publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now. A later time schedules the publication."),
    )


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("reason for withdrawing"), max_length=200)
