"""Settings of the server `bench/server.py` measures: the product's, plus the floor pages."""

from fangkong.settings import *  # noqa: F403

ROOT_URLCONF = "bench.server_urls"
