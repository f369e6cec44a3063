"""Background work of notifications (django-tasks; `manage.py db_worker` runs it): sending
the texts of a batch (`texts.send_texts`), and the recovery of texts a stopped sender held."""

from fangkong.notifications import texts
from fangkong.notifications.texts import send_texts
from fangkong.tasks import recovery

__all__ = ["send_texts", "text_messages"]


@recovery
def text_messages(before):
    """Texts claimed before `before` by a sender that stopped: failed, to be tried again."""
    return texts.recover(before)
