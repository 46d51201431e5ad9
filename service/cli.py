"""``yorozu``: the command-line client for the monthly chore, talking to the service over HTTP.

    yorozu upload FILE… [--wait]      upload reports; with --wait, follow them to the end
    yorozu upload FILE… --preview     what each would store (tables, months, warnings, changed figures);
                                      stores nothing. --fiscal-year N: the year of a file naming none
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

from service.client import (
    UPLOAD_REPORT,
    Client,
    NotTheService,
    Refused,
    ServiceError,
    StillWaiting,
    connect,
)

_PREVIEW = """mutation($file: Upload!, $fiscalYear: Int) {
  previewReport(file: $file, fiscalYear: $fiscalYear) {
  filename error errorJa title fiscalYear months valueCount warnings warningsJa
  tables { indicatorCode title valueCount months }
  changes { indicator { code } prefecture { code name } fiscalYear month breakdown oldValue newValue }
  existingReport { id number status } } }"""
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
    upload.add_argument(
        "--preview", action="store_true", help="show what each file would store, and store nothing"
    )
    upload.add_argument(
        "--fiscal-year", type=int, help="fiscal year (年度, e.g. 2026) of a file that names none"
    )

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


def _cli_error(error: ServiceError, client: Client) -> CliError:
    """The one line (and exit code) that says what to do about the service's answer."""
    if isinstance(error, NotTheService):
        return CliError(f"{error}; check --url", Exit.UNREACHABLE)
    if isinstance(error, StillWaiting):
        number = error.report["number"]
        return CliError(f"{error}; see later with: yorozu status {number}", Exit.UNREACHABLE)
    if isinstance(error, Refused) and "UNAUTHENTICATED" in error.codes:
        given = "the service refused the token" if client.token else "no token given"
        return CliError(
            f"{given}: give a token from the service's API_TOKENS with --token or YOROZU_TOKEN",
            Exit.UNREACHABLE,
        )
    if isinstance(error, Refused):
        refused = error.codes & {"BAD_USER_INPUT", "NOT_FOUND", "LIMIT_EXCEEDED", "GRAPHQL_VALIDATION_FAILED"}
        return CliError(str(error), Exit.USAGE if refused else Exit.UNREACHABLE)
    return CliError(str(error), Exit.UNREACHABLE)


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise CliError(f"{path} is a directory; give the report files in it, e.g. {path}/*.txt")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file; check the path") from None
    except OSError as error:
        raise CliError(f"{path}: cannot read it ({error.strerror}); check its permissions") from None


async def _upload(
    client: Client, path: Path, content: bytes, *, fiscal_year: int | None, query: str = UPLOAD_REPORT
) -> dict[str, Any]:
    """Send one file with ``query`` (the upload, or the preview); the mutation's answer."""
    try:
        return await client.upload(content, path.name, query=query, fiscalYear=fiscal_year)
    except ServiceError as error:
        failure = _cli_error(error, client)
        raise CliError(f"{path}: {failure}", failure.code) from None


def _print_preview(path: Path, preview: dict[str, Any], out: TextIO) -> None:
    """A preview as the monthly chore reads it: the outcome, each table, warnings, changed figures."""
    if preview["error"]:
        print(f"{path}: would FAIL", file=out)
        print(f"  error: {preview['error']}", file=out)
        if preview["errorJa"] and preview["errorJa"] != preview["error"]:
            print(f"  エラー: {preview['errorJa']}", file=out)
    else:
        months = ",".join(str(m) for m in preview["months"])
        print(
            f"{path}: would store FY{preview['fiscalYear']} ({preview['title']}) months {months}, "
            f"{preview['valueCount']} values in {len(preview['tables'])} tables",
            file=out,
        )
    for table in preview["tables"]:
        months = ",".join(str(m) for m in table["months"])
        print(
            f"  table {table['title']} → {table['indicatorCode']}: {table['valueCount']} values, "
            f"months {months}",
            file=out,
        )
    japanese = preview["warningsJa"]
    for index, english in enumerate(preview["warnings"]):
        print(f"  warning: {english}", file=out)
        if index < len(japanese) and japanese[index] != english:
            print(f"  警告: {japanese[index]}", file=out)
    changes = preview["changes"]
    print(f"  changes {len(changes)} stored figure(s)" if changes else "  changes no stored figure", file=out)
    for c in changes:
        print(
            f"    {c['indicator']['code']} {c['prefecture']['name']} FY{c['fiscalYear']} {c['month']}月 "
            f"{c['breakdown']}: {c['oldValue']} → {c['newValue']}",
            file=out,
        )
    if preview["existingReport"]:
        existing = preview["existingReport"]
        print(f"  already uploaded as report {existing['number']} ({existing['status']})", file=out)
    print("  nothing was stored", file=out)


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


Command = Callable[[argparse.Namespace, Client, TextIO], Awaitable[Exit]]


async def _upload_command(args: argparse.Namespace, client: Client, out: TextIO) -> Exit:
    contents = [_read(path) for path in args.files]  # every file checked before any is sent
    failed = False
    for path, content in zip(args.files, contents, strict=True):
        if args.preview:
            preview = await _upload(client, path, content, fiscal_year=args.fiscal_year, query=_PREVIEW)
            _print_preview(path, preview, out)
            failed = failed or preview["error"] is not None
            continue
        report = await _upload(client, path, content, fiscal_year=args.fiscal_year)
        print(f"uploaded {path} as report {report['number']} ({report['status']})", file=out)
        if args.wait:
            final = await client.wait(report["id"], timeout=args.timeout)
            _describe(final, out)
            failed = failed or final["status"] == "FAILED"
    return Exit.REPORT_FAILED if failed else Exit.DONE


async def _status_command(args: argparse.Namespace, client: Client, out: TextIO) -> Exit:
    report = await client.report(args.id)
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


async def _export_command(args: argparse.Namespace, client: Client, out: TextIO) -> Exit:
    if args.output is not None:
        _check_output(args.output)
    params = [("indicator", v) for v in args.indicator] + [("fiscal_year", v) for v in args.fiscal_year]
    params += [("prefecture", v) for v in args.prefecture] + [("region", v) for v in args.region]
    params += [(k, v) for k, v in (("from", args.from_month), ("to", args.to_month)) if v]
    params.append(("encoding", args.encoding))
    response = await client.get(f"/export/observations.{args.format}", params=params)
    if response.status_code == 400:
        try:
            reason = str(response.json()["error"])
        except (ValueError, KeyError, TypeError):
            reason = response.text
        raise CliError(reason)
    if response.status_code != 200:
        raise CliError(
            f"{client.http.base_url} answered HTTP {response.status_code} to the export; check --url",
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


async def _schema_command(args: argparse.Namespace, client: Client, out: TextIO) -> Exit:
    introspection = await client.graphql(get_introspection_query(descriptions=True))
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
        async with connect(url, token=token, transport=transport) as client:
            try:
                return await COMMANDS[args.command](args, client, out)
            except ServiceError as error:
                raise _cli_error(error, client) from None
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
