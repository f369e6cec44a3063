"""Paths of the area tree ("/35/3505/350502/…/"), read without a query."""


def county_path(path):
    """The path of the county holding the area at `path`; None above a county (a county's
    own rules — meeting limits, dose intervals — are kept on the county's path)."""
    parts = path.strip("/").split("/")
    return "/" + "/".join(parts[:3]) + "/" if len(parts) >= 3 else None
