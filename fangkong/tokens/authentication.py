"""The API's token authentication: `Authorization: Token <key>`.

A token works while it is neither revoked nor expired, its user and worker are active, the
worker has replaced the password someone else chose, and the password is the one it was
issued under. The token becomes `request.auth`, so what the request does can name it.
"""

import datetime
import functools

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from fangkong.areas.models import Worker
from fangkong.rows import Rows, fetchall, quote
from fangkong.scope import keep_roles, roles_joined
from fangkong.tokens.models import AuthToken, digest_of

# Last use is written at most this often per token, not on every request.
LAST_USE_STEP = datetime.timedelta(minutes=1)
REFUSED = _("The token is invalid, expired or revoked.")


class ExpiringTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be: Token <key>.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        now = timezone.now()
        token = token_with_user(digest_of(key))
        if token is None or not token.is_usable(now) or not usable_by(token.user, token):
            raise exceptions.AuthenticationFailed(REFUSED)
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_STEP:
            AuthToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # Every audit row the request writes names the token it came with (audit.services).
        token.user.audit_token_id = token.pk
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


@functools.cache
def _reading():
    """The readers of a token, its user and their worker, and the statement joining them
    with the worker's active roles (a row a role)."""
    token, user, worker = Rows(AuthToken), Rows(get_user_model()), Rows(Worker)
    roles, joins, order = roles_joined("w")
    sql = (
        f"SELECT {token.columns('t')}, {user.columns('u')}, {worker.columns('w')}, {roles} "
        f"FROM {quote(AuthToken._meta.db_table)} t "
        f'JOIN {quote(user.model._meta.db_table)} u ON u."id" = t."user_id" '
        f'LEFT JOIN {quote(Worker._meta.db_table)} w ON w."user_id" = u."id" '
        f'{joins} WHERE t."digest" = %s ORDER BY {order}'
    )
    return token, user, worker, sql


def token_with_user(digest):
    """The token of `digest` with its user, the user's worker and their roles (or None), as
    `AuthToken.objects.select_related("user", "user__worker")` and `scope.roles_of` read
    them; every API request asks, so it is one statement written once (`fangkong.rows`)."""
    tokens, users, workers, sql = _reading()
    rows = fetchall(sql, [digest])
    if not rows:
        return None
    split, end = len(tokens), len(tokens) + len(users)
    row = rows[0]
    token, user = tokens.make(row[:split]), users.make(row[split:end])
    worker = workers.make(row[end : end + len(workers)])
    user._state.fields_cache["worker"] = worker
    if worker is not None:
        worker._state.fields_cache["user"] = user
    token._state.fields_cache["user"] = user
    keep_roles(user, [row[end + len(workers) :] for row in rows])
    return token


def usable_by(user, token):
    """The signals revoke a token when any of this changes; checked again on every use in
    case a change bypassed them (a queryset update, a password set without `set_password`)."""
    worker = getattr(user, "worker", None)
    return (
        user.is_active
        and worker is not None
        and worker.is_active
        and not worker.must_change_password
        and constant_time_compare(token.password_stamp, user.get_session_auth_hash())
    )
