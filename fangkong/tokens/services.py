"""Issuing and revoking API tokens; each change is audited in its own transaction.

Revocation happens for a person (`revoke_token`: the owner or a manager) or because who the
worker is or what they may do changed (`revoke_tokens_of`, called by the signal receivers of
`fangkong.tokens.signals`: password, deactivation, a role granted or revoked).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fangkong.audit.services import record
from fangkong.tokens.models import KEY_PREFIX, AuthToken, digest_of, new_key

HINT_LENGTH = len(KEY_PREFIX) + 6


def lifetime():
    return datetime.timedelta(hours=settings.FANGKONG_TOKEN_HOURS)


@transaction.atomic
def issue_token(*, user):
    """A new token for a user who has just proved their password and serves as an active
    worker. The returned token carries its key in `key`: the only time it is known."""
    key = new_key()
    now = timezone.now()
    token = AuthToken.objects.create(
        user=user,
        area=user.worker.area,
        digest=digest_of(key),
        hint=key[:HINT_LENGTH],
        password_stamp=user.get_session_auth_hash(),
        created_at=now,
        expires_at=now + lifetime(),
    )
    record(
        actor=user,
        action="token.create",
        target=token,
        area=token.area,
        hint=token.hint,
        expires_at=token.expires_at.isoformat(),
    )
    token.key = key
    return token


def _revoke(token, *, actor, reason, now):
    token.revoked_at = now
    token.revoked_reason = reason
    token.revoked_by = actor if getattr(actor, "pk", None) else None
    token.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    record(
        actor=actor,
        action="token.revoke",
        target=token,
        area=token.area,
        hint=token.hint,
        owner=token.user.get_username(),
        reason=reason,
    )


@transaction.atomic
def revoke_token(*, actor, token, reason):
    """Revoke one token (the caller checked that the actor may); revoking twice is a no-op."""
    token = (
        AuthToken.objects.select_for_update(of=("self",))
        .select_related("user", "area")
        .get(pk=token.pk)
    )
    if token.revoked_at is None:
        _revoke(token, actor=actor, reason=reason, now=timezone.now())
    return token


@transaction.atomic
def revoke_tokens_of(*, reason, actor=None, **owner):
    """Revoke every usable token of the owner (`user=...`, `user_id=...` or `user__worker=...`)
    and return how many. Expired tokens already open nothing and are left as they are."""
    now = timezone.now()
    tokens = list(
        AuthToken.objects.usable(now)
        .filter(**owner)
        .select_for_update(of=("self",))
        .select_related("user", "area")
    )
    for token in tokens:
        _revoke(token, actor=actor, reason=reason, now=now)
    return len(tokens)
