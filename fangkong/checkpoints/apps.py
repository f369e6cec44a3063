from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "fangkong.checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self):
        from fangkong.checkpoints import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.checkpoints.closed_management import on_response_changed
        from fangkong.checkpoints.permissions import GRANTS
        from fangkong.checkpoints.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.response.signals import response_changed

        grant(GRANTS)
        register(SECTION)
        response_changed.connect(on_response_changed, dispatch_uid="checkpoints.closed_management")
