"""The adapter point for a health-code verify interface (GB/T 38963, 防疫健康信息码).

`settings.FANGKONG_HEALTH_CODE_VERIFIER` names a function `verify(person, attested)` taking
{"name", "id_number"} of the person at the gate and the colour the staff saw, and giving
(colour, source). The default trusts the staff's attestation; a province's interface would
be called here, falling back to the attestation when it does not answer."""

from django.conf import settings
from django.utils.module_loading import import_string

from fangkong.checkpoints.models import Passage


def attested(person, colour):
    return colour, Passage.CodeSource.ATTESTED


def verifier():
    return import_string(settings.FANGKONG_HEALTH_CODE_VERIFIER)
