"""The gate's lane: `POST /api/passages/` from a device with a token, recorded before Django's
middleware and DRF run.

At a village gate in the morning rush every passage is a request, and two cores running the
whole stack for each (sessions, CSRF, messages, login lockout, URL resolving, DRF's request,
negotiation and rendering) answer some 300 a second; the passage itself is a third of that.
`PassageLane` wraps the WSGI application (fangkong/wsgi.py) and takes the same steps as the
API — the token (`ExpiringTokenAuthentication`), the viewset's two permissions, DRF's JSON
parser, the body's serializer, `record_one` and the answer's serializer — and answers only
when the passage is recorded or was recorded already. Anything else goes on to Django, which answers it as it
always did: a host not allowed, a refused token, a missing permission, bad input (the
service's transaction left nothing written), a request with a cookie (the checkpoint page's own queue, signed in), any
other path. A device cannot tell the two apart: the lane answers with the headers Django gave
the first passage it recorded in this process (no-store, CSP, language …), learned once."""

import io
from http import HTTPStatus

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.urls import set_script_prefix
from django.utils import translation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer

from fangkong.checkpoints.api import PASSAGE_ANSWER, RECORD_BODY, record_one
from fangkong.checkpoints.permissions import RECORD, VIEW_PASSAGES
from fangkong.tokens.authentication import ExpiringTokenAuthentication

PATH = "/api/passages/"
# A passage's body is a few hundred bytes; a larger one is Django's to read (and refuse).
LARGEST_BODY = 16 * 1024
TOKEN = ExpiringTokenAuthentication()
PARSER, RENDERER = JSONParser(), JSONRenderer()


class PassageLane:
    """The WSGI application, with a device's recorded passages answered before Django."""

    def __init__(self, application):
        self.application = application
        self.learned = {}  # Django's headers for a recorded passage, by the scheme it saw

    def __call__(self, environ, start_response):
        body = self.taken(environ)
        if body is None:
            return self.application(environ, start_response)
        scheme = self.scheme(environ)
        headers = self.learned.get(scheme)
        if headers is None:
            return self.learn(scheme, environ, start_response)
        answer = self.record(environ, body)
        if answer is None:
            return self.application(environ, start_response)
        status, content = answer
        start_response(status, [*headers, ("Content-Length", str(len(content)))])
        return [content]

    def taken(self, environ):
        """The body of a request this lane may answer, or None. The body is put back for
        Django, which reads it again whenever the lane passes the request on."""
        if (
            environ.get("REQUEST_METHOD") != "POST"
            or environ.get("PATH_INFO") != PATH
            or environ.get("QUERY_STRING")
            or environ.get("HTTP_COOKIE")
            or not environ.get("HTTP_AUTHORIZATION", "").startswith(f"{TOKEN.keyword} ")
            or not environ.get("CONTENT_TYPE", "").startswith("application/json")
        ):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if not 0 < length <= LARGEST_BODY:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def scheme(self, environ):
        """What decides the security headers Django adds (HSTS on HTTPS only). Where HTTPS is
        required, Django redirects a plain request: no 201 is learned for it, so the lane
        never answers one."""
        proxy = settings.SECURE_PROXY_SSL_HEADER
        return environ.get("wsgi.url_scheme"), environ.get(proxy[0]) if proxy else None

    def learn(self, scheme, environ, start_response):
        """Let Django answer, and keep its headers if it recorded the passage."""

        def remember(status, headers, exc_info=None):
            names = {name.lower() for name, _ in headers}
            if status.startswith("201") and "set-cookie" not in names:
                self.learned[scheme] = [
                    (name, value) for name, value in headers if name.lower() != "content-length"
                ]
            return start_response(status, headers, exc_info)

        return self.application(environ, remember)

    def record(self, environ, body):
        """(status, JSON) for a passage recorded now or earlier, or None for Django to answer.
        Django's request signals run around it: connections are checked and closed as after
        any request."""
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            # As ChosenLanguageMiddleware for a request without the language cookie.
            translation.activate(settings.LANGUAGE_CODE)
            try:
                WSGIRequest(environ).get_host()  # a host not allowed is Django's 400
                user, _token = TOKEN.authenticate_credentials(
                    environ["HTTP_AUTHORIZATION"].split(" ", 1)[1].strip()
                )
                if not (user.has_perm(VIEW_PASSAGES) and user.has_perm(RECORD)):
                    return None
                passage = record_one(
                    actor=user, **RECORD_BODY.run_validation(PARSER.parse(io.BytesIO(body)))
                )
            except Exception:  # nothing was written: Django answers it again
                return None
            status = HTTPStatus.CREATED if passage.created else HTTPStatus.OK
            content = RENDERER.render(PASSAGE_ANSWER.to_representation(passage))
            return f"{status.value} {status.phrase}", content
        finally:
            signals.request_finished.send(sender=self.__class__)
