"""Which tokens a user may list and revoke: their own, and those of workers they manage."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from fangkong.areas.models import Worker
from fangkong.areas.permissions import can_manage_worker
from fangkong.areas.selectors import all_roles_of
from fangkong.tokens.models import AuthToken
from fangkong.web import scoped_or_404

MANAGE = "areas.change_worker"
ID = re.compile(r"[0-9]{1,18}")


def tokens_of(user):
    """The user's tokens that still work, newest first."""
    return AuthToken.objects.usable().filter(user=user)


def managed_worker(user, worker_id):
    """A worker whose tokens the user may list and revoke: one they may change and outrank
    in every area where the worker holds a role. Not viewable: 404; viewable but not theirs
    to manage: 403."""
    if not ID.fullmatch(str(worker_id)):
        raise ValidationError(_("A worker is named by their number."))
    worker = scoped_or_404(Worker, user, perm=MANAGE, pk=int(worker_id))
    if worker.user_id != user.pk and not can_manage_worker(user, worker, all_roles_of(worker)):
        raise PermissionDenied(
            _("You may only manage the tokens of workers whose roles you could grant.")
        )
    return worker


def revocable_or_404(user, token_id):
    """A token that still works and that the user may revoke, else a 404: a token of someone
    the user does not manage is never told apart from one that does not exist."""
    if not ID.fullmatch(str(token_id)):
        raise Http404
    token = (
        AuthToken.objects.usable()
        .select_related("user", "user__worker")
        .filter(pk=int(token_id))
        .first()
    )
    if token is None:
        raise Http404
    if token.user_id == user.pk:
        return token
    worker = getattr(token.user, "worker", None)
    if (
        worker is None
        or not Worker.objects.visible_to(user, MANAGE).filter(pk=worker.pk).exists()
        or not can_manage_worker(user, worker, all_roles_of(worker))
    ):
        raise Http404
    return token
