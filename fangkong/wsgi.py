import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

django_application = get_wsgi_application()

from fangkong.checkpoints.lane import PassageLane  # noqa: E402 (needs the apps loaded)
from fangkong.published import PublishedPages  # noqa: E402

application = PublishedPages(PassageLane(django_application))
