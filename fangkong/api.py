"""The REST API: one router for the routes of every app."""

from rest_framework import routers

from fangkong.areas import api as areas_api
from fangkong.people import api as people_api

router = routers.DefaultRouter()
router.include_format_suffixes = False
for prefix, viewset, basename in [*areas_api.ROUTES, *people_api.ROUTES]:
    router.register(prefix, viewset, basename=basename)
