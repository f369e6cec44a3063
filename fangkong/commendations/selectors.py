"""Reads of commendations: every list through `visible_to(user, perm)`."""

from fangkong.commendations.models import Commendation
from fangkong.commendations.permissions import VIEW


def commendations(user, perm=VIEW):
    return Commendation.objects.visible_to(user, perm).select_related("area", "worker")


def awarded(records):
    return records.filter(status=Commendation.Status.AWARDED)


def to_decide(records):
    return records.filter(status=Commendation.Status.PROPOSED)


def of_worker(user, worker):
    return commendations(user).filter(worker=worker)
