from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from fangkong.published import is_published


class ChosenLanguageMiddleware:
    """Chinese unless the user chose another language, whatever the browser asks for.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many office PCs
    and test browsers send English; our users expect Chinese. Only the language a user
    picked (the set_language cookie) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        code = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


def csp_header(policy):
    """`{"default-src": ["'self'"], ...}` as the header's text."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy of `settings.SECURE_CSP` on every answer of the app.

    Django 5.2 has none built in (Django 6.0 does, with the same setting). A view that needs
    another policy sets its own header, which is kept. Static files are answered by
    whitenoise before this middleware and carry none: a policy governs documents."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = csp_header(settings.SECURE_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


class NoStoreMiddleware:
    """No answer of the app is kept by a browser or a proxy: `Cache-Control: no-store`.

    Its pages and exports show personal data (the self-report page too, to a visitor with no
    login), and a shared office PC's back button or a proxy must not show them to the next
    person. Static files, answered by whitenoise before this middleware, keep their caching,
    and so do published pages, the same for every visitor (fangkong/published.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_published(response):
            add_never_cache_headers(response)
        return response


class NulQueryMiddleware:
    """A query string with a NUL character is refused before any view reads it.

    No code, name or number contains one, and PostgreSQL refuses it in any text parameter:
    a view that looks a value up unchecked would answer 500 instead of a clear 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return HttpResponseBadRequest(translation.gettext("The address holds a NUL character."))
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A worker whose password someone else chose changes it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        worker = getattr(request.user, "worker", None) if request.user.is_authenticated else None
        if worker is not None and worker.must_change_password:
            allowed = (
                reverse(name) for name in ("password_change", "password_change_done", "logout")
            )
            if request.path not in allowed and not request.path.startswith(
                (settings.STATIC_URL, "/i18n/")
            ):
                return redirect("password_change")
        return self.get_response(request)


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        worker = getattr(self.request.user, "worker", None)
        if worker is not None and worker.must_change_password:
            worker.must_change_password = False
            worker.save(update_fields=["must_change_password"])
        return response
