"""Requests per second through a real server: gunicorn on loopback, loaded by wrk.

    python bench/server.py [--database-url URL] [--rounds 3] [--duration 5] [--connections 8]
    python bench/server.py --profile floor [--repeat 300]

Starts gunicorn (`deploy/gunicorn.conf.py`, `--workers` 2, DEBUG off, static files collected
as `make run` serves them) on 127.0.0.1 with the product's URLs and two floor pages
(bench/server_urls.py), logs in as the demo account `grid` and loads each page with wrk
(`--connections` 8, one thread), the pages taking turns for `--rounds` rounds of
`--duration` seconds after a warm-up:

- bare: a 22 KB page through the project's middleware stack, no session, no database;
- login: the log-in page, anonymously;
- floor: a logged-in page with no content (session, user, roles, menu, badges, base.html);
- day: the grid worker's day page of the demo grid (今日健康监测, `/monitoring/`).

Prints each page's median round: requests/s, p50/p95/p99/max latency, the CPU ms a request
of the gunicorn workers, the page's size and its throughput as a share of bare Django's in
the same run, then the targets (issue 13). The database is a demo county (`manage.py
load_demo`) made on first use in `--database-url` (default a SQLite file in /tmp, kept for
the next run). `--profile PAGE` instead requests one page in this process through Django's
test client under cProfile and prints where the time goes and the queries. bench/README.md.
"""

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "bare": ("/bench/bare/", None),
    "login": ("/accounts/login/", None),
    "floor": ("/bench/floor/", "grid"),
    "day": ("/monitoring/", "grid"),
}
# Issue 13: the share of bare Django's throughput each page must reach, in the same run.
TARGET_SHARES = {"floor": 1 / 5, "day": 1 / 25}
TARGET_P95_MS = 200
TARGET_MAX_MS = 1000

# wrk's summary as one line of numbers (latencies in microseconds).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def settled():
    """After a case's warm-up, as the server's workers after theirs (deploy/gunicorn.conf.py):
    what is loaded by then is frozen out of the garbage collector's full passes, which
    otherwise walk the whole process every so often (40–190 ms, a request's p95 on its own)."""
    gc.collect()
    gc.freeze()


def bench_env(args):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.server_settings",
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "0",
        "STATIC_ROOT": args.static_root,
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *command):
    subprocess.run([BIN / "python", "manage.py", *command], cwd=ROOT, env=env, check=True)


def prepare(args, env):
    """The demo county (made once) and the collected static files, as `make run` has them."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_demo", "--if-empty")
    manage(env, "collectstatic", "--no-input", "-v", "0")


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)


class Server:
    """gunicorn with the production configuration, on loopback, for the length of a `with`."""

    def __init__(self, args, env):
        self.base = f"http://127.0.0.1:{args.port}"
        self.command = [
            BIN / "gunicorn",
            "-c",
            ROOT / "deploy" / "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "/dev/null",
            "fangkong.wsgi",
        ]
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/bench/bare/", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        self.process.terminate()
        raise SystemExit(f"gunicorn did not answer on {self.base}")

    def cpu_seconds(self):
        """User and system CPU seconds the workers have used (their share of the machine)."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def log_in(base, username, password):
    """The session cookie of a real log-in (the form, its CSRF token, the password hasher)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(base + "/accounts/login/", data=data))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not log in as {username}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request) as response:
        return response.status, response.geturl(), response.read()


def wrk(server, path, cookie, args, duration, script):
    url = server.base + path
    cpu = server.cpu_seconds()
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{duration}s", "-s", script, url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    numbers = [int(n) for n in re.search(r"^RESULT (.*)$", output, re.M).group(1).split()]
    requests, micros, size, p50, p95, p99, slowest, bad_status, errors = numbers
    return {
        "cpu": (server.cpu_seconds() - cpu) / max(requests, 1) * 1000,
        "rps": requests / (micros / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "max": slowest / 1000,
        "kb": size / max(requests, 1) / 1024,
        "bad": bad_status + errors,
    }


def measure(args, env):
    from fangkong.demo.data import PASSWORD

    ensure_wrk()
    prepare(args, env)
    chosen = args.pages.split(",")
    results = {}
    with Server(args, env) as server, tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(WRK_REPORT)
        lua.flush()
        cookies = {}
        for name in chosen:
            path, username = PAGES[name]
            if username and username not in cookies:
                cookies[username] = log_in(server.base, username, PASSWORD)
            cookie = cookies.get(username)
            status, final, _body = fetch(server.base + path, cookie)
            if status != 200 or urllib.parse.urlsplit(final).path != path:
                raise SystemExit(f"{name}: {path} answered {status} at {final}")
            # Every worker imports, connects and compiles its templates before the clock runs.
            wrk(server, path, cookie, args, 2, lua.name)
        # Pages take turns, round after round, and each keeps its median round: a machine
        # shared with other work then slows every page alike and the shares stay fair.
        rounds = {name: [] for name in chosen}
        for _ in range(args.rounds):
            for name in chosen:
                path, username = PAGES[name]
                rounds[name].append(
                    wrk(server, path, cookies.get(username), args, args.duration, lua.name)
                )
        for name, runs in rounds.items():
            results[name] = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    report(args, results)


def report(args, results):
    print(
        f"\ngunicorn, {args.workers} workers, {os.cpu_count()} cores, wrk with "
        f"{args.connections} connections, {args.rounds} rounds of {args.duration} s per page "
        f"(the median round shown), {args.database_url}"
    )
    print(
        f"{'page':<6} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'CPU ms':>7} {'KB':>5} {'errors':>6} {'of bare':>8}"
    )
    bare = results.get("bare", {}).get("rps")
    for name, r in results.items():
        share = f"1/{bare / r['rps']:.1f}" if bare else "-"
        print(
            f"{name:<6} {r['rps']:>8.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} "
            f"{r['max']:>7.1f} {r['cpu']:>7.2f} {r['kb']:>5.1f} {r['bad']:>6} {share:>8}"
        )
    for name, share in TARGET_SHARES.items():
        if bare and name in results:
            met = results[name]["rps"] >= share * bare
            print(f"target {name} >= 1/{round(1 / share)} of bare: {'met' if met else 'NOT met'}")
    for name, r in results.items():
        met = r["p95"] < TARGET_P95_MS and r["max"] < TARGET_MAX_MS and not r["bad"]
        print(
            f"target {name} p95 < {TARGET_P95_MS} ms, max < {TARGET_MAX_MS} ms, no errors: "
            f"{'met' if met else 'NOT met'}"
        )


def profile(args):
    """One page in this process under cProfile: the top functions and one request's queries."""
    import cProfile
    import pstats

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path, username = PAGES[args.profile]
    client = Client(SERVER_NAME="127.0.0.1")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # Read now: every request the profile makes empties the connection's query log.
    captured = queries.captured_queries
    for query in captured:
        print(f"{query['time']:>6} s  {query['sql'][:160]}")
    started = time.process_time()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(path)
    profiler.disable()
    cpu = (time.process_time() - started) / args.repeat * 1000
    print(f"\n{args.profile}: {len(captured)} queries, {cpu:.2f} ms CPU a request (profiled)\n")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/fangkong-bench-server.sqlite3")
    parser.add_argument("--static-root", default="/tmp/fangkong-bench-static")
    parser.add_argument("--port", type=int, default=8116)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=5, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES), help="some of " + ",".join(PAGES))
    parser.add_argument("--profile", choices=PAGES, help="profile one page in this process")
    parser.add_argument("--repeat", type=int, default=300, help="requests profiled")
    parser.add_argument("--top", type=int, default=40, help="functions printed")
    args = parser.parse_args()
    env = bench_env(args)
    os.environ.update(env)
    import django

    django.setup()
    if args.profile:
        profile(args)
    else:
        measure(args, env)


if __name__ == "__main__":
    main()
