"""The gate page's offline part: its service worker (served from /checkpoints/ so that its
scope covers the gate pages) and what the page's script needs to work without the server —
the addresses it calls and its messages in the user's language."""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fangkong.checkpoints.models import GateAlert, HealthCode, fever_at

# The files a gate page needs, kept by the service worker: cached at its install, so the page
# opens with no network once it has been opened online.
ASSETS = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "fangkong/site.css",
    "fangkong/favicon.svg",
    "vendor/htmx/htmx.min.js",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "fangkong/site.js",
    "checkpoints/gate_kit.js",
    "checkpoints/gate_store.js",
    "checkpoints/gate_offline.js",
    "checkpoints/gate_visitor_offline.js",
]


@login_required
@require_GET
def gate_service_worker(request):
    """The service worker of the gate pages. No personal data: it names the static files to
    keep; its cache's name changes with them (hashed names in production), which replaces the
    old cache. Behind the log-in like every page: logged out, the browser's update check is
    redirected and fails, and the worker it has keeps working."""
    assets = [static(path) for path in ASSETS]
    source = render_to_string("checkpoints/gate_sw.js", {"assets": json.dumps(assets)})
    version = hashlib.sha256(source.encode()).hexdigest()[:12]
    source = source.replace("__VERSION__", version)
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/checkpoints/"
    return response


def offline_context(request, checkpoint):
    """The gate page's data for its offline script (`checkpoints/gate_offline.html`)."""
    return {
        "offline": {
            "checkpoint": checkpoint.pk,
            "user": request.user.pk,
            "vehicles": checkpoint.takes_vehicles,
            "fever_at": str(fever_at()),
            "bundle_url": reverse("checkpoint-offline-detail", args=[checkpoint.pk]),
            "batch_url": reverse("passage-batch"),
            "worker_url": reverse("gate_service_worker"),
            "logout_url": reverse("logout"),
            "texts": texts(),
        }
    }


def texts():
    return {
        "waiting": _("%(n)s waiting to upload"),
        "others": _("%(n)s more recorded under another login: they upload when it logs in."),
        "offline": _(
            "Offline: passages are kept on this phone and uploaded when the network returns."
        ),
        "syncing": _("Uploading…"),
        "synced": _("Uploaded: %(n)s passages."),
        "sync_failed": _("Upload failed (%(status)s): the passages stay on this phone."),
        "log_in_again": _("Log in again to upload the passages kept on this phone."),
        "refused": _("Refused by the server"),
        "remove": _("Remove"),
        "bundle": _("Offline list: %(people)s people, %(passes)s passes, updated %(time)s."),
        "no_bundle": _("No offline list on this phone yet: open this page once with the network."),
        "bundle_old": _(
            "The offline list is more than a day old: it is not used until it is updated."
        ),
        "nobody": _("Nobody of this community matches in the offline list."),
        "saved": _(
            "Kept on this phone (uploads later): %(name)s, %(direction)s, %(temperature)s ℃."
        ),
        "alert_later": _("A gate alert will be raised when it uploads: %(reasons)s."),
        "fever": str(GateAlert.Reason.FEVER.label),
        "code": str(GateAlert.Reason.CODE.label),
        "monitored_out": str(GateAlert.Reason.MONITORED_OUT.label),
        "monitored": _("Under health monitoring or home quarantine: going out raises an alert."),
        "temperature": _("Enter a temperature between 34 and 43 ℃ (measure again)."),
        "plate": _("A plate number has at most 10 characters."),
        "in": _("In"),
        "out": _("Out"),
        "someone_else": _("Someone else"),
        "temperature_label": _("temperature (℃)"),
        "health_code": _("health code"),
        "green": str(HealthCode.GREEN.label),
        "yellow": str(HealthCode.YELLOW.label),
        "red": str(HealthCode.RED.label),
        "plate_label": _("plate number"),
        "pass_unknown": _(
            "This pass is not in the offline list (forged, altered, or issued after the last "
            "update): refuse it, or check it again when the network returns."
        ),
        "pass_revoked": _("This pass has been revoked: refuse it."),
        "pass_expired": _("This pass expired on %(date)s."),
        "pass_not_yet": _("This pass is valid only from %(date)s."),
        "pass_not_theirs": _("This pass is not this person's."),
        "pass_quota": _(
            "This household's pass allows %(exits)s exits in %(days)s days; already out at "
            "%(times)s."
        ),
        "pass_ok": _(
            "Pass found in the offline list; the server checks its signature again when the "
            "passage uploads."
        ),
        "household_pass": _("Household pass"),
        "work_pass": _("Work pass"),
    }
