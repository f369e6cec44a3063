"""SMS backends: what carries a text message (短信) to a resident's mobile phone.

Modelled on Django's EMAIL_BACKEND: `settings.FANGKONG_SMS_BACKEND` names the class by dotted
path, and `backend()` makes one. A backend has `send(text)` which hands one `Text` to the
gateway and returns the gateway's id of it ("" if it gives none), or raises `TextNotSent`
with the reason. The outbox (`fangkong.notifications.texts`) decides what to send, when, and
what to do after a failure; a backend only carries.

- `ConsoleBackend` (development, the default): writes each text to the server's output and
  its log, the number masked (138****5678).
- `LocmemBackend` (tests): keeps each text in `outbox`, a list of this module.
- `HttpGatewayBackend` (production): posts each text to an HTTP gateway (the operator's,
  or a provincial platform's) as `settings.FANGKONG_SMS_GATEWAY` describes — URL,
  credentials, the body's template, what a success answers (docs/sms.md).
"""

import base64
import json
import logging
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from fangkong.pii import mask_phone

log = logging.getLogger("fangkong.sms")
DEFAULT_BACKEND = "fangkong.notifications.sms.ConsoleBackend"

# What LocmemBackend sent, oldest first (tests empty it: `outbox.clear()`).
outbox = []


@dataclass(frozen=True)
class Text:
    """One text to send: the mobile number, the words, and our id of the message, which a
    gateway that de-duplicates is given, so that a text tried again is not sent twice."""

    to: str
    body: str
    reference: str = ""


class TextNotSent(Exception):
    """The gateway did not take the text (refused, unreachable, an answer not understood)."""


def is_mobile(phone):
    """Whether a number takes texts: a mainland mobile number (11 digits from 1); a landline
    does not."""
    return bool(phone) and len(phone) == 11 and phone.isdigit() and phone[0] == "1"


def backend(path=None):
    """The configured backend (`FANGKONG_SMS_BACKEND`, the console's when unset)."""
    return import_string(path or getattr(settings, "FANGKONG_SMS_BACKEND", DEFAULT_BACKEND))()


class ConsoleBackend:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, text):
        line = f"[SMS {mask_phone(text.to)}] {text.body}"
        log.info(line)
        self.stream.write(line + "\n")
        self.stream.flush()
        return ""


class LocmemBackend:
    def send(self, text):
        outbox.append(text)
        return f"locmem-{len(outbox)}"


class HttpGatewayBackend:
    """Posts each text to `FANGKONG_SMS_GATEWAY["URL"]`.

    The body is `BODY` (a dict, sent as JSON; or as a form with `"FORMAT": "form"`) in which
    the strings "{to}", "{text}" and "{reference}" are replaced by the number, the words
    (after `SIGNATURE`, the 【签名】 the operator registered, if given) and our id of the
    message. `USERNAME`/`PASSWORD` send HTTP basic credentials, `TOKEN` a bearer token,
    `HEADERS` any other header. A 2xx answer is a success unless `SUCCESS` ({field: value})
    says which fields of the JSON answer mean success; `ID_FIELD` names the field holding
    the gateway's id. `TIMEOUT` (seconds, 10) bounds each request and `PER_SECOND` paces
    the texts to the rate the gateway allows."""

    _lock = threading.Lock()
    _last = 0.0

    def __init__(self, config=None):
        self.config = (
            config if config is not None else getattr(settings, "FANGKONG_SMS_GATEWAY", {})
        )
        if not self.config.get("URL"):
            raise ImproperlyConfigured("FANGKONG_SMS_GATEWAY needs a URL (docs/sms.md).")

    def _fill(self, node, values):
        if isinstance(node, str):
            for name, value in values.items():
                node = node.replace("{" + name + "}", value)
            return node
        if isinstance(node, dict):
            return {key: self._fill(value, values) for key, value in node.items()}
        if isinstance(node, list):
            return [self._fill(value, values) for value in node]
        return node

    def request(self, text):
        config = self.config
        values = {
            "to": text.to,
            "text": config.get("SIGNATURE", "") + text.body,
            "reference": text.reference,
        }
        body = self._fill(config.get("BODY") or {"to": "{to}", "text": "{text}"}, values)
        headers = {"Accept": "application/json", **config.get("HEADERS", {})}
        if config.get("FORMAT") == "form":
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        else:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        if config.get("USERNAME"):
            pair = f"{config['USERNAME']}:{config.get('PASSWORD', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        elif config.get("TOKEN"):
            headers["Authorization"] = f"Bearer {config['TOKEN']}"
        return urllib.request.Request(config["URL"], data=data, headers=headers, method="POST")

    def _pace(self):
        per_second = float(self.config.get("PER_SECOND") or 0)
        if per_second <= 0:
            return
        with self._lock:
            wait = HttpGatewayBackend._last + 1 / per_second - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            HttpGatewayBackend._last = time.monotonic()

    def send(self, text):
        self._pace()
        try:
            with urllib.request.urlopen(
                self.request(text), timeout=float(self.config.get("TIMEOUT", 10))
            ) as response:
                answer = response.read(10000).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            said = error.read(300).decode("utf-8", "replace")
            raise TextNotSent(f"HTTP {error.code}: {said}") from None
        except (urllib.error.URLError, OSError) as error:
            raise TextNotSent(f"gateway unreachable: {error}") from None
        success = self.config.get("SUCCESS") or {}
        id_field = self.config.get("ID_FIELD")
        if not success and not id_field:
            return ""
        try:
            data = json.loads(answer)
        except ValueError:
            raise TextNotSent(f"not a JSON answer: {answer[:200]}") from None
        if not isinstance(data, dict):
            raise TextNotSent(f"unexpected answer: {answer[:200]}")
        for field, value in success.items():
            if str(data.get(field)) != str(value):
                said = json.dumps(data, ensure_ascii=False)
                raise TextNotSent(f"refused: {said[:250]}")
        return str(data.get(id_field, "")) if id_field else ""
