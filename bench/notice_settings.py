"""Settings of the server `bench/notices.py` measures: `bench/server_settings.py` with the
public notice page's rate limit out of the way (wrk is one client address; the limit's
counting still runs on every request)."""

from bench.server_settings import *  # noqa: F403

FANGKONG_NOTICE_PAGE_VIEWS_PER_HOUR = 10**12
