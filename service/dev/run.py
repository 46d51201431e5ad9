"""``make run`` (``python -m service.dev.run``): API and worker on the embedded defaults, with a Redis
started here if none answers.

Loads the bundled sample report through the upload mutation when the database is empty
(``SAMPLE_DATA=0`` turns that off), then prints where to go. Ctrl-C stops everything.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import time
from importlib import resources

from service import client
from service.dev import processes
from service.dev.embedded_redis import redis_answers, start_redis

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))


def say(message: str) -> None:
    print(f"[yorozu] {message}", flush=True)


async def load_sample(base: str, token: str) -> None:
    """Upload the bundled sample report when the database holds none, and wait for it."""
    async with client.connect(base, token=token, timeout=30) as service:
        count = (await service.graphql("{ reports { totalCount } }"))["reports"]["totalCount"]
        if count:
            say(f"the database holds {count} report(s); not loading the sample")
            return
        sample = resources.files("service").joinpath("data", "sample_report.txt").read_bytes()
        report = await service.upload(sample, "sample_report.txt")
        say(f"database empty: uploading the bundled sample report (令和8年度 4月) as report {report['id']}")
        try:
            final = await service.wait(report["id"], timeout=60, interval=0.2)
        except client.StillWaiting:
            say("the sample report is still being processed")
            return
    say(
        f"sample report {final['status']}: {final['valuesStored']} values stored"
        + (f" ({final['error']})" if final["error"] else "")
    )


def main() -> None:
    env = dict(os.environ)
    children: list[subprocess.Popen[bytes]] = []
    redis_url = env.get("REDIS_URL", "redis://localhost:6379/0")
    if redis_answers(redis_url):
        say(f"using the Redis at {redis_url}")
    else:
        server, redis_url = start_redis()
        children.append(server)
        env["REDIS_URL"] = redis_url
        say(f"no Redis answered; started the bundled redis-server at {redis_url}")
    if not env.get("API_TOKENS"):
        token = secrets.token_urlsafe(18)
        env["API_TOKENS"] = f"dev:{token}"
    else:
        first = env["API_TOKENS"].split(",")[0].strip()
        token = first.partition(":")[2] or first
    base, api = processes.spawn_api(env=env, host=HOST, port=PORT)
    children.append(api)
    try:
        asyncio.run(processes.wait_healthy(base, api))
    except processes.NotHealthy:
        _stop(children)
        raise SystemExit("the API did not become healthy; see its log above") from None
    children.append(processes.spawn_worker(env=env))
    if env.get("SAMPLE_DATA", "1") not in ("0", "false", "False"):
        asyncio.run(load_sample(base, token))
    say(f"dashboard: {base}/")
    say(f"GraphiQL: {base}/graphql")
    say(
        f"upload token: {token}"
        + ("  (generated; set API_TOKENS to choose your own)" if not os.environ.get("API_TOKENS") else "")
    )
    say(
        f"upload with curl: curl {base}/graphql -H 'Authorization: Bearer {token}' "
        '-F operations=\'{"query":"mutation($f: Upload!){uploadReport(file:$f){id status}}",'
        '"variables":{"f":null}}\' -F map=\'{"0":["variables.f"]}\' -F 0=@REPORT.txt'
    )
    stop = False

    def request_stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    while not stop and all(child.poll() is None for child in children):
        time.sleep(0.5)
    _stop(children)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """The children in reverse order of start: worker, API, then Redis."""
    for child in reversed(children):
        processes.stop(child, timeout=10)


if __name__ == "__main__":
    main()
