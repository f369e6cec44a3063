from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "fangkong.training"
    verbose_name = _("Training and drills")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.training import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.training.permissions import GRANTS
        from fangkong.training.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
