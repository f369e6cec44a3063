from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularSwaggerSplitView

from fangkong.api import router
from fangkong.apibase import SchemaView
from fangkong.middleware import PasswordChangeView

# The split view serves Swagger UI's start-up script as a file (?script): the page passes the
# site's Content-Security-Policy with no inline script (templates/api_docs.html).
api_docs = SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html")
if not settings.FANGKONG_PUBLIC_API_DOCS:
    api_docs = login_required(api_docs)

urlpatterns = [
    # The API first: its requests (the gate's passages above all) are the most frequent, and
    # each pattern before it is one more tried for every one of them; no page path starts
    # with api/ but the token routes, which the router's patterns never match.
    path("api/", include(router.urls)),
    path("", include("fangkong.areas.urls")),
    path("", include("fangkong.people.urls")),
    path("", include("fangkong.audit.urls")),
    path("", include("fangkong.monitoring.urls")),
    path("", include("fangkong.verification.urls")),
    path("", include("fangkong.reports.urls")),
    path("", include("fangkong.response.urls")),
    path("", include("fangkong.checkpoints.urls")),
    path("", include("fangkong.tracing.urls")),
    path("", include("fangkong.quarantine.urls")),
    path("", include("fangkong.workforce.urls")),
    path("", include("fangkong.care.urls")),
    path("", include("fangkong.visits.urls")),
    path("", include("fangkong.directives.urls")),
    path("", include("fangkong.notices.urls")),
    path("", include("fangkong.gatherings.urls")),
    path("", include("fangkong.facilities.urls")),
    path("", include("fangkong.elections.urls")),
    path("", include("fangkong.subsidies.urls")),
    path("", include("fangkong.commendations.urls")),
    path("", include("fangkong.training.urls")),
    path("", include("fangkong.vaccination.urls")),
    path("", include("fangkong.supplies.urls")),
    path("", include("fangkong.notifications.urls")),
    path("", include("fangkong.tokens.urls")),
    path("", include("fangkong.tokens.page_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Without a CSRF token, so that a published page is the same for every visitor
    # (fangkong/published.py): a forged post could only switch a visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
]
