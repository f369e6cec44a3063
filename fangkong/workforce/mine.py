"""A worker's own duty: their coming shifts, the duty phone the public page shows for them,
and the secret link of their calendar feed (renewed when it leaked)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.web import call_service
from fangkong.workforce import selectors, services
from fangkong.workforce.forms import DutyPhoneForm
from fangkong.workforce.permissions import MINE


def own(request):
    if not request.user.has_perm(MINE) or getattr(request.user, "worker", None) is None:
        raise PermissionDenied(_("Only a worker has duty shifts."))
    return request.user.worker


@login_required
def my_shifts(request):
    worker = own(request)
    profile = services.profile_of(worker)
    form = DutyPhoneForm(request.POST or None, initial={"duty_phone": profile.duty_phone})
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.set_duty_phone, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Saved."))
        return redirect("my_shifts")
    now = timezone.now()
    return render(
        request,
        "workforce/mine.html",
        {
            "shifts": selectors.own_shifts(worker, now, days=28),
            "now": now,
            "form": form,
            "feed_url": request.build_absolute_uri(reverse("duty_feed", args=[profile.feed_token])),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def feed_renew(request):
    own(request)
    services.renew_feed(actor=request.user)
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return redirect("my_shifts")
