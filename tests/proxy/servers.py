"""Real PostgreSQL and Redis servers for the proxy's storage tests: started on loopback in a temp folder,
on a free port, stopped afterwards; a test that needs one skips with the reason when it cannot start.
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_binaries() -> str | None:
    for folder in [os.path.dirname(shutil.which("initdb") or "")] + sorted(glob.glob("/usr/lib/postgresql/*/bin"))[
        ::-1
    ]:
        if folder and os.path.exists(os.path.join(folder, "initdb")) and os.path.exists(os.path.join(folder, "pg_ctl")):
            return folder
    return None


def _as_postgres_user(command: list[str]) -> list[str]:
    """initdb refuses to run as root: then the commands run as the `postgres` system user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def postgres_server():
    """Yields (url, error): a postgresql+asyncpg URL of a fresh server, or why none could start."""
    binaries = postgres_binaries()
    if binaries is None:
        yield None, "PostgreSQL is not installed (initdb/pg_ctl not found; scripts/system-packages.txt lists it)"
        return
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            yield None, "running as root and there is no postgres user to run initdb as"
            return
    folder = tempfile.mkdtemp(prefix="proxy-pg-")
    data, sockets = os.path.join(folder, "data"), os.path.join(folder, "sock")
    os.makedirs(sockets)
    if os.geteuid() == 0:
        for path in (folder, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()
    ctl = os.path.join(binaries, "pg_ctl")
    try:
        subprocess.run(
            _as_postgres_user(
                [os.path.join(binaries, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres_user(
                [ctl, "-D", data, "-o", options, "-l", os.path.join(folder, "log"), "-w", "-t", "60", "start"]
            ),
            check=True,
            capture_output=True,
            timeout=90,
        )
    except (subprocess.SubprocessError, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        yield None, f"PostgreSQL could not start: {error}"
        return
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres", None
    finally:
        subprocess.run(
            _as_postgres_user([ctl, "-D", data, "-m", "immediate", "-w", "stop"]), capture_output=True, timeout=60
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def redis_server():
    """Yields (url, error) for a fresh redis-server on a free loopback port, without persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None, "redis-server is not installed (scripts/system-packages.txt lists it)"
        return
    folder = tempfile.mkdtemp(prefix="proxy-redis-")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
            time.sleep(0.05)
        else:
            yield None, "redis-server did not answer within 10 s"
            return
        yield f"redis://127.0.0.1:{port}/0", None
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
