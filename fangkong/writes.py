"""Helpers of every app's services (the writes): a request made once however often it is
sent (`once`, by its client uuid) and the one refusal of an action the actor may not take
(`refused`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.scope import system_scope


def refused():
    return PermissionDenied(_("You may not do this here."))


def once(model, client_uuid, make, **same):
    """`make()` in one transaction, unless a request with the same `client_uuid` already made
    its record: that one is answered (`created` False). A uuid used for another record (of
    another place) is refused."""

    def made_before():
        with system_scope():  # a uuid is unique across the country
            made = model.objects.filter(client_uuid=client_uuid).first()
        if made is not None and any(getattr(made, k) != v for k, v in same.items()):
            raise ValidationError(
                {"client_uuid": _("This request id was already used for another record.")}
            )
        if made is not None:
            made.created = False
        return made

    if client_uuid and (made := made_before()):
        return made
    try:
        with transaction.atomic():
            made = make()
    except IntegrityError:
        # The same request twice at once: the other one made it.
        if client_uuid and (made := made_before()):
            return made
        raise
    made.created = True
    return made
