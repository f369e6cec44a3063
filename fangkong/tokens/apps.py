from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TokensConfig(AppConfig):
    name = "fangkong.tokens"
    verbose_name = _("API tokens")

    def ready(self):
        # Registers the token audit actions, and describes the authentication to OpenAPI.
        import fangkong.tokens.audit
        import fangkong.tokens.schema  # noqa: F401
        from fangkong.tokens.signals import connect

        connect()
