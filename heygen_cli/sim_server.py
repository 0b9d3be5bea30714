"""The background simulator behind `--sim`: `python -m heygen_cli.sim_server --home DIR --time-scale X`.

It forks into its own session (so it outlives the command that started it), serves on 127.0.0.1, and
writes server.json (pid, url, port, settings) into DIR once it listens. The simulated account is saved to
state.pickle shortly after every request and again on SIGTERM, and loaded on the next start: videos, assets,
photo avatars, v3 records and webhook endpoints survive a restart. heygen_cli/background_sim.py starts, finds
and stops it; `--foreground` keeps it attached (for debugging).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import pickle
import secrets
import signal
import sys
import time
from pathlib import Path

from heygen_cli.background_sim import ACCOUNT_FILE, PID_FILE, SERVER_FILE, STATE_FILE
from heygen_cli.local_sim import SIM_API_KEY

STATE_FORMAT = 1
SAVE_EVERY_SECONDS = 0.05
# SimState attributes rebuilt from the config on every start (the rest is the account)
REBUILT = ("config", "catalogue", "base_url", "answer_problems")


def write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def load_account(home: Path) -> dict | None:
    """The saved account, or None (none saved, or saved by an incompatible version: then it starts afresh)."""
    try:
        saved = pickle.loads((home / STATE_FILE).read_bytes())
    except FileNotFoundError:
        return None
    except Exception as error:  # noqa: BLE001 - a damaged or outdated file must not stop the simulator
        print(f"ignoring the saved account ({type(error).__name__}: {error}); starting afresh", flush=True)
        return None
    return saved if isinstance(saved, dict) and saved.get("format") == STATE_FORMAT else None


def save_account(home: Path, sim) -> None:
    from simulator.routes_webhooks import registry_of

    state = sim.state
    account = {name: value for name, value in vars(state).items() if name not in REBUILT}
    saved = {
        "format": STATE_FORMAT,
        "seed": state.config.seed,
        "port": int(sim.url.rsplit(":", 1)[1]),
        "account": account,
        "webhook_endpoints": registry_of(state).endpoints,
    }
    write_atomically(home / STATE_FILE, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL))
    summary = {"videos": len(state.videos), "assets": len(state.assets), "saved_at": time.time()}
    write_atomically(home / ACCOUNT_FILE, json.dumps(summary).encode())


def restore_account(sim, saved: dict) -> None:
    from simulator.routes_webhooks import registry_of

    for name, value in saved["account"].items():
        setattr(sim.state, name, value)
    registry_of(sim.state).endpoints.update(saved.get("webhook_endpoints") or {})


async def start_simulator(config_of, saved: dict | None):
    """Listens on the port the saved account used (its media links stay valid), else on a free one."""
    from simulator import Simulator

    preferred = saved.get("port", 0) if saved else 0
    for port in dict.fromkeys((preferred, 0)):
        sim = Simulator(config_of(port))
        try:
            return await sim.start()
        except OSError:
            await sim.stop()
            if port == 0:
                raise
    raise AssertionError("unreachable")


async def serve(home: Path, time_scale: float, legacy: str) -> None:
    from simulator import SimulatorConfig

    saved = load_account(home)
    # ids come from a random stream seeded here: a new account never repeats an earlier one's ids
    seed = saved["seed"] if saved else secrets.randbits(31)

    def config_of(port: int):
        return SimulatorConfig(
            time_scale=time_scale, api_keys={SIM_API_KEY}, seed=seed, port=port, host="127.0.0.1", legacy=legacy
        )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    sim = await start_simulator(config_of, saved)
    try:
        if saved:
            restore_account(sim, saved)
        save_account(home, sim)
        server = {
            "pid": os.getpid(),
            "url": sim.url,
            "port": int(sim.url.rsplit(":", 1)[1]),
            "started_at": time.time(),
            "time_scale": time_scale,
            "legacy": legacy,
        }
        write_atomically(home / SERVER_FILE, json.dumps(server, indent=2).encode())
        restored = f"{len(sim.state.videos)} videos, {len(sim.state.assets)} assets" if saved else "a new account"
        print(f"local simulator {os.getpid()} listening on {sim.url} (time_scale {time_scale}; {restored})", flush=True)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAVE_EVERY_SECONDS)
            if sim.requests:  # any request may have changed the account (even a read signs a link)
                sim.requests.clear()
                save_account(home, sim)
        save_account(home, sim)
    finally:
        await sim.stop()
        forget_server_files(home, os.getpid())
        print(f"local simulator {os.getpid()} stopped", flush=True)


def forget_server_files(home: Path, pid: int, keep_pid: bool = False) -> None:
    """Removes server.json and server.pid if they still name this process."""
    for name in (SERVER_FILE,) if keep_pid else (SERVER_FILE, PID_FILE):
        path = home / name
        with contextlib.suppress(OSError, ValueError):
            text = path.read_text()
            named = json.loads(text)["pid"] if name == SERVER_FILE else int(text)
            if named == pid:
                path.unlink()


def detach() -> None:
    """The parent returns at once (the CLI waits for it); the child leads a new session, free of the terminal."""
    if os.fork() > 0:
        os._exit(0)
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m heygen_cli.sim_server")
    parser.add_argument("--home", type=Path, required=True, help="the state folder")
    parser.add_argument("--time-scale", type=float, default=0.1)
    parser.add_argument("--legacy", default="retired")
    parser.add_argument("--foreground", action="store_true", help="do not detach")
    args = parser.parse_args(argv)
    args.home.mkdir(parents=True, exist_ok=True)
    if not args.foreground:
        detach()
    write_atomically(args.home / PID_FILE, str(os.getpid()).encode())
    try:
        asyncio.run(serve(args.home, args.time_scale, args.legacy))
    except Exception as error:
        print(f"local simulator failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        forget_server_files(args.home, os.getpid(), keep_pid=True)  # the dead pid tells the CLI it failed
        raise SystemExit(1) from error


if __name__ == "__main__":
    main()
