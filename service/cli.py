"""``yorozu``: the command-line client for the monthly chore, talking to the service over HTTP.

    yorozu upload FILE… [--wait]      upload reports; with --wait, follow them to the end
    yorozu upload FILE… --preview     what each would store (tables, months, warnings, changed figures);
                                      stores nothing. --fiscal-year N: the year of a file naming none
    yorozu status ID                  a report's status, warnings and error
    yorozu export [filters] [-o F]    figures as CSV (UTF-8 with BOM, or --encoding cp932) or JSON
    yorozu schema                     the GraphQL schema (SDL) the service runs

The service URL and token come from --url/--token or YOROZU_URL/YOROZU_TOKEN.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import httpx
from graphql import build_client_schema, get_introspection_query, print_schema

_UPLOAD = (
    "mutation($file: Upload!, $fy: Int) { uploadReport(file: $file, fiscalYear: $fy) { id status filename } }"
)
_PREVIEW = """mutation($file: Upload!, $fy: Int) { previewReport(file: $file, fiscalYear: $fy) {
  filename error errorJa title fiscalYear months valueCount warnings warningsJa
  tables { indicatorCode title valueCount months }
  changes { indicator { code } prefecture { code name } fiscalYear month breakdown oldValue newValue }
  existingReport { id status } } }"""
_STATUS = (
    "query($id: ID!) { report(id: $id) { id filename status error warnings fiscalYear months valuesStored } }"
)
_DONE = ("SUCCEEDED", "FAILED")


class CliError(Exception):
    """A failure to report on stderr with a non-zero exit code."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yorozu", description="Client for the yorozu-stats service.")
    parser.add_argument("--url", default=os.environ.get("YOROZU_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("YOROZU_TOKEN"))
    commands = parser.add_subparsers(dest="command", required=True)
    upload = commands.add_parser("upload", help="upload report files")
    upload.add_argument("files", nargs="+", type=Path)
    upload.add_argument("--wait", action="store_true", help="wait until each report is processed")
    upload.add_argument("--timeout", type=float, default=300, help="seconds to wait per report")
    upload.add_argument(
        "--preview", action="store_true", help="show what each file would store, and store nothing"
    )
    upload.add_argument(
        "--fiscal-year", type=int, help="fiscal year (年度, e.g. 2026) of a file that names none"
    )
    status = commands.add_parser("status", help="show a report's status")
    status.add_argument("id")
    export = commands.add_parser("export", help="download figures")
    export.add_argument("--indicator", action="append", default=[])
    export.add_argument("--fiscal-year", action="append", default=[])
    export.add_argument("--from", dest="from_month")
    export.add_argument("--to", dest="to_month")
    export.add_argument("--prefecture", action="append", default=[])
    export.add_argument("--region", action="append", default=[])
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--encoding", choices=("utf-8", "cp932"), default="utf-8")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    commands.add_parser("schema", help="print the GraphQL schema")
    return parser


async def _graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise CliError("; ".join(error["message"] for error in body["errors"]))
    data: dict[str, Any] = body["data"]
    return data


async def _upload(
    client: httpx.AsyncClient, path: Path, *, fiscal_year: int | None = None, query: str = _UPLOAD
) -> dict[str, Any]:
    operations = json.dumps({"query": query, "variables": {"file": None, "fy": fiscal_year}})
    response = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (path.name, path.read_bytes(), "application/octet-stream")},
    )
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise CliError(f"{path}: " + "; ".join(error["message"] for error in body["errors"]))
    (report,) = body["data"].values()
    return dict(report)


async def _wait(client: httpx.AsyncClient, report_id: str, timeout: float) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        report: dict[str, Any] = (await _graphql(client, _STATUS, id=report_id))["report"]
        if report["status"] in _DONE:
            return report
        if loop.time() > deadline:
            raise CliError(f"report {report_id} is still {report['status']} after {timeout:g} s")
        await asyncio.sleep(0.5)


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
        print(f"  already uploaded as report {existing['id']} ({existing['status']})", file=out)
    print("  nothing was stored", file=out)


def _describe(report: dict[str, Any], out: TextIO) -> None:
    months = ",".join(str(m) for m in report.get("months") or [])
    details = (
        f" FY{report['fiscalYear']} months {months}, {report['valuesStored']} values"
        if report.get("fiscalYear")
        else ""
    )
    print(f"report {report['id']} ({report['filename']}): {report['status']}{details}", file=out)
    for warning in report.get("warnings") or []:
        print(f"  warning: {warning}", file=out)
    if report.get("error"):
        print(f"  error: {report['error']}", file=out)


async def run(
    argv: list[str], *, transport: httpx.AsyncBaseTransport | None = None, out: TextIO = sys.stdout
) -> int:
    """Run one command; returns the exit code. ``transport`` lets tests talk to the app directly."""
    args = _parser().parse_args(argv)
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=60, transport=transport) as http:
        try:
            return await _command(args, http, out)
        except CliError as error:
            print(f"yorozu: {error}", file=sys.stderr)
            return 1
        except httpx.HTTPError as error:
            print(f"yorozu: cannot reach {args.url}: {error}", file=sys.stderr)
            return 2


async def _command(args: argparse.Namespace, http: httpx.AsyncClient, out: TextIO) -> int:
    if args.command == "upload":
        failed = False
        for path in args.files:
            if args.preview:
                preview = await _upload(http, path, fiscal_year=args.fiscal_year, query=_PREVIEW)
                _print_preview(path, preview, out)
                failed = failed or preview["error"] is not None
                continue
            report = await _upload(http, path, fiscal_year=args.fiscal_year)
            print(f"uploaded {path} as report {report['id']} ({report['status']})", file=out)
            if args.wait:
                final = await _wait(http, report["id"], args.timeout)
                _describe(final, out)
                failed = failed or final["status"] == "FAILED"
        return 1 if failed else 0
    if args.command == "status":
        report = (await _graphql(http, _STATUS, id=args.id))["report"]
        if report is None:
            raise CliError(f"no report {args.id}")
        _describe(report, out)
        return 1 if report["status"] == "FAILED" else 0
    if args.command == "export":
        params = [("indicator", v) for v in args.indicator] + [("fiscal_year", v) for v in args.fiscal_year]
        params += [("prefecture", v) for v in args.prefecture] + [("region", v) for v in args.region]
        params += [(k, v) for k, v in (("from", args.from_month), ("to", args.to_month)) if v]
        params.append(("encoding", args.encoding))
        response = await http.get(f"/export/observations.{args.format}", params=params)
        if response.status_code != 200:
            raise CliError(response.json().get("error", response.text))
        if args.output:
            args.output.write_bytes(response.content)
        else:
            sys.stdout.buffer.write(response.content) if out is sys.stdout else out.write(response.text)
        return 0
    introspection = await _graphql(http, get_introspection_query(descriptions=True))
    print(print_schema(build_client_schema(introspection)), file=out)  # type: ignore[arg-type]
    return 0


def main() -> None:
    """Console entry point."""
    sys.exit(asyncio.run(run(sys.argv[1:])))
