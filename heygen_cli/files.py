"""File outputs ({"file": {"content", "name", "contentType"}}): saved to disk, never printed as base64."""

import base64
import binascii
from pathlib import Path
from typing import Any

from heygen_cli.errors import CliError


def is_file_object(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("content"), str) and {"name", "contentType"} <= set(value)


def handle_files(data: Any, save_dir: Path | None) -> Any:
    """A copy of data where each file's content is the path it was saved to, or a note saying how big it was."""
    if is_file_object(data):
        return handle_one(data, save_dir)
    if isinstance(data, dict):
        return {key: handle_files(value, save_dir) for key, value in data.items()}
    if isinstance(data, list):
        return [handle_files(item, save_dir) for item in data]
    return data


def handle_one(file: dict, save_dir: Path | None) -> dict:
    try:
        content = base64.b64decode(file["content"], validate=True)
    except (binascii.Error, ValueError):
        raise CliError("the action returned a file whose content is not valid base64", exit_code=1) from None
    if save_dir is None:
        note = f"<{len(content)} bytes not shown: pass --save DIR to write {file.get('name') or 'the file'}>"
        return {**file, "content": note}
    path = save_path(save_dir, file.get("name"))
    path.write_bytes(content)
    return {**file, "content": str(path)}


def save_path(save_dir: Path, name: Any) -> Path:
    """DIR/<the file's own name>, its directory parts dropped so a name cannot write outside DIR."""
    base = Path(str(name or "")).name.strip()
    if base in ("", ".", ".."):
        base = "download.bin"
    try:
        save_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot create {save_dir}: {error.strerror or error}") from None
    return save_dir / base
