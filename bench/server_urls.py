"""The product's URLs and the floor pages the benches measure beside them: two pages for
`bench/server.py`, one API write for `bench/passages.py`.

Only the bench's server loads this URLconf (bench/server_settings.py); the product has
none of them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.checkpoints.permissions import RECORD

# 22 KB, the size of a typical page of the product, built once.
BARE_PAGE = "<!doctype html><title>bare</title>" + "<p>" + "x" * 22_000 + "</p>"


def bare(request):
    """A 22 KB page through the project's whole middleware stack, no session, no database:
    what Django itself costs on this server."""
    return HttpResponse(BARE_PAGE)


@login_required
def floor(request):
    """A logged-in page with no content: session, user, roles, menu, badges and base.html,
    what every page of the product costs before its own work."""
    return render(request, "base.html")


class ApiFloor(APIView):
    """A token-authenticated JSON POST through DRF that does nothing: the token, its user and
    worker, the roles (one permission asked), the body parsed, a small answer rendered.
    What every API write costs before its own work."""

    def post(self, request):
        return Response({"ok": request.user.has_perm(RECORD), "fields": len(request.data)})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/floor/", floor),
    path("bench/api-floor/", ApiFloor.as_view()),
    path("", include("fangkong.urls")),
]
