"""Tokens stop when who the worker is or what they may do changes (connected in `ready()`).

A password set through `set_password`, a user or worker deactivated or removed, a role
granted, changed or revoked: each revokes the tokens of the user concerned, audited, in the
transaction of the change. The authentication class checks password and activity again on
every use, for changes that bypass these signals.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from fangkong.areas.models import Role, Worker
from fangkong.tokens.models import AuthToken
from fangkong.tokens.services import revoke_tokens_of

Reason = AuthToken.Reason


def user_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    # Django keeps the new raw password here until the save ends; a hash upgrade at login
    # clears it first, so only a real change revokes.
    if getattr(instance, "_password", None) is not None:
        revoke_tokens_of(user=instance, reason=Reason.PASSWORD)
    if not instance.is_active:
        revoke_tokens_of(user=instance, reason=Reason.DEACTIVATED)


def worker_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.user_id and not instance.is_active:
        revoke_tokens_of(user_id=instance.user_id, reason=Reason.DEACTIVATED)


def worker_deleted(sender, instance, **kwargs):
    if instance.user_id:
        revoke_tokens_of(user_id=instance.user_id, reason=Reason.DEACTIVATED)


def role_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        revoke_tokens_of(user__worker=instance.worker_id, reason=Reason.ROLES)


def connect():
    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="tokens.user_saved")
    post_save.connect(worker_saved, sender=Worker, dispatch_uid="tokens.worker_saved")
    post_delete.connect(worker_deleted, sender=Worker, dispatch_uid="tokens.worker_deleted")
    post_save.connect(role_changed, sender=Role, dispatch_uid="tokens.role_saved")
    post_delete.connect(role_changed, sender=Role, dispatch_uid="tokens.role_deleted")
