"""Finding a face in a portrait (OpenCV's bundled Haar cascades: permissive, no model download) and the
avatar catalogue: built-in portraits plus avatars made from a user's photo."""

from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import cv2
import numpy as np

from .errors import invalid
from .portraits import DRAWN, drawn_portrait

_CASCADES: dict[str, cv2.CascadeClassifier] = {}
_CASCADE_LOCK = threading.Lock()


def _cascade(name: str) -> cv2.CascadeClassifier:
    with _CASCADE_LOCK:
        if name not in _CASCADES:
            _CASCADES[name] = cv2.CascadeClassifier(os.path.join(cv2.data.haarcascades, name))
        return _CASCADES[name]


def find_faces(rgb: np.ndarray, min_size: int = 40) -> list[list[int]]:
    """Face boxes [x, y, w, h], largest first."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    cascade = _cascade("haarcascade_frontalface_default.xml")
    found = cascade.detectMultiScale(gray, 1.1, 5, minSize=(min_size, min_size))
    if not len(found):  # a dim or low-contrast photo: try again with the contrast stretched
        found = cascade.detectMultiScale(cv2.equalizeHist(gray), 1.1, 5, minSize=(min_size, min_size))
    return sorted(([int(v) for v in box] for box in found), key=lambda b: -b[2] * b[3])


def face_geometry(rgb: np.ndarray) -> dict | None:
    """Face, eye and mouth boxes of the largest face, or None when no face is found."""
    faces = find_faces(rgb)
    if not faces:
        return None
    x, y, w, h = faces[0]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    upper = gray[y : y + h // 2 + h // 10, x : x + w]
    found = _cascade("haarcascade_eye.xml").detectMultiScale(upper, 1.1, 5, minSize=(max(8, w // 8),) * 2)
    eyes = sorted(([int(a) + x, int(b) + y, int(c), int(d)] for a, b, c, d in found), key=lambda e: -e[2])[:2]
    if len(eyes) < 2:  # the cascade missed one: proportions of a frontal face
        size = w // 4
        eyes = [[x + int(w * 0.2), y + int(h * 0.27), size, size], [x + int(w * 0.56), y + int(h * 0.27), size, size]]
    eyes.sort(key=lambda e: e[0])
    mouth = [x + int(w * 0.3), y + int(h * 0.7), int(w * 0.4), int(h * 0.16)]
    return {"face": [x, y, w, h], "eyes": eyes, "mouth": mouth}


@dataclass
class Avatar:
    avatar_id: str
    name: str
    gender: str
    style: str
    age_range: str
    ethnicity: str
    is_custom: bool
    geometry: dict
    model_config: dict = field(default_factory=dict)
    description: str = ""
    created_at: str = ""
    image_path: str = ""  # custom avatars: the stored photo

    def public(self, base_url: str) -> dict:
        data = {k: v for k, v in asdict(self).items() if k not in ("geometry", "image_path")}
        data["image_url"] = f"{base_url}/avatars/{self.avatar_id}/image.png"
        return data


def _astronaut() -> np.ndarray:
    import skimage.data

    return skimage.data.astronaut()


class AvatarStore:
    """Built-in avatars and the custom ones made through the API (kept in data_dir/avatars)."""

    def __init__(self, data_dir: str) -> None:
        self.folder = os.path.join(data_dir, "avatars")
        os.makedirs(self.folder, exist_ok=True)
        self._images: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.avatars: dict[str, Avatar] = {}
        astronaut = _astronaut()
        self._images["professional_female_01"] = astronaut
        self.avatars["professional_female_01"] = Avatar(
            "professional_female_01",
            "Astronaut (NASA photo, public domain)",
            "female",
            "professional",
            "35-45",
            "unspecified",
            False,
            face_geometry(astronaut) or {},
            {"source": "scikit-image astronaut, NASA public domain"},
        )
        for number, (avatar_id, look) in enumerate(DRAWN.items(), 1):
            image, geometry = drawn_portrait(**look)
            self._images[avatar_id] = image
            self.avatars[avatar_id] = Avatar(
                avatar_id,
                f"Drawn Presenter {number}",
                "male" if number == 1 else "female",
                "professional" if number == 1 else "casual",
                "25-35",
                "unspecified",
                False,
                geometry,
                {"source": "drawn by the project", "long_hair": look["long_hair"]},
            )
        for name in sorted(os.listdir(self.folder)):
            if name.endswith(".json"):
                with open(os.path.join(self.folder, name)) as handle:
                    avatar = Avatar(**json.load(handle))
                self.avatars[avatar.avatar_id] = avatar

    def get(self, avatar_id: str, field_name: str = "avatar_id", status: int = 422) -> Avatar:
        if avatar_id not in self.avatars:
            raise invalid(field_name, f"no avatar {avatar_id!r} (GET /avatars lists them)", status)
        return self.avatars[avatar_id]

    def image(self, avatar_id: str) -> np.ndarray:
        with self._lock:
            if avatar_id not in self._images:
                bgr = cv2.imread(self.avatars[avatar_id].image_path, cv2.IMREAD_COLOR)
                self._images[avatar_id] = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            return self._images[avatar_id]

    def create(self, image_bytes: bytes, name: str, style: str, description: str) -> Avatar:
        """A custom avatar from a photo; the face is checked first, and nothing is stored without one."""
        decoded = cv2.imdecode(np.frombuffer(image_bytes, np.uint8), cv2.IMREAD_COLOR) if image_bytes else None
        if decoded is None:
            raise invalid("image", "is not a readable JPEG, PNG or WebP image")
        rgb = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)
        scale = 1024 / max(rgb.shape[:2])
        if scale < 1:
            rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        geometry = face_geometry(rgb)
        if geometry is None:
            raise invalid("image", "no face found: use a frontal portrait with the face at least 40 px tall")
        avatar_id = f"avatar_{uuid.uuid4().hex[:12]}"
        path = os.path.join(self.folder, f"{avatar_id}.png")
        cv2.imwrite(path + ".part.png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        os.replace(path + ".part.png", path)  # whole or not at all
        avatar = Avatar(
            avatar_id,
            name,
            "unspecified",
            style,
            "unspecified",
            "unspecified",
            True,
            geometry,
            {"source": "uploaded photo"},
            description,
            datetime.now(timezone.utc).isoformat(),
            path,
        )
        record = os.path.join(self.folder, f"{avatar_id}.json")
        with open(record + ".part", "w") as handle:
            json.dump(asdict(avatar), handle)
        os.replace(record + ".part", record)
        with self._lock:
            self._images[avatar_id] = rgb
            self.avatars[avatar_id] = avatar
        return avatar
