"""A case's chain drawn in a real browser through a real server (issue 15, point 10: "the chain
of a case with 5,000 nodes rendered in the page < 1 s").

    python bench/tracing_graph.py --database-url URL          # first: the graph and case K
    python bench/chain_browser.py --database-url URL [--runs 10] [--workers 2]

Starts gunicorn on loopback with the production configuration (bench/server.py), logs in as
the demo login `county` through the log-in form in Debian's Chromium at phone width (375 px),
then opens K's chain page (5,001 persons to degree 2) `--runs` times after a warm-up. The
page says, from the start of each navigation, when its graph's data was read and when the
graph was drawn (`data-fetched-ms`, `data-rendered-ms` on `#chain-graph`, set by
tracing/chain.js): the second is the figure of the target, the server's time included.
"""

import argparse
import statistics
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "fangkong-demo"


def case_k(env):
    """K of bench/tracing_graph.py: the case whose chain has 5,001 persons."""
    import os

    os.environ.update(env)
    import django

    django.setup()
    from bench.tracing_graph import the_shapes

    _x, k_case, _cases = the_shapes(100)
    return k_case.pk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--static-root", default="/tmp/fangkong-bench-static")
    parser.add_argument("--port", type=int, default=8137)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env = server.bench_env(args)
    server.manage(env, "collectstatic", "--no-input", "-v", "0")
    case = case_k(env)
    from playwright.sync_api import sync_playwright

    gunicorn = server.Server(SimpleNamespace(port=args.port, workers=args.workers), env)
    with gunicorn as running, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        page = browser.new_page(
            base_url=running.base, viewport={"width": 375, "height": 812}, is_mobile=True
        )
        page.goto("/accounts/login/")
        page.fill("#id_username", "county")
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        read, drawn = [], []
        for run in range(args.runs + 1):
            page.goto(f"/cases/{case}/chain/")
            graph = page.locator("#chain-graph.chain-rendered")
            graph.wait_for(state="attached", timeout=30_000)
            if run:  # the first is the warm-up
                read.append(int(graph.get_attribute("data-fetched-ms")))
                drawn.append(int(graph.get_attribute("data-rendered-ms")))
        nodes = page.locator("#chain-total").inner_text()
        browser.close()
    p95 = statistics.quantiles(drawn, n=20)[-1] if len(drawn) > 1 else drawn[0]
    print(f"chain of case {case} ({nodes.split('.')[0]}), {args.runs} runs, Chromium at 375 px")
    print(f"data read in the page: median {statistics.median(read):.0f} ms")
    verdict = "met" if p95 < 1000 else "MISSED"
    print(
        f"graph drawn: median {statistics.median(drawn):.0f} ms, p95 {p95:.0f} ms (< 1 s {verdict})"
    )


if __name__ == "__main__":
    main()
