"""The site with the token routes wired in front, as fangkong/urls.py will have them."""

from django.urls import include, path

urlpatterns = [
    path("", include("fangkong.tokens.urls")),
    path("", include("fangkong.tokens.page_urls")),
    path("", include("fangkong.urls")),
]
