"""The token pages (included at the site's root)."""

from django.urls import path

from fangkong.tokens import views

urlpatterns = [path("accounts/tokens/", views.my_tokens, name="my_tokens")]
