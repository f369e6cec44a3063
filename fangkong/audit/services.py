"""The audit trail. Every service that changes who may do what calls `record`."""

from fangkong.audit.actions import scrub
from fangkong.audit.models import AuditEvent


def record(*, actor, action, target, area, **detail):
    """Write one audit row for `target` in `area`; the caller's transaction covers it.

    The detail never holds a whole ID number or phone: any in its text are masked. A change
    made through an API token names the token (`detail["token"]`), so it can be traced to the
    program that held it."""
    token = getattr(actor, "audit_token_id", None)
    if token is not None:
        detail.setdefault("token", token)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.model_name,
        target_id=target.pk,
        area=area,
        detail=scrub(detail),
    )
