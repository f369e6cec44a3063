"""The API's token routes (included at the site's root)."""

from django.urls import path

from fangkong.tokens import api

urlpatterns = [
    path("api/auth/token/", api.ObtainTokenView.as_view(), name="api-token"),
    path("api/auth/tokens/", api.TokenListView.as_view(), name="api-tokens"),
    path("api/auth/tokens/<int:pk>/", api.TokenRevokeView.as_view(), name="api-token-revoke"),
]
