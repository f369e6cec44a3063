import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

from fangkong.published import PublishedPages

application = PublishedPages(get_wsgi_application())
