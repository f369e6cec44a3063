"""The Django admin, for system administrators only.

It works outside the data scope (one `system_scope()` around each admin view, rendering
included), so only superusers may enter: a staff flag on an ordinary worker must not open
the whole country to them.
"""

from functools import wraps

from django.contrib import admin

from fangkong.scope import system_scope


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def unscoped(request, *args, **kwargs):
            with system_scope():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                return response

        return super().admin_view(unscoped, cacheable)
