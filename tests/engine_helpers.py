"""Starting the engine's API as a real process on loopback, plain HTTP calls to it, a loopback file
server for URLs the engine fetches, and measurements on decoded MP4s."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import av
import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def engine_server(data_dir: str, **env):
    """`python -m engine serve` on a free loopback port; yields its /api/v1 base URL."""
    port = free_port()
    environment = {**os.environ, "ENGINE_DATA_DIR": str(data_dir), "ENGINE_RATE_LIMIT": "10000", **env}
    log = open(os.path.join(str(data_dir), "server.log"), "wb")  # a file, so a chatty log never blocks the server
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(200):
            if process.poll() is not None:
                with open(log.name, "rb") as written:
                    raise RuntimeError(f"engine exited: {written.read().decode()[-2000:]}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{base}/health", timeout=1):
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("engine did not start within 20 s")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def call(
    method: str, url: str, body=None, headers=None, raw: bytes | None = None, content_type: str = "application/json"
):
    """(status, parsed JSON or bytes, headers)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={**({"Content-Type": content_type} if data is not None else {}), **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, payload, head = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, payload, head = error.code, error.read(), error.headers
    kind = head.get("Content-Type", "")
    return status, (json.loads(payload) if "json" in kind else payload), head


def wait_for(url: str, headers=None, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body, _ = call("GET", url, headers=headers)
        if body.get("status") in ("completed", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} did not finish within {seconds} s")


def multipart(fields: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "engine-test-boundary-7f3a"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        disposition = f'form-data; name="{name}"; filename="{filename}"'
        head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: application/octet-stream\r\n\r\n"
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@contextlib.contextmanager
def file_server(files: dict[str, tuple[int, dict, bytes]]):
    """A loopback HTTP server: path -> (status, headers, body). Yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, headers, body = files.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            request = json.loads(self.rfile.read(length) or b"{}")
            status, headers, body = files.get(f"POST {self.path}", (404, {}, b"{}"))
            body = body(request) if callable(body) else body
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def decode(path_or_bytes) -> tuple[list[np.ndarray], np.ndarray, int, float]:
    """RGB frames, mono float audio, its sample rate, and the video stream's frame rate."""
    source = path_or_bytes if isinstance(path_or_bytes, str) else __import__("io").BytesIO(path_or_bytes)
    with av.open(source) as container:
        fps = float(container.streams.video[0].average_rate)
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with av.open(source if isinstance(source, str) else __import__("io").BytesIO(path_or_bytes)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        audio = np.concatenate([f.to_ndarray().mean(axis=0) for f in container.decode(stream)])
    return frames, audio.astype(np.float32), rate, fps


def audio_rms(audio: np.ndarray, rate: int, times: np.ndarray, window: float = 0.04) -> np.ndarray:
    half = int(window / 2 * rate)
    out = []
    for t in times:
        centre = int(t * rate)
        piece = audio[max(0, centre - half) : centre + half]
        out.append(float(np.sqrt(np.mean(piece**2))) if len(piece) else 0.0)
    return np.array(out)


CASCADE = cv2.CascadeClassifier(os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_default.xml"))


def face_box(frame: np.ndarray):
    gray = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
    side = min(frame.shape[:2])
    found = CASCADE.detectMultiScale(gray, 1.1, 5, minSize=(side // 6, side // 6), maxSize=(side // 2, side // 2))
    return max(found, key=lambda b: b[2] * b[3]) if len(found) else None


def mouth_darkness(frame: np.ndarray, face) -> int:
    """Dark pixels (an open mouth's cavity) in the lower-middle of the face box."""
    x, y, w, h = face
    region = frame[y + int(0.62 * h) : y + int(1.0 * h), x + int(0.25 * w) : x + int(0.75 * w)]
    luma = cv2.cvtColor(region, cv2.COLOR_RGB2GRAY)
    return int(np.count_nonzero(luma < 60))
