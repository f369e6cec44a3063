from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseConfig(AppConfig):
    name = "fangkong.response"
    verbose_name = _("Risk levels and response")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.response import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.response.permissions import GRANTS
        from fangkong.response.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
