"""``make run``: API and worker on the embedded defaults, with a Redis started here if none answers.

Loads the bundled sample report through the upload mutation when the database is empty
(``SAMPLE_DATA=0`` turns that off), then prints where to go. Ctrl-C stops everything.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from importlib import resources

import httpx

from service.dev.embedded_redis import redis_answers, start_redis

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))


def say(message: str) -> None:
    print(f"[yorozu] {message}", flush=True)


def wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("the API process exited; see its log above")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the API did not become healthy")


def graphql(base: str, query: str, token: str | None = None, **variables: object) -> dict:  # type: ignore[type-arg]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=30,
    )
    return response.json()  # type: ignore[no-any-return]


def load_sample(base: str, token: str) -> None:
    count = graphql(base, "{ reports { totalCount } }")["data"]["reports"]["totalCount"]
    if count:
        say(f"the database holds {count} report(s); not loading the sample")
        return
    sample = resources.files("service").joinpath("data", "sample_report.txt").read_bytes()
    operations = (
        '{"query": "mutation($file: Upload!) { uploadReport(file: $file) { id status } }",'
        ' "variables": {"file": null}}'
    )
    response = httpx.post(
        f"{base}/graphql",
        data={"operations": operations, "map": '{"0": ["variables.file"]}'},
        files={"0": ("sample_report.txt", sample, "text/plain")},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    report_id = response["data"]["uploadReport"]["id"]
    say(f"database empty: uploading the bundled sample report (令和8年度 4月) as report {report_id}")
    for _ in range(300):
        report = graphql(
            base, "query($id: ID!) { report(id: $id) { status error valuesStored } }", id=report_id
        )["data"]["report"]
        if report["status"] in ("SUCCEEDED", "FAILED"):
            say(
                f"sample report {report['status']}: {report['valuesStored']} values stored"
                + (f" ({report['error']})" if report["error"] else "")
            )
            return
        time.sleep(0.2)
    say("the sample report is still being processed")


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
    token = None
    if not env.get("API_TOKENS"):
        token = secrets.token_urlsafe(18)
        env["API_TOKENS"] = f"dev:{token}"
    else:
        first = env["API_TOKENS"].split(",")[0].strip()
        token = first.partition(":")[2] or first
    base = f"http://{HOST}:{PORT}"
    # service.server is uvicorn with the limits on slow and oversized clients (README, "Limits").
    api = subprocess.Popen(
        [sys.executable, "-m", "service.server", "--host", HOST, "--port", str(PORT)],
        env=env,
    )
    children.append(api)
    wait_healthy(base, api)
    children.append(subprocess.Popen([sys.executable, "-m", "arq", "workers.WorkerSettings"], env=env))
    if env.get("SAMPLE_DATA", "1") not in ("0", "false", "False"):
        load_sample(base, token)
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
    for child in reversed(children):
        child.terminate()
    for child in children:
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()


if __name__ == "__main__":
    main()
