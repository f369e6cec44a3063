"""Pages of self-registration: the checkpoint's printable poster, the visitor's public form
(no login, rate-limited per client address) and the staff's confirm / reject at the gate."""

import segno
from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.checkpoints import self_registration
from fangkong.checkpoints.forms import PassageFields, new_uuid, text_input
from fangkong.checkpoints.models import Checkpoint, Passage, Registration
from fangkong.checkpoints.permissions import CHANGE, CONFIRM
from fangkong.checkpoints.views import saved
from fangkong.scope import system_scope
from fangkong.web import call_service, scoped_or_404


class RegistrationForm(forms.Form):
    """What a visitor types on their own phone; the service checks every rule again."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid)
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=50, widget=text_input())
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30, widget=text_input())
    phone = forms.CharField(
        label=gettext_lazy("phone"),
        max_length=20,
        widget=text_input(inputmode="tel", autocomplete="tel"),
    )
    reason = forms.CharField(
        label=gettext_lazy("reason of the visit"), max_length=200, widget=text_input()
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("direction"),
        choices=Passage.Direction.choices,
        initial=Passage.Direction.IN,
        widget=forms.RadioSelect,
    )
    household = forms.CharField(
        label=gettext_lazy("household visited (door number)"),
        max_length=50,
        required=False,
        widget=text_input(placeholder=gettext_lazy("For example 3-201")),
    )


class ConfirmForm(forms.Form):
    temperature = PassageFields.base_fields["temperature"]
    health_code = PassageFields.base_fields["health_code"]


@login_required
def checkpoint_poster(request, pk):
    """An A4 poster (场所码) to print and put up at the gate."""
    checkpoint = scoped_or_404(Checkpoint, request.user, pk=pk, perm=CHANGE)
    url = request.build_absolute_uri(self_registration.register_url(checkpoint))
    qr = segno.make(url, error="m").svg_inline(scale=10, border=4, omitsize=True)
    return render(
        request,
        "checkpoints/poster.html",
        {"checkpoint": checkpoint, "qr": mark_safe(qr)},
    )


def checkpoint_register(request, token):
    """The visitor's own registration, from the poster's QR code, with no login."""
    checkpoint = self_registration.open_poster(token)
    if checkpoint is None:
        raise Http404
    form = RegistrationForm(request.POST or None)
    # The page is public: a flood of posts is refused before anything is read or written.
    wait = 0
    if request.method == "POST":
        wait = self_registration.seconds_until_allowed(get_client_ip_address(request))
    if wait:
        form = RegistrationForm()
    elif form.is_valid():
        registration = call_service(
            form, self_registration.register, checkpoint=checkpoint, **form.cleaned_data
        )
        if registration:
            return redirect("checkpoint_registered", token=token, uuid=registration.client_uuid)
    response = render(
        request,
        "checkpoints/register.html",
        {
            "checkpoint": checkpoint,
            "form": form,
            "refused": _(
                "Too many registrations were sent from this network. Nothing was recorded; "
                "please register at the gate or try again in an hour."
            )
            if wait
            else "",
        },
        status=429 if wait else (400 if form.is_bound else 200),
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def checkpoint_registered(request, token, uuid):
    """What the visitor shows the staff: their registration (masked) and whether it waits."""
    checkpoint = self_registration.open_poster(token)
    if checkpoint is None:
        raise Http404
    # Public page: the poster's signature and the form's random identifier name this one row.
    with system_scope():
        registration = Registration.objects.filter(checkpoint=checkpoint, client_uuid=uuid).first()
    if registration is None:
        raise Http404
    return render(
        request,
        "checkpoints/registered.html",
        {"checkpoint": checkpoint, "registration": registration},
    )


def decided(request, pk):
    return scoped_or_404(Registration, request.user, pk=pk, perm=CONFIRM)


@login_required
@require_POST
def registration_confirm(request, pk):
    registration = decided(request, pk)
    form = ConfirmForm(request.POST)
    passage = form.is_valid() and call_service(
        form,
        self_registration.confirm,
        actor=request.user,
        registration=registration,
        **form.cleaned_data,
    )
    if passage:
        saved(request, passage)
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("checkpoint", pk=registration.checkpoint_id)


@login_required
@require_POST
def registration_reject(request, pk):
    registration = decided(request, pk)
    form = forms.Form(request.POST)
    if call_service(form, self_registration.reject, actor=request.user, registration=registration):
        messages.success(
            request, _("Registration of %(name)s rejected.") % {"name": registration.name}
        )
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("checkpoint", pk=registration.checkpoint_id)
