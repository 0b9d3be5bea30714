"""Assets: uploading images, videos, audio (and, on v3, PDF and SRT files) for use in videos and photo avatars.

Type and size are checked here, before a byte goes to HeyGen: a 120 MB video or a GIF would be refused only
after a long upload. `asset_uploads` sends the bytes: v3 (POST /v3/assets, or its direct upload above 32 MB)
first, the legacy upload host (the raw file as the body, its Content-Type saying what it is) second.
"""

import base64
import binascii
import posixpath
from urllib.parse import unquote, urlparse

from heygen_core.action import HeyGenAction, created_id
from heygen_actions.asset_uploads import send_asset
from heygen_core.app import integration
from heygen_core.client import FileTooLarge
from heygen_core.downloads import UnsafeURL, checked_url
from heygen_core.errors import HeyGenError
from heygen_core.inputs import reject

MB = 1_000_000
# content type -> (kind, size limit): HeyGen's published upload limits
ALLOWED = {
    "image/png": ("image", 50 * MB),
    "image/jpeg": ("image", 50 * MB),
    "video/mp4": ("video", 100 * MB),
    "video/webm": ("video", 100 * MB),
    "audio/mpeg": ("audio", 50 * MB),
    # v3 only (asset_uploads.V3_ONLY_TYPES): WAV as HeyGen's video inputs take it; PDF and SRT within one
    # POST /v3/assets, the only limit HeyGen states for them
    "audio/wav": ("audio", 50 * MB),
    "application/pdf": ("document", 32 * MB),
    "application/x-subrip": ("subtitle", 32 * MB),
}
LARGEST = max(limit for _, limit in ALLOWED.values())
ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "audio/mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "application/x-pdf": "application/pdf",
    "application/srt": "application/x-subrip",
    "text/srt": "application/x-subrip",
}
EXTENSIONS = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".wav": "audio/wav",
    ".mov": "video/quicktime",
    ".pdf": "application/pdf",
    ".srt": "application/x-subrip",
}
# Says nothing about the file: fall through to the next clue.
VAGUE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/binary"})
ALLOWED_WORDS = "PNG or JPEG images, MP4 or WebM videos, MP3 audio (on its v3 API also WAV, PDF and SRT files)"


def normalized(content_type: str | None) -> str | None:
    """A MIME type without parameters, or None when it says nothing about the file."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return None if kind in VAGUE_TYPES else ALIASES.get(kind, kind)


def extension_type(name: str | None) -> str | None:
    return EXTENSIONS.get(posixpath.splitext(name or "")[1].lower())


def sniffed_type(data: bytes) -> str:
    """The type the file's first bytes show, for the formats HeyGen takes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "audio/wav"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return ""


def decided_type(clues: list[tuple[str, str | None]], data: bytes, source: str) -> str:
    """The first clue that names a type decides (the user's content_type first); the bytes decide when none does."""
    for field, kind in clues:
        if kind is None:
            continue
        if kind not in ALLOWED:
            raise reject(field, f"is {kind}: HeyGen accepts only {ALLOWED_WORDS} (set content_type if this is wrong)")
        return kind
    kind = sniffed_type(data)
    if not kind:
        raise reject(source, f"is not a type this integration recognises: give content_type ({ALLOWED_WORDS})")
    return kind


def decoded(content: str) -> bytes:
    text = content.split(",", 1)[1] if content.startswith("data:") and "," in content else content
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise reject("file.content", "must be the file's bytes in base64") from None


async def downloaded(api, url: str, limit: int) -> tuple[bytes, str | None]:
    try:
        return await api.download(url, max_bytes=limit)
    except UnsafeURL as refused:
        raise reject("url", refused.reason) from None
    except FileTooLarge:
        raise reject("url", f"the file is over {limit // MB} MB, more than HeyGen accepts") from None
    except HeyGenError as error:
        reason = f"HTTP {error.status}" if error.status else error.message
        raise HeyGenError(
            f"could not download url ({reason})",
            hint="The link must be public (it should open in a private browser window without logging in).",
        ) from None


async def source_of(api, inputs: dict) -> tuple[bytes, list, str, str]:
    """The bytes of the file or URL the user gave, the clues to its type, the input field and a name."""
    override = ("content_type", inputs.get("content_type"))
    if inputs.get("file") is not None:
        file = inputs["file"]
        name = file.get("name") or ""
        clues = [
            override,
            ("file.contentType", normalized(file.get("contentType"))),
            ("file.name", extension_type(name)),
        ]
        return decoded(file["content"]), clues, "file", name
    url = inputs["url"]
    try:
        checked_url(url)  # refused before anything else happens; the connection checks every address again
    except UnsafeURL as refused:
        raise reject("url", refused.reason) from None
    path = unquote(urlparse(url).path)
    expected = override[1] or extension_type(path)
    data, declared = await downloaded(api, url, ALLOWED[expected][1] if expected in ALLOWED else LARGEST)
    served = normalized(declared)
    if served not in ALLOWED and sniffed_type(data):  # web servers mislabel files; recognisable bytes win
        served = None
    return data, [override, ("url", served), ("url", extension_type(path))], "url", posixpath.basename(path)


@integration.action("upload_asset")
class UploadAsset(HeyGenAction):
    async def run(self, api, inputs):
        return await uploaded_asset(api, inputs)


async def uploaded_asset(api, inputs: dict) -> dict:
    """upload_asset's output for its inputs (`file` or `url`): also how other actions upload a file first."""
    data, clues, field, name = await source_of(api, inputs)
    if not data:
        raise reject(field, "is empty")
    content_type = decided_type(clues, data, field)
    kind, limit = ALLOWED[content_type]
    if len(data) > limit:
        raise reject(field, f"is {len(data) / MB:.1f} MB: HeyGen accepts {kind} files up to {limit // MB} MB")
    type_field = next((field for field, kind in clues if kind is not None), field)
    upload = {
        "data": data,
        "content_type": content_type,
        "name": name or None,
        "field": field,
        "type_field": type_field,
        "idempotency_key": inputs.get("idempotency_key"),
    }
    generation, asset = await send_asset(api, upload)
    if generation == "legacy":
        return {
            "asset_id": created_id(asset, "id"),
            "name": asset.get("name") or name or None,
            "file_type": asset.get("file_type"),
            "url": asset.get("url"),
            "image_key": asset.get("image_key") or None,
            "folder_id": asset.get("folder_id") or None,
            "created_ts": asset.get("created_ts"),
            "content_type": content_type,
            "size_bytes": len(data),
            "mime_type": None,
            "status": None,
        }
    return v3_asset_output(asset, name, content_type, len(data))


def v3_asset_output(asset: dict, name: str, content_type: str, size: int) -> dict:
    """v3 answers {asset_id, url, mime_type, size_bytes} (and status after a direct upload); it has no image_key,
    folder or upload time, so those stay null rather than be made up."""
    mime_type = normalized(asset.get("mime_type"))
    kind = ALLOWED.get(mime_type, (None,))[0] or (mime_type.split("/")[0] if mime_type else ALLOWED[content_type][0])
    size_bytes = asset.get("size_bytes")
    return {
        "asset_id": created_id(asset, "asset_id"),
        "name": name or None,
        "file_type": kind,
        "url": asset.get("url"),
        "image_key": None,
        "folder_id": None,
        "created_ts": None,
        "content_type": content_type,
        "size_bytes": size_bytes if isinstance(size_bytes, int) and not isinstance(size_bytes, bool) else size,
        "mime_type": asset.get("mime_type"),
        "status": asset.get("status"),
    }
