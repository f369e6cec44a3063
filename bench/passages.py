"""Passages through a real server: gunicorn on loopback, loaded by wrk (issue 14, point 10).

    python bench/passages.py [--database-url URL] [--rounds 3] [--duration 10] [--connections 8]
    python bench/passages.py --profile [--repeat 300]     # one process, test client, cProfile

Starts gunicorn as bench/server.py does (`deploy/gunicorn.conf.py`, `--workers` 2, DEBUG off)
on the demo county (`manage.py load_demo`, made on first use in `--database-url`), or on a
county of `bench/generate.py` with passages of `bench/generate_passages.py`; the demo
checkpoint 东门卡点 of the staff login `checkpoint` is used. Takes an API token for
`checkpoint`, then measures, the modes taking turns for `--rounds` rounds of `--duration`
seconds after a warm-up (each mode's median round is shown):

- floor: `POST /bench/api-floor/` (bench/server_urls.py), a token-authenticated DRF write that
  does nothing: what every API write costs before its own work;
- record: `POST /api/passages/` of one passage each, a fresh client UUID per request (made in
  wrk's Lua), a resident of the community taken in turn, 36.0–36.9 ℃, in or out;
- lookup: `GET /api/checkpoint-lookup/<id>/?q=` by pinyin initials and by last 4 ID digits,
  taking turns;
- batch: one `POST /api/passages/batch/` of 500 passages, timed from the client, `--rounds`
  times (the median shown).

Prints requests/s, p50/p95/p99/max, the CPU ms a request of the gunicorn workers and, on
PostgreSQL, of the database's server processes serving them (from /proc: on a shared
machine compare these, not the rates), the load average, and the rows stored before and
after. Targets (issue 14): ≥ 500 passages/s with p99 < 50 ms on 2 cores, lookups p95 < 50 ms,
a batch of 500 in < 2 s, with 10⁶ residents and 10⁷ passages stored (this script measures
whatever the database holds; bench/RESULTS.md says what was measured).

`--profile` instead records `--repeat` passages through Django's test client in this process:
the statements of one passage in and one out, the CPU ms a passage, then cProfile's top
functions (`--sort`, `--top`).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import Server, bench_env, ensure_wrk, prepare

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

LUA = """
math.randomseed(os.time() + %(seed)d)
local residents = {%(residents)s}
local queries = {%(queries)s}
local n = 0
wrk.headers["Authorization"] = "Token %(token)s"
wrk.headers["Content-Type"] = "application/json"
local function uuid4()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function (c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%%x", v)
  end))
end
request = function()
  n = n + 1
  if "%(mode)s" == "lookup" then
    return wrk.format("GET", "%(lookup)s?q=" .. queries[(n %% #queries) + 1], nil, nil)
  end
  local body = string.format(
    '{"client_uuid":"%%s","checkpoint":%(checkpoint)d,"direction":"%%s","temperature":"36.%%d","resident":%%d}',
    uuid4(), (n %% 2 == 0) and "in" or "out", math.random(0, 9), residents[(n %% #residents) + 1])
  return wrk.format("POST", "%(path)s", nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status + e.connect + e.read + e.write + e.timeout))
end
"""

FACTS = """
from fangkong.checkpoints.models import Checkpoint, Passage
from fangkong.checkpoints.selectors import community_of
from fangkong.people.models import Resident
from fangkong.scope import system_scope
import json
from fangkong.areas.models import Role, RoleKind
with system_scope():
    role = Role.objects.get(kind=RoleKind.CHECKPOINT_STAFF, worker__user__username="checkpoint")
    gate = Checkpoint.objects.filter(name="东门卡点", area_path__startswith=role.area_path).first()
    people = Resident.objects.within(community_of(gate)).filter(status="active")
    rows = list(people.values_list("pk", "name_initials", "id_number_tail")[:300])
    print("FACTS", json.dumps({"checkpoint": gate.pk, "residents": rows,
                               "passages": Passage.objects.count(),
                               "all_residents": Resident.objects.count()}))
"""


def facts(env):
    output = subprocess.run(
        [BIN / "python", "manage.py", "shell", "-c", FACTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(re.search(r"^FACTS (.*)$", output, re.M).group(1))


def post(url, data, token):
    request = urllib.request.Request(
        url,
        json.dumps(data).encode(),
        {
            "Content-Type": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def postgres_pids(env):
    """The server processes of PostgreSQL serving the benchmark's database (the workers keep
    their connections), or none on SQLite."""
    url = env["DATABASE_URL"]
    if not url.startswith("postgres"):
        return []
    name = url.rsplit("/", 1)[1]
    command = [
        "psql", url.rsplit("/", 1)[0] + "/postgres", "-Atc",
        f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    ]  # fmt: skip
    return [int(p) for p in subprocess.run(command, capture_output=True, text=True).stdout.split()]


def cpu_of(pids):
    """User and system CPU seconds of each process still running, by pid."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def db_cpu_since(before, env):
    """The database's CPU seconds since `before` (`cpu_of` then): of the server processes
    serving it now, those that started since counted whole. A connection closed meanwhile
    (gunicorn's workers reconnect after CONN_MAX_AGE) takes its share with it: a slight
    undercount, never the negative figures of subtracting the lost process."""
    after = cpu_of(postgres_pids(env))
    return sum(seconds - before.get(pid, 0) for pid, seconds in after.items())


def run_wrk(server, args, duration, script, env):
    cpu, db_cpu = server.cpu_seconds(), cpu_of(postgres_pids(env))
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{duration}s", "-s", script, server.base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests, micros, p50, p95, p99, slowest, bad = (
        int(n) for n in re.search(r"^RESULT (.*)$", output, re.M).group(1).split()
    )
    return {
        "rps": requests / (micros / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "max": slowest / 1000,
        "cpu": (server.cpu_seconds() - cpu) / max(requests, 1) * 1000,
        "db": db_cpu_since(db_cpu, env) / max(requests, 1) * 1000,
        "bad": bad,
        "load": os.getloadavg()[0],
    }


PATHS = {"floor": "/bench/api-floor/", "record": "/api/passages/", "lookup": ""}


def script(mode, known, token, lookup_path):
    residents = ",".join(str(pk) for pk, _initials, _tail in known["residents"])
    queries = [initials for _pk, initials, _tail in known["residents"][:20] if initials]
    queries += [tail for _pk, _initials, tail in known["residents"][:20] if tail]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(
            LUA
            % {
                "seed": os.getpid(),
                "residents": residents,
                "queries": ",".join(f'"{q}"' for q in queries),
                "token": token,
                "mode": mode,
                "path": PATHS[mode],
                "checkpoint": known["checkpoint"],
                "lookup": lookup_path,
            }
        )
    return lua.name


def batch_of(known, size=500):
    return [
        {
            "client_uuid": str(uuid.uuid4()),
            "checkpoint": known["checkpoint"],
            "direction": "in" if i % 2 else "out",
            "temperature": "36.5",
            "resident": known["residents"][i % len(known["residents"])][0],
        }
        for i in range(size)
    ]


def measure(args, env):
    ensure_wrk()
    prepare(args, env)
    known = facts(env)
    from fangkong.demo.data import PASSWORD

    modes = args.modes.split(",")
    with Server(args, env) as server:
        token = post(
            server.base + "/api/auth/token/", {"username": "checkpoint", "password": PASSWORD}, None
        )["token"]
        lookup_path = f"/api/checkpoint-lookup/{known['checkpoint']}/"
        scripts = {mode: script(mode, known, token, lookup_path) for mode in modes}
        for mode in modes:  # warm-up: imports, connections, statements
            run_wrk(server, args, 2, scripts[mode], env)
        rounds = {mode: [] for mode in modes}
        batches = []
        for _ in range(args.rounds):
            for mode in modes:
                rounds[mode].append(run_wrk(server, args, args.duration, scripts[mode], env))
            started = time.perf_counter()
            answer = post(
                server.base + "/api/passages/batch/", {"passages": batch_of(known)}, token
            )
            batches.append((time.perf_counter() - started, answer))
        for lua in scripts.values():
            os.unlink(lua)
    after = facts(env)
    print(
        f"\ngunicorn, {args.workers} workers, {os.cpu_count()} cores, wrk -c{args.connections}, "
        f"{args.rounds} rounds of {args.duration} s (the median round); {known['all_residents']:,} "
        f"residents, {known['passages']:,} passages before, {after['passages']:,} after; "
        f"{env['DATABASE_URL']}\n"
    )
    print(
        f"{'':8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'CPU ms':>8} {'DB CPU':>8} {'errors':>7} {'load':>6}"
    )
    for mode, runs in rounds.items():
        r = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
        print(
            f"{mode:8} {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
            f"{r['max']:8.1f} {r['cpu']:8.2f} {r['db']:8.2f} {r['bad']:7d} {r['load']:6.1f}"
        )
    seconds, answer = sorted(batches, key=lambda b: b[0])[len(batches) // 2]
    created = sum(1 for r in answer["results"] if r["status"] == "created")
    print(
        f"batch of 500: {seconds:.2f} s (all runs: "
        f"{', '.join(f'{b[0]:.2f}' for b in batches)}), {created} created"
    )


def profile(args):
    """`--repeat` passages through the test client in this process, under cProfile."""
    import cProfile
    import pstats

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fangkong.tokens.services import issue_token

    known = facts(bench_env(args))
    user = get_user_model().objects.select_related("worker").get(username="checkpoint")
    client = Client(
        SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Token {issue_token(user=user).key}"
    )
    bodies = iter(batch_of(known, 2 * args.repeat + 2))

    def record():
        answer = client.post("/api/passages/", next(bodies), content_type="application/json")
        assert answer.status_code == 201, answer.content

    for direction in ("out", "in"):
        with CaptureQueriesContext(connection) as queries:
            record()
        print(f"a passage {direction}: {len(queries.captured_queries)} statements")
        for query in queries.captured_queries:
            print(f"{query['time']:>6} s  {query['sql'][:150]}")
    started = time.process_time()
    for _ in range(args.repeat // 2):
        record()
    cpu = (time.process_time() - started) / (args.repeat // 2) * 1000
    print(f"\n{cpu:.2f} ms CPU a passage (test client, not profiled)\n")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat // 2):
        record()
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/fangkong-bench-passages.sqlite3")
    parser.add_argument("--static-root", default="/tmp/fangkong-bench-static")
    parser.add_argument("--port", type=int, default=8109)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="seconds per mode and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", default="floor,record,lookup")
    parser.add_argument("--profile", action="store_true", help="profile in this process")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
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
