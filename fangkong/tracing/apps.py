from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "fangkong.tracing"
    verbose_name = _("Cases and contacts")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.tracing import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.tracing.permissions import GRANTS
        from fangkong.tracing.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
