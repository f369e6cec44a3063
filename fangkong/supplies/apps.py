from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "fangkong.supplies"
    verbose_name = _("Prevention supplies")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.supplies import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.supplies.permissions import GRANTS
        from fangkong.supplies.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
