"""The REST API: one router for the routes of every app."""

from rest_framework import routers

from fangkong.areas import api as areas_api
from fangkong.audit import api as audit_api
from fangkong.monitoring import api as monitoring_api
from fangkong.notifications import api as notifications_api
from fangkong.people import api as people_api
from fangkong.people import import_api
from fangkong.reports import api as reports_api
from fangkong.verification import api as verification_api

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
    *notifications_api.ROUTES,
]:
    router.register(prefix, viewset, basename=basename)
