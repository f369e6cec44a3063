from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommendationsConfig(AppConfig):
    name = "fangkong.commendations"
    verbose_name = _("Commendations of exemplary workers")

    def ready(self):
        from fangkong.commendations import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.commendations.permissions import GRANTS
        from fangkong.permissions import grant

        grant(GRANTS)
