from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "fangkong.workforce"
    verbose_name = _("Duty and workforce")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.workforce import (  # noqa: F401  (register on import)
            area_hooks,
            audit,
            responsibility_hooks,
        )
        from fangkong.workforce.permissions import GRANTS
        from fangkong.workforce.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
