from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "fangkong.care"
    verbose_name = _("Services for residents")

    def ready(self):
        from fangkong.care import area_hooks, audit, entitled  # noqa: F401  (register on import)
        from fangkong.care.permissions import GRANTS
        from fangkong.care.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register

        grant(GRANTS)
        register(SECTION)
