"""The ``yorozu`` command against the running app (upload --wait, status, export, schema), and the
real command against a real server for what a shell user gets wrong: one line, a documented code."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from graphql import build_schema, lexicographic_sort_schema, print_schema

from service.cli import run
from service.dev.embedded_redis import free_port
from service.graphql.schema import schema
from tests.support.paths import SEED
from tests.support.processes import serving
from tests.support.stack import TOKEN, Stack


async def test_upload_wait_status_export_and_schema(stack: Stack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    code = await run(["upload", str(SEED), "--wait", "--token", TOKEN], transport=stack.transport, out=out)
    assert code == 0, out.getvalue()
    assert "SUCCEEDED FY2026 months 4, 658 values" in out.getvalue()
    report_id = out.getvalue().split("as report ")[1].split(" ")[0]

    broken = tmp_path / "broken.txt"
    broken.write_text(
        SEED.read_text(encoding="utf-8").replace("東京都</a>\t440", "東京府</a>\t440"), encoding="utf-8"
    )
    out = io.StringIO()
    assert (
        await run(["--token", TOKEN, "upload", str(broken), "--wait"], transport=stack.transport, out=out)
        == 1
    )
    assert "FAILED" in out.getvalue() and "東京府" in out.getvalue()

    out = io.StringIO()
    assert await run(["status", report_id], transport=stack.transport, out=out) == 0
    assert "SUCCEEDED" in out.getvalue()

    target = tmp_path / "tokyo.csv"
    args = [
        "export",
        "--indicator",
        "onestop.consultations",
        "--fiscal-year",
        "2026",
        "--prefecture",
        "13",
        "-o",
        str(target),
    ]
    assert await run(args, transport=stack.transport, out=io.StringIO()) == 0
    assert "東京都" in target.read_bytes().decode("utf-8-sig")

    out = io.StringIO()
    assert await run(["schema"], transport=stack.transport, out=out) == 0
    assert "uploadReport(" in out.getvalue() and "type Observation" in out.getvalue()
    printed = print_schema(lexicographic_sort_schema(build_schema(out.getvalue())))
    assert printed == print_schema(lexicographic_sort_schema(build_schema(schema.as_str())))


async def test_upload_without_token_is_refused(stack: Stack) -> None:
    err = io.StringIO()
    assert await run(["upload", str(SEED)], transport=stack.transport, out=io.StringIO(), err=err) == 3
    assert "no token given" in err.getvalue() and "YOROZU_TOKEN" in err.getvalue()


@dataclass
class Shell:
    """The real ``yorozu`` command and a real server (uvicorn and a worker) for it to talk to."""

    url: str
    workdir: Path

    async def yorozu(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Exit code, stdout and stderr of ``yorozu args…`` with YOROZU_URL pointing at the server."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from service.cli import main; main()",
            *args,
            env={**os.environ, "YOROZU_URL": self.url, "YOROZU_TOKEN": "", **(env or {})},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=self.workdir,
        )
        out, err = await process.communicate()
        assert process.returncode is not None
        return process.returncode, out.decode(), err.decode()


@pytest.fixture(scope="module")
async def shell(
    redis_url: str, queue_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Shell]:
    workdir = tmp_path_factory.mktemp("cli")
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'cli.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:cli",
        "API_TOKENS": f"tester:{TOKEN}",
    }
    async with serving(env, workdir / "server.log") as url:
        yield Shell(url=url, workdir=workdir)


def one_line(err: str, *expected: str) -> None:
    """stderr is one line, no traceback, and says each of ``expected``."""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for text in expected:
        assert text in err, err


async def test_help_documents_the_environment_and_exit_codes(shell: Shell) -> None:
    code, out, _ = await shell.yorozu("--help")
    assert code == 0
    for text in ("YOROZU_URL", "YOROZU_TOKEN", "exit codes", "3  the service is unreachable"):
        assert text in out
    code, out, _ = await shell.yorozu("--version")
    assert code == 0 and out.startswith("yorozu ") and out.split()[1][0].isdigit()


async def test_url_and_token_go_before_or_after_the_command(shell: Shell) -> None:
    code, out, err = await shell.yorozu(
        "upload", str(SEED), "--wait", "--url", shell.url, "--token", TOKEN, env={"YOROZU_URL": ""}
    )
    assert code == 0, err
    number = out.split("as report ")[1].split(" ")[0]
    code, out, err = await shell.yorozu("--url", shell.url, "status", number, env={"YOROZU_URL": ""})
    assert (code, err) == (0, "") and "SUCCEEDED FY2026" in out
    code, out, err = await shell.yorozu("status", number, "--url", shell.url, env={"YOROZU_URL": ""})
    assert (code, err) == (0, "") and "SUCCEEDED FY2026" in out


async def test_a_failed_report_exits_1(shell: Shell) -> None:
    broken = shell.workdir / "broken.txt"
    broken.write_bytes(b"not a report at all")
    code, out, err = await shell.yorozu("--token", TOKEN, "upload", str(broken), "--wait")
    assert code == 1 and "FAILED" in out and err == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["upload", "missing.txt"], ["missing.txt: no such file"]),
        (["upload", "."], ["is a directory", "report files in it"]),
        (["export", "--fiscal-year", "2026", "-o", "nowhere/figures.csv"], ["does not exist", "create it"]),
        (["export", "--fiscal-year", "2026", "-o", "."], ["is a directory", "give a file name"]),
        (["export", "--fiscal-year", "2026", "-o", "/proc/version"], ["cannot write it"]),
        (["export", "--fiscal-year", "1999"], ["no figures match"]),
        (["export", "--indicator", "nope", "--fiscal-year", "2026"], ["unknown indicator"]),
        (["status", "9999"], ["no report 9999"]),
        (["status", "abc"], ["invalid report id 'abc'"]),
    ],
)
async def test_a_usage_mistake_is_one_line_and_exit_2(
    shell: Shell, args: list[str], expected: list[str]
) -> None:
    code, out, err = await shell.yorozu("--token", TOKEN, *args)
    assert (code, out) == (2, "")
    one_line(err, *expected)


async def test_a_url_ending_with_graphql_says_to_drop_it(shell: Shell) -> None:
    code, _, err = await shell.yorozu("--url", f"{shell.url}/graphql", "schema")
    assert code == 2
    one_line(err, "ends with /graphql", f"--url {shell.url}")


async def test_an_unreachable_server_exits_3(shell: Shell) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    code, _, err = await shell.yorozu("status", "1", env={"YOROZU_URL": nobody})
    assert code == 3
    one_line(err, f"cannot reach the service at {nobody}", "--url or YOROZU_URL")


async def test_a_wrong_token_exits_3(shell: Shell) -> None:
    code, _, err = await shell.yorozu("upload", str(SEED), env={"YOROZU_TOKEN": "wrong"})
    assert code == 3
    one_line(err, "refused the token", "--token or YOROZU_TOKEN")


async def test_a_server_that_is_not_ours_exits_3(shell: Shell) -> None:
    code, _, err = await shell.yorozu("--url", f"{shell.url}/static", "schema")
    assert code == 3
    one_line(err, "not as yorozu-stats", "check --url")
