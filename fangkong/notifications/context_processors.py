def unread(request):
    """How many notifications the user has not read, for the badge in the navigation bar."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.notifications.filter(read_at__isnull=True).count()}
