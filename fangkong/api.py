"""The REST API: one router for the routes of every app."""

from rest_framework import routers

from fangkong.areas import api as areas_api
from fangkong.audit import api as audit_api
from fangkong.care import api as care_api
from fangkong.checkpoints import api as checkpoints_api
from fangkong.commendations import api as commendations_api
from fangkong.directives import api as directives_api
from fangkong.elections import api as elections_api
from fangkong.facilities import api as facilities_api
from fangkong.gatherings import api as gatherings_api
from fangkong.monitoring import api as monitoring_api
from fangkong.notices import api as notices_api
from fangkong.notifications import api as notifications_api
from fangkong.people import api as people_api
from fangkong.people import import_api
from fangkong.quarantine import api as quarantine_api
from fangkong.reports import api as reports_api
from fangkong.response import api as response_api
from fangkong.subsidies import api as subsidies_api
from fangkong.supplies import api as supplies_api
from fangkong.tracing import api as tracing_api
from fangkong.training import api as training_api
from fangkong.vaccination import api as vaccination_api
from fangkong.verification import api as verification_api
from fangkong.visits import api as visits_api
from fangkong.workforce import api as workforce_api

router = routers.DefaultRouter()
router.include_format_suffixes = False
for prefix, viewset, basename in [
    *areas_api.ROUTES,
    *people_api.ROUTES,
    *audit_api.ROUTES,
    *import_api.ROUTES,
    *monitoring_api.ROUTES,
    *verification_api.ROUTES,
    *reports_api.ROUTES,
    *response_api.ROUTES,
    *checkpoints_api.ROUTES,
    *tracing_api.ROUTES,
    *quarantine_api.ROUTES,
    *workforce_api.ROUTES,
    *care_api.ROUTES,
    *visits_api.ROUTES,
    *directives_api.ROUTES,
    *notices_api.ROUTES,
    *gatherings_api.ROUTES,
    *elections_api.ROUTES,
    *facilities_api.ROUTES,
    *subsidies_api.ROUTES,
    *commendations_api.ROUTES,
    *supplies_api.ROUTES,
    *training_api.ROUTES,
    *vaccination_api.ROUTES,
    *notifications_api.ROUTES,
]:
    router.register(prefix, viewset, basename=basename)
