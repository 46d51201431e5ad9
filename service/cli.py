"""``yorozu``: the command-line client for the monthly chore, talking to the service over HTTP.

    yorozu upload FILE… [--wait]      upload reports; with --wait, follow them to the end
    yorozu status ID                  a report's status, warnings and error
    yorozu export [filters] [-o F]    figures as CSV (UTF-8 with BOM, or --encoding cp932) or JSON
    yorozu schema                     the GraphQL schema (SDL) the service runs

Every failure is one line on stderr that says what to do, and an exit code from ``Exit``.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import json
import os
import sys
from collections.abc import Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

import httpx
from graphql import build_client_schema, get_introspection_query, print_schema

_UPLOAD = "mutation($file: Upload!) { uploadReport(file: $file) { id number status filename } }"
_STATUS = (
    "query($id: ID!) { report(id: $id) "
    "{ id number filename status error warnings fiscalYear months valuesStored } }"
)
_DONE = ("SUCCEEDED", "FAILED")
_DEFAULT_URL = "http://127.0.0.1:8000"


class Exit(enum.IntEnum):
    """The exit codes, as ``--help`` documents them."""

    DONE = 0
    REPORT_FAILED = 1
    USAGE = 2
    UNREACHABLE = 3


class CliError(Exception):
    """A failure to report on stderr as one line, with its exit code."""

    def __init__(self, message: str, code: Exit = Exit.USAGE) -> None:
        super().__init__(message)
        self.code = code


_EPILOG = f"""\
environment:
  YOROZU_URL     the service's address, like --url (default {_DEFAULT_URL})
  YOROZU_TOKEN   an API token (from the service's API_TOKENS), like --token; uploads need one

--url and --token may come before or after the command.

exit codes:
  0  done
  1  a report FAILED (upload --wait, status)
  2  usage: a wrong option, file, output path or URL, or nothing matched
  3  the service is unreachable, or refused the request (a wrong token, an error on its side),
     or did not finish a report within upload --timeout
"""


def _version() -> str:
    try:
        return version("yorozu-stats")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def _connection_options(*, suppress: bool) -> argparse.ArgumentParser:
    """--url and --token; on the commands they default to nothing, so the main parser's stand."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("connection")
    default = argparse.SUPPRESS if suppress else None
    group.add_argument("--url", default=default, help=f"service address (YOROZU_URL; {_DEFAULT_URL})")
    group.add_argument("--token", default=default, help="API token (YOROZU_TOKEN)")
    return options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yorozu",
        description="Client for the yorozu-stats service: upload reports, follow them, export figures.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_connection_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"yorozu {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common: dict[str, Any] = {
        "parents": [_connection_options(suppress=True)],
        "epilog": _EPILOG,
        "formatter_class": argparse.RawDescriptionHelpFormatter,
    }

    upload = commands.add_parser("upload", help="upload report files", **common)
    upload.add_argument("files", nargs="+", type=Path, metavar="FILE")
    upload.add_argument("--wait", action="store_true", help="wait until each report is processed")
    upload.add_argument("--timeout", type=float, default=300, help="seconds to wait per report")

    status = commands.add_parser("status", help="show a report's status", **common)
    status.add_argument("id", help="the report's number (as upload prints it) or its id")

    export = commands.add_parser("export", help="download figures", **common)
    export.add_argument("--indicator", action="append", default=[], help="indicator code (repeatable)")
    export.add_argument("--fiscal-year", action="append", default=[], help="fiscal year (repeatable)")
    export.add_argument("--from", dest="from_month", help="first month, YYYY-MM")
    export.add_argument("--to", dest="to_month", help="last month, YYYY-MM")
    export.add_argument("--prefecture", action="append", default=[], help="code (13, 13000) or name")
    export.add_argument("--region", action="append", default=[], help="region code (repeatable)")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--encoding", choices=("utf-8", "cp932"), default="utf-8")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    commands.add_parser("schema", help="print the GraphQL schema", **common)
    return parser


def _base_url(given: str | None) -> str:
    url = (given or os.environ.get("YOROZU_URL") or _DEFAULT_URL).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise CliError(f"--url {url!r} is not an http(s) address; give one like {_DEFAULT_URL}")
    if url.endswith("/graphql"):
        raise CliError(
            f"--url {url!r} ends with /graphql; give the service's address without it: "
            f"--url {url.removesuffix('/graphql')}"
        )
    return url


async def _post(client: httpx.AsyncClient, **request: Any) -> dict[str, Any]:
    """A GraphQL POST; the answer's JSON, or CliError when the service refused or is not ours."""
    response = await client.post("/graphql", **request)
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        body = {}
    # A 404 or 405 is some other page of a server (ours answers those in JSON too): not the GraphQL endpoint.
    if (
        response.status_code in (404, 405)
        or not isinstance(body, dict)
        or ("data" not in body and "errors" not in body)
    ):
        raise CliError(
            f"{client.base_url} answered HTTP {response.status_code}, not as yorozu-stats; check --url",
            Exit.UNREACHABLE,
        )
    errors = body.get("errors") or []
    codes = {(error.get("extensions") or {}).get("code") for error in errors}
    messages = "; ".join(str(error.get("message")) for error in errors)
    if "UNAUTHENTICATED" in codes:
        given = "the service refused the token" if "authorization" in client.headers else "no token given"
        raise CliError(
            f"{given}: give a token from the service's API_TOKENS with --token or YOROZU_TOKEN",
            Exit.UNREACHABLE,
        )
    if errors:
        refused = codes & {"BAD_USER_INPUT", "NOT_FOUND", "LIMIT_EXCEEDED", "GRAPHQL_VALIDATION_FAILED"}
        raise CliError(messages, Exit.USAGE if refused else Exit.UNREACHABLE)
    return body


async def _graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = (await _post(client, json={"query": query, "variables": variables}))["data"]
    return data


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise CliError(f"{path} is a directory; give the report files in it, e.g. {path}/*.txt")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file; check the path") from None
    except OSError as error:
        raise CliError(f"{path}: cannot read it ({error.strerror}); check its permissions") from None


async def _upload(client: httpx.AsyncClient, path: Path, content: bytes) -> dict[str, Any]:
    operations = json.dumps({"query": _UPLOAD, "variables": {"file": None}})
    try:
        body = await _post(
            client,
            data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
            files={"0": (path.name, content, "application/octet-stream")},
        )
    except CliError as error:
        raise CliError(f"{path}: {error}", error.code) from None
    report: dict[str, Any] = body["data"]["uploadReport"]
    return report


async def _wait(client: httpx.AsyncClient, report_id: str, timeout: float) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        report: dict[str, Any] = (await _graphql(client, _STATUS, id=report_id))["report"]
        if report["status"] in _DONE:
            return report
        if loop.time() > deadline:
            raise CliError(
                f"report {report['number']} is still {report['status']} after {timeout:g} s; "
                f"see later with: yorozu status {report['number']}",
                Exit.UNREACHABLE,
            )
        await asyncio.sleep(0.5)


def _describe(report: dict[str, Any], out: TextIO) -> None:
    months = ",".join(str(m) for m in report.get("months") or [])
    details = (
        f" FY{report['fiscalYear']} months {months}, {report['valuesStored']} values"
        if report.get("fiscalYear")
        else ""
    )
    print(f"report {report['number']} ({report['filename']}): {report['status']}{details}", file=out)
    for warning in report.get("warnings") or []:
        print(f"  warning: {warning}", file=out)
    if report.get("error"):
        print(f"  error: {report['error']}", file=out)


Command = Callable[[argparse.Namespace, httpx.AsyncClient, TextIO], Awaitable[Exit]]


async def _upload_command(args: argparse.Namespace, http: httpx.AsyncClient, out: TextIO) -> Exit:
    contents = [_read(path) for path in args.files]  # every file checked before any is sent
    failed = False
    for path, content in zip(args.files, contents, strict=True):
        report = await _upload(http, path, content)
        print(f"uploaded {path} as report {report['number']} ({report['status']})", file=out)
        if args.wait:
            final = await _wait(http, report["id"], args.timeout)
            _describe(final, out)
            failed = failed or final["status"] == "FAILED"
    return Exit.REPORT_FAILED if failed else Exit.DONE


async def _status_command(args: argparse.Namespace, http: httpx.AsyncClient, out: TextIO) -> Exit:
    report = (await _graphql(http, _STATUS, id=args.id))["report"]
    if report is None:
        raise CliError(f"no report {args.id}; the numbers upload printed are the ones to give")
    _describe(report, out)
    return Exit.REPORT_FAILED if report["status"] == "FAILED" else Exit.DONE


def _check_output(path: Path) -> None:
    """Refuse an output path that cannot be written before asking the service for anything."""
    if path.is_dir():
        raise CliError(f"-o {path} is a directory; give a file name, e.g. -o {path}/figures.csv")
    if not path.parent.is_dir():
        raise CliError(f"-o {path}: the directory {path.parent} does not exist; create it first")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CliError(f"-o {path}: no permission to write there; choose another file")


def _row_count(content: bytes, fmt: str, encoding: str) -> int:
    if fmt == "json":
        return len(json.loads(content))
    return max(0, len(content.decode(encoding).splitlines()) - 1)  # less the header line


async def _export_command(args: argparse.Namespace, http: httpx.AsyncClient, out: TextIO) -> Exit:
    if args.output is not None:
        _check_output(args.output)
    params = [("indicator", v) for v in args.indicator] + [("fiscal_year", v) for v in args.fiscal_year]
    params += [("prefecture", v) for v in args.prefecture] + [("region", v) for v in args.region]
    params += [(k, v) for k, v in (("from", args.from_month), ("to", args.to_month)) if v]
    params.append(("encoding", args.encoding))
    response = await http.get(f"/export/observations.{args.format}", params=params)
    if response.status_code == 400:
        try:
            reason = str(response.json()["error"])
        except (ValueError, KeyError, TypeError):
            reason = response.text
        raise CliError(reason)
    if response.status_code != 200:
        raise CliError(
            f"{http.base_url} answered HTTP {response.status_code} to the export; check --url",
            Exit.UNREACHABLE,
        )
    if _row_count(response.content, args.format, args.encoding) == 0:
        raise CliError("no figures match these filters; check the indicator, fiscal year and months")
    if args.output is None:
        sys.stdout.buffer.write(response.content) if out is sys.stdout else out.write(response.text)
        return Exit.DONE
    try:
        args.output.write_bytes(response.content)
    except OSError as error:
        raise CliError(f"-o {args.output}: cannot write it ({error.strerror}); choose another file") from None
    return Exit.DONE


async def _schema_command(args: argparse.Namespace, http: httpx.AsyncClient, out: TextIO) -> Exit:
    introspection = await _graphql(http, get_introspection_query(descriptions=True))
    print(print_schema(build_client_schema(introspection)), file=out)  # type: ignore[arg-type]
    return Exit.DONE


#: Each command's handler; a new command adds its parser in ``_parser`` and its handler here.
COMMANDS: dict[str, Command] = {
    "upload": _upload_command,
    "status": _status_command,
    "export": _export_command,
    "schema": _schema_command,
}


async def run(
    argv: list[str],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    out: TextIO = sys.stdout,
    err: TextIO | None = None,
) -> int:
    """Run one command; returns the exit code. ``transport`` lets tests talk to the app directly."""
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed usage or --help/--version
        return int(exit_.code or 0)
    try:
        url = _base_url(args.url)
        token = args.token or os.environ.get("YOROZU_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60, transport=transport) as http:
            try:
                return await COMMANDS[args.command](args, http, out)
            except httpx.HTTPError as error:
                reason = str(error) or type(error).__name__
                raise CliError(
                    f"cannot reach the service at {url} ({reason}); is it running? "
                    "Give its address with --url or YOROZU_URL",
                    Exit.UNREACHABLE,
                ) from None
    except CliError as error:
        print(f"yorozu: {error}", file=err)
        return error.code


def main() -> None:
    """Console entry point."""
    try:
        sys.exit(asyncio.run(run(sys.argv[1:])))
    except KeyboardInterrupt:
        sys.exit(130)
