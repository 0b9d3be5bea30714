"""`python -m heygen_cli`: list, describe and run the plugin's actions from a terminal.

    python -m heygen_cli actions
    python -m heygen_cli describe create_avatar_video
    python -m heygen_cli run list_voices '{"language": "English", "limit": 3}'
    python -m heygen_cli run get_video_status --set video_id=abc --set wait_for_completion=true
    python -m heygen_cli run download_video @input.json --save out/
    python -m heygen_cli run list_avatars --sim
    python -m heygen_cli sim status      # also: sim start, sim stop, sim reset

`run` goes through the SDK's own path (`integration.execute_action` with an `ExecutionContext`), so what
it prints is exactly what a workflow gets. Credentials come from HEYGEN_API_KEY or HEYGEN_ACCESS_TOKEN,
the host from HEYGEN_API_URL; `--sim` uses the local simulator instead: one background process that
consecutive commands share (started on first use; `sim stop` ends it; see docs/local-simulator.md).
Exit status: 0 done, 1 the action failed, 2 the command or its input is wrong (nothing was sent).
"""

import argparse
import asyncio
import difflib
import json
import sys
from pathlib import Path

from autohive_integrations_sdk import ExecutionContext, ResultType

import heygen
from heygen_cli import background_sim, catalog
from heygen_cli.credentials import api_key_auth, auth_from_env, env_secrets, secrets_in
from heygen_cli.errors import ACTION, USAGE, CliError
from heygen_cli.files import handle_files
from heygen_cli.inputs import read_inputs
from heygen_cli.local_sim import SIM_API_KEY, pointed_at
from heygen_cli.progress import is_terminal, quiet_plugin_logs, show_progress
from heygen_core.client import host as api_host
from heygen_core.errors import redact

DEFAULT_SIM_TIME_SCALE = 0.1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m heygen_cli",
        description="Run the HeyGen plugin's actions from a terminal.",
        epilog="Credentials: HEYGEN_API_KEY or HEYGEN_ACCESS_TOKEN. Host: HEYGEN_API_URL (default HeyGen's).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("actions", help="list every action and its inputs (* = required)")
    listing.add_argument("--json", action="store_true", help="print {action: {required, optional}} as JSON")

    describe = commands.add_parser("describe", help="show one action's inputs and outputs")
    describe.add_argument("name", metavar="NAME")

    run = commands.add_parser(
        "run",
        help="run one action and print its output as JSON",
        description="Run one action through the SDK and print its data as JSON on stdout.",
    )
    run.add_argument("name", metavar="NAME", help="action name (see `actions`)")
    run.add_argument(
        "input", metavar="INPUT", nargs="?", help="inputs: inline JSON, @file.json, or - for stdin (default {})"
    )
    run.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set one input (repeatable), typed by the action's schema: a text input keeps VALUE as text, others "
        "read it as JSON; a dotted KEY reaches into objects (dimension.width=1280) and lists (video_inputs.0.x)",
    )
    run.add_argument(
        "--set-file",
        dest="files",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="set an input from a file (repeatable): a file input (upload_asset's `file`) gets the file itself "
        "(base64, name, content type), a text input the file's text",
    )
    run.add_argument("--save", type=Path, metavar="DIR", help="write file outputs into DIR (printed as their path)")
    run.add_argument("--progress", action="store_true", help="show job polls on stderr (default: when a terminal)")
    run.add_argument(
        "--sim", action="store_true", help="run against the local simulator (a background process, kept between runs)"
    )
    add_sim_speed(run)

    sim = commands.add_parser(
        "sim",
        help="the local simulator behind --sim: status, start, stop, reset",
        description=f"The background simulator --sim uses. Its state folder: ${background_sim.HOME_VARIABLE}, "
        "else .heygen-sim/ at the repository root.",
    )
    sim_commands = sim.add_subparsers(dest="sim_command", required=True, metavar="SIM_COMMAND")
    sim_status = sim_commands.add_parser("status", help="running or not, its url, pid, uptime and account")
    sim_status.add_argument("--json", action="store_true", help="print the status as JSON")
    add_sim_speed(sim_commands.add_parser("start", help="start it now (--sim starts it on first use)"))
    sim_commands.add_parser("stop", help="stop it; the account is kept for the next start")
    sim_commands.add_parser("reset", help="stop it and delete its state folder: the next start is a new account")
    return parser


def add_sim_speed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sim-speed",
        type=float,
        default=DEFAULT_SIM_TIME_SCALE,
        metavar="X",
        help=f"the simulator's time_scale: job durations are multiplied by X (default {DEFAULT_SIM_TIME_SCALE})",
    )


def main(argv: list[str] | None = None, *, stdin=None, stdout=None, stderr=None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = parse_arguments(argv)
    try:
        if args.command == "actions":
            return list_actions(args, stdout)
        if args.command == "describe":
            triggers = catalog.load_triggers()
            entry = triggers[args.name] if args.name in triggers else find_action(args.name)
            stdout.write(catalog.describe(args.name, entry) + "\n")
            return 0
        if args.command == "sim":
            return sim_command(args, stdout)
        return run_command(args, stdin, stdout, stderr)
    except CliError as error:
        stderr.write(f"error: {redact(one_line(error.message), env_secrets())}\n")
        return error.exit_code
    except KeyboardInterrupt:
        stderr.write("interrupted (a job already started on HeyGen keeps running; check its status)\n")
        return 130


def parse_arguments(argv: list[str] | None):
    """Like parse_args, but `run`'s INPUT may also follow the options (argparse alone would reject that)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "run" and args.input is None and len(extra) == 1 and not extra[0].startswith("--"):
        args.input, extra = extra[0], []
    if extra:
        parser.error("unrecognized arguments: " + " ".join(extra))
    return args


def list_actions(args, stdout) -> int:
    actions = catalog.load_actions()
    if args.json:
        listing = {}
        for name, action in actions.items():
            required, optional = catalog.input_names(action)
            listing[name] = {"required": required, "optional": optional}
        stdout.write(json.dumps(listing, indent=2) + "\n")
    else:
        stdout.write(catalog.actions_listing(actions, catalog.load_triggers()) + "\n")
    return 0


def find_action(name: str) -> dict:
    actions = catalog.load_actions()
    if name in actions:
        return actions[name]
    close = difflib.get_close_matches(name, list(actions), n=3)
    suggestion = f"; did you mean {' or '.join(close)}?" if close else ""
    raise CliError(f"unknown action {name!r}{suggestion} (`python -m heygen_cli actions` lists them)")


def run_command(args, stdin, stdout, stderr) -> int:
    find_action(args.name)  # an unknown name fails here, with suggestions
    inputs = read_inputs(
        args.input, args.settings, stdin=stdin, schema=heygen.integration.strict_inputs(args.name), files=args.files
    )
    auth = api_key_auth(SIM_API_KEY) if args.sim else auth_from_env()
    secrets = secrets_in(auth) + env_secrets()
    server = background_sim.ensure_running(checked_speed(args)) if args.sim else None
    progress = args.progress or is_terminal(stderr)
    if progress:
        where = "the local simulator" if args.sim else api_host("api")
        stderr.write(f"running {args.name} against {where}\n")
        if server and server["started"]:
            stderr.write(f"started the local simulator at {server['url']} (`sim stop` ends it)\n")
    with quiet_plugin_logs(), show_progress(stderr, enabled=progress, in_place=is_terminal(stderr), secrets=secrets):
        result = asyncio.run(execute(args.name, inputs, auth, sim_url=server["url"] if server else None))
    data = outcome(args.name, result)
    printed = json.dumps(handle_files(data, args.save), indent=2, ensure_ascii=False)
    stdout.write(redact(printed, secrets) + "\n")
    return 0


def checked_speed(args) -> float:
    if args.sim_speed <= 0:
        raise CliError("--sim-speed must be more than 0")
    return args.sim_speed


async def execute(name: str, inputs: dict, auth: dict, *, sim_url: str | None = None):
    """The SDK's own path: integration.execute_action with a real ExecutionContext."""

    async def once():
        async with ExecutionContext(auth=auth) as context:
            return await heygen.integration.execute_action(name, inputs, context)

    if sim_url is None:
        return await once()
    with pointed_at(sim_url):
        return await once()


def sim_command(args, stdout) -> int:
    """`sim status | start | stop | reset`: the background simulator's life (heygen_cli/background_sim.py)."""
    if args.sim_command == "start":
        server = background_sim.ensure_running(checked_speed(args))
        verb = "started" if server["started"] else "already running:"
        stdout.write(f"local simulator {verb} {server['url']} (pid {server['pid']})\n")
    elif args.sim_command in ("stop", "reset"):
        pid, wiped = (background_sim.stop(), False) if args.sim_command == "stop" else background_sim.reset()
        stopped = f"stopped the local simulator (pid {pid})" if pid else "the local simulator was not running"
        if args.sim_command == "reset":
            stopped += f"; deleted its state folder {background_sim.home()}" if wiped else "; no state to delete"
        stdout.write(stopped + "\n")
    else:
        report = background_sim.status()
        stdout.write((json.dumps(report, indent=2) if args.json else status_text(report)) + "\n")
    return 0


def status_text(report: dict) -> str:
    account = "no account saved yet"
    if report["videos"] is not None:
        account = f"{report['videos']} videos, {report['assets']} assets"
    lines = [f"local simulator: {'running' if report['running'] else 'not running'}"]
    if report["running"]:
        lines += [
            f"  url:      {report['url']}",
            f"  pid:      {report['pid']}",
            f"  uptime:   {report['uptime_seconds']} s",
            f"  speed:    time_scale {report['time_scale']} (v1/v2 {report['legacy']})",
        ]
    lines += [f"  account:  {account}", f"  state:    {report['state_folder']}", f"  log:      {report['log']}"]
    return "\n".join(lines)


def outcome(name: str, result) -> dict:
    """The action's data, or a CliError worded for one line of stderr with the right exit status."""
    if result.type == ResultType.ACTION:
        return result.result.data
    if result.type == ResultType.ACTION_ERROR:
        raise CliError(result.result.message, ACTION)
    details = result.result if isinstance(result.result, dict) else {"message": str(result.result)}
    message = str(details.get("message") or "")
    if result.type == ResultType.VALIDATION_ERROR and details.get("source") == "output":
        raise CliError(f"{name}: the plugin's output did not match its output_schema (a plugin bug): {message}", ACTION)
    if result.type == ResultType.VALIDATION_ERROR:
        raise CliError(message, USAGE)
    raise CliError(f"{name}: {message or result.type.value}", ACTION)


def one_line(text: str) -> str:
    return " ".join(str(text).split())
