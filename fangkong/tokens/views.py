"""The user's own API tokens: a list, and revoking one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.tokens import selectors, services
from fangkong.tokens.models import AuthToken


@login_required
def my_tokens(request):
    if request.method == "POST":
        token = selectors.revocable_or_404(request.user, request.POST.get("token", ""))
        if token.user_id != request.user.pk:
            # This page is for one's own tokens; a manager revokes others' through the API.
            raise Http404
        services.revoke_token(actor=request.user, token=token, reason=AuthToken.Reason.OWNER)
        messages.success(request, _("The token was revoked."))
        return redirect("my_tokens")
    return render(
        request,
        "tokens/my_tokens.html",
        {
            "tokens": selectors.tokens_of(request.user),
            "lifetime": settings.FANGKONG_TOKEN_HOURS,
            "obtain_url": f"POST {reverse('api-token')}",
        },
    )
