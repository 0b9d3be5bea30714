"""`python -m proxy …`: serve, and administer organisations, keys and the master key from the command line.

A HeyGen credential is read from HEYGEN_API_KEY or standard input, never from an argument (arguments end
up in shell history and process lists). A new API key is printed once, alone on the last line.
"""

import argparse
import asyncio
import getpass
import multiprocessing
import os
import re
import signal
import sys

from autohive_integrations_sdk import ResultType

from proxy import logs
from proxy.auth import new_key
from proxy.crypto import MasterKeyError, new_master_key
from proxy.db import migrate, open_engine
from proxy.errors import HEYGEN_STATUS
from proxy.runtime import opened
from proxy.service import auth_for, run_action
from proxy.settings import Settings
from proxy.store import SCOPES, StoreError

ORG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class Refused(Exception):
    pass


def org_name(value: str) -> str:
    if not ORG_PATTERN.match(value):
        raise argparse.ArgumentTypeError("an organisation id is 1-63 of a-z, 0-9, '-' and '_', starting alphanumeric")
    return value


def read_credential() -> str:
    credential = os.environ.get("HEYGEN_API_KEY", "").strip()
    if not credential:
        credential = getpass.getpass("HeyGen credential: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    if not credential:
        raise Refused("no HeyGen credential: set HEYGEN_API_KEY or pass it on standard input")
    return credential


async def check_credential(kind: str, credential: str) -> None:
    """One cheap HeyGen call (the remaining quota) through the plugin; a refused credential saves nothing."""
    result = await run_action("get_remaining_quota", {}, auth_for(kind, credential))
    if result.type == ResultType.ACTION:
        return
    message = getattr(result.result, "message", None) or str(result.result)
    found = HEYGEN_STATUS.search(message)
    if found and found.group(1) in ("401", "403"):
        raise Refused(f"HeyGen refused this credential ({message}); nothing was saved")
    raise Refused(f"could not check the credential with HeyGen ({message}); nothing was saved (--no-check saves it)")


async def org_command(args, settings: Settings) -> None:
    async with opened(settings) as store:
        if args.action == "list":
            for org in await store.orgs():
                state = "disabled" if org.disabled else "active"
                tail = f"…{org.credential_tail}" if org.credential_tail else "(short)"
                cap = org.monthly_cap if org.monthly_cap is not None else "none"
                print(
                    f"{org.org_id}\t{state}\t{org.credential_kind} {tail}\tmonthly cap {cap}\ttest only {org.test_only}"
                )
            return
        if args.action in ("add", "set-credential"):
            credential = read_credential()
            if not args.no_check:
                await check_credential(args.kind, credential)
            if args.action == "add":
                await store.add_org(
                    args.org, args.kind, credential, monthly_cap=args.monthly_cap, test_only=args.test_only
                )
                print(f"organisation {args.org} added (credential {args.kind} checked: {not args.no_check})")
            else:
                await store.set_credential(args.org, args.kind, credential)
                print(f"credential of {args.org} replaced")
            return
        if args.action in ("disable", "enable"):
            await store.set_org(args.org, disabled=args.action == "disable")
            print(f"organisation {args.org} {args.action}d")
            return
        values = {}
        if args.monthly_cap is not None:
            values["monthly_cap"] = None if args.monthly_cap < 0 else args.monthly_cap
        if args.test_only is not None:
            values["test_only"] = args.test_only == "yes"
        if not values:
            raise Refused("nothing to set: give --monthly-cap N (-1 for none) or --test-only yes|no")
        await store.set_org(args.org, **values)
        print(f"organisation {args.org}: " + ", ".join(f"{k} {v}" for k, v in values.items()))


async def key_command(args, settings: Settings) -> None:
    async with opened(settings) as store:
        if args.action == "create":
            scopes = [s.strip() for s in args.scope.split(",") if s.strip()]
            try:
                row, key = new_key(args.org, scopes, args.rpm or settings.key_rpm, args.expires)
            except ValueError as error:
                raise Refused(str(error)) from None
            await store.add_key(row)
            expiry = row.expires_at.isoformat(timespec="seconds") if row.expires_at else "never"
            print(f"key id: {row.key_id}")
            print(f"organisation {args.org}, scopes {row.scopes}, {row.rpm} requests a minute, expires {expiry}")
            print("the key is shown once, now; only its hash is kept:")
            print(key)
        elif args.action == "list":
            for row in await store.keys(args.org):
                state = "revoked" if row.revoked_at else "active"
                expiry = row.expires_at.isoformat(timespec="seconds") if row.expires_at else "never"
                print(f"{row.key_id}\t{state}\t{row.scopes}\t{row.rpm}/min\texpires {expiry}")
        else:
            row = await store.revoke_key(args.key_id)
            print(f"key {row.key_id} of {row.org_id} revoked")


async def audit_command(args, settings: Settings) -> None:
    async with opened(settings) as store:
        for row in reversed(await store.audit(args.org, args.limit)):
            fields = [row.at.isoformat(timespec="seconds"), row.org_id, row.event, row.key_id or "-"]
            if row.event == "call":
                fields += [row.operation, str(row.status), row.job_id or "-", f"{row.latency_ms:.0f} ms"]
            elif row.detail:
                fields.append(row.detail)
            print("\t".join(fields))


async def reencrypt_command(settings: Settings) -> None:
    async with opened(settings) as store:
        changed = await store.reencrypt()
        print(f"{changed} credential(s) re-sealed with master key {store.vault.key_id}")


async def migrate_command(args, settings: Settings) -> None:
    engine = open_engine(settings.database_url)
    try:
        await migrate(engine, args.revision or ("base" if args.down else "head"), down=args.down)
    finally:
        await engine.dispose()
    print(f"schema {'downgraded' if args.down else 'upgraded'} to {args.revision or ('base' if args.down else 'head')}")


def serve(args, settings: Settings) -> None:
    from aiohttp import web

    from proxy.runtime import open_proxy
    from proxy.web import build_app

    if args.workers > 1 and not settings.redis_url:
        raise Refused("several workers need PROXY_REDIS_URL: limits and idempotency kept per process would not hold")

    async def prepare():
        async with opened(settings):  # creates and migrates the database once, before any worker starts
            pass

    asyncio.run(prepare())

    async def app_factory():
        return build_app(await open_proxy(settings))

    def run(reuse_port: bool) -> None:
        logs.install()
        web.run_app(app_factory(), host=args.host, port=args.port, reuse_port=reuse_port, print=None)

    print(f"HeyGen proxy on http://{args.host}:{args.port}/ (console /console/, OpenAPI /openapi.json)", flush=True)
    if args.workers == 1:
        run(False)
        return
    context = multiprocessing.get_context("fork")  # the workers share this process's settings as they are
    workers = [context.Process(target=run, args=(True,)) for _ in range(args.workers)]
    for worker in workers:
        worker.start()

    def stop(signum, _frame):  # a stopped parent stops its workers rather than leaving them behind
        for worker in workers:
            worker.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for worker in workers:
        worker.join()


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m proxy", description="The organisation-scoped HeyGen proxy.")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the proxy (default 127.0.0.1:8080)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument("--workers", type=int, default=1, help="processes sharing the port (needs PROXY_REDIS_URL)")
    commands.add_parser("master-key", help="print a new master key (32 random bytes, URL-safe base64)")
    commands.add_parser("reencrypt", help="re-seal every credential with the current master key")
    audit = commands.add_parser("audit", help="the latest audit rows: key and credential changes, billed calls")
    audit.add_argument("org", nargs="?", type=org_name)
    audit.add_argument("--limit", type=int, default=50)
    schema = commands.add_parser("migrate", help="bring the database schema up (or --down) to a revision")
    schema.add_argument("--revision")
    schema.add_argument("--down", action="store_true")

    org = commands.add_parser("org", help="organisations").add_subparsers(dest="action", required=True)
    for name, words in (("add", "add an organisation"), ("set-credential", "replace its HeyGen credential")):
        sub = org.add_parser(name, help=words + " (credential from HEYGEN_API_KEY or standard input)")
        sub.add_argument("org", type=org_name)
        sub.add_argument("--kind", choices=("api_key", "access_token"), default="api_key")
        sub.add_argument("--no-check", action="store_true", help="save without checking it with HeyGen")
        if name == "add":
            sub.add_argument("--monthly-cap", type=int, help="billed generations a month")
            sub.add_argument("--test-only", action="store_true", help="force HeyGen's free test mode")
    org.add_parser("list")
    for name in ("disable", "enable"):
        org.add_parser(name).add_argument("org", type=org_name)
    limits = org.add_parser("set", help="change the monthly cap or the test-only switch")
    limits.add_argument("org", type=org_name)
    limits.add_argument("--monthly-cap", type=int, help="billed generations a month (-1: no cap)")
    limits.add_argument("--test-only", choices=("yes", "no"))

    key = commands.add_parser("key", help="organisation API keys").add_subparsers(dest="action", required=True)
    create = key.add_parser("create", help="create a key (printed once, alone on the last line)")
    create.add_argument("org", type=org_name)
    create.add_argument("--scope", default="read,generate", help=f"comma-separated: {', '.join(SCOPES)}")
    create.add_argument("--rpm", type=int, help="requests a minute (default 120)")
    create.add_argument("--expires", type=int, metavar="DAYS")
    key.add_parser("list").add_argument("org", type=org_name)
    key.add_parser("revoke").add_argument("key_id")
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        if args.command == "master-key":
            print(new_master_key())
        elif args.command == "serve":
            serve(args, settings)
        elif args.command == "org":
            asyncio.run(org_command(args, settings))
        elif args.command == "key":
            asyncio.run(key_command(args, settings))
        elif args.command == "audit":
            asyncio.run(audit_command(args, settings))
        elif args.command == "reencrypt":
            asyncio.run(reencrypt_command(settings))
        elif args.command == "migrate":
            asyncio.run(migrate_command(args, settings))
    except (Refused, StoreError, MasterKeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
