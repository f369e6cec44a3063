from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "fangkong.directives"
    verbose_name = _("Directives")

    def ready(self):
        from fangkong.directives import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.directives.permissions import GRANTS
        from fangkong.directives.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register

        grant(GRANTS)
        register(SECTION)
