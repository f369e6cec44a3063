from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "fangkong.subsidies"
    verbose_name = _("Subsidies of frontline workers")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.subsidies import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.subsidies.permissions import GRANTS

        grant(GRANTS)
