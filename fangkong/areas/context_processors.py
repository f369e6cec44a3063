from fangkong.areas.selectors import home_areas


def navigation(request):
    """The areas the user works in, for the navigation bar and the home link."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"home_areas": home_areas(user)}
