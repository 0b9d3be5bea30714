"""Drawn portraits the project makes itself (so it owns them outright), and the face geometry they carry.

A drawn face states where its eyes and mouth are; a photo's are found by engine/face.py.
"""

from __future__ import annotations

import cv2
import numpy as np

SIZE = 512


def _vertical_gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> np.ndarray:
    ramp = np.linspace(0.0, 1.0, SIZE, dtype=np.float32)[:, None, None]
    image = np.array(top, np.float32) * (1 - ramp) + np.array(bottom, np.float32) * ramp
    return np.repeat(image, SIZE, axis=1).astype(np.uint8)


def drawn_portrait(skin, hair, clothing, backdrop, long_hair: bool) -> tuple[np.ndarray, dict]:
    """An RGBA head-and-shoulders drawing with shading (alpha: the person), and its face, eye and mouth boxes."""
    plain = _vertical_gradient(backdrop, tuple(max(0, c - 40) for c in backdrop))
    image = plain.copy()
    cx, cy, rx, ry = 256, 220, 92, 118
    if long_hair:
        cv2.ellipse(image, (cx, cy + 40), (rx + 30, ry + 70), 0, 0, 360, hair, -1, cv2.LINE_AA)
    cv2.ellipse(image, (cx, 520), (210, 130), 0, 180, 360, clothing, -1, cv2.LINE_AA)
    cv2.rectangle(image, (cx - 38, cy + 80), (cx + 38, cy + 175), tuple(int(c * 0.85) for c in skin), -1)
    for side in (-1, 1):
        ear = tuple(int(c * 0.9) for c in skin)
        cv2.ellipse(image, (cx + side * (rx - 2), cy + 10), (16, 26), 0, 0, 360, ear, -1, cv2.LINE_AA)
    cv2.ellipse(image, (cx, cy), (rx, ry), 0, 0, 360, skin, -1, cv2.LINE_AA)
    cv2.ellipse(image, (cx, cy - 62), (rx + 6, 66), 0, 180, 360, hair, -1, cv2.LINE_AA)
    person = (np.abs(image.astype(np.int16) - plain).sum(axis=2) > 0).astype(np.uint8) * 255
    shade = np.zeros_like(image)
    cv2.ellipse(shade, (cx + 40, cy + 20), (60, 100), 0, 0, 360, (28, 28, 28), -1)
    image = cv2.subtract(image, cv2.GaussianBlur(shade, (0, 0), 25) * (person[..., None] // 255))
    eye_y, eye_dx = cy - 12, 36
    eyes = []
    for side in (-1, 1):
        ex = cx + side * eye_dx
        cv2.ellipse(image, (ex, eye_y - 22), (24, 6), 0, 180, 360, hair, -1, cv2.LINE_AA)
        cv2.ellipse(image, (ex, eye_y), (19, 10), 0, 0, 360, (245, 245, 240), -1, cv2.LINE_AA)
        cv2.circle(image, (ex, eye_y), 8, (70, 50, 35), -1, cv2.LINE_AA)
        cv2.circle(image, (ex, eye_y), 4, (10, 10, 10), -1, cv2.LINE_AA)
        cv2.circle(image, (ex + 3, eye_y - 3), 2, (255, 255, 255), -1, cv2.LINE_AA)
        cv2.ellipse(image, (ex, eye_y), (20, 11), 0, 180, 360, (40, 30, 30), 2, cv2.LINE_AA)
        eyes.append([ex - 30, eye_y - 33, 60, 60])  # boxes as a Haar eye cascade draws them (see face.py)
    nose = tuple(int(c * 0.75) for c in skin)
    cv2.line(image, (cx + 2, cy + 2), (cx + 8, cy + 36), nose, 3, cv2.LINE_AA)
    cv2.ellipse(image, (cx, cy + 40), (14, 6), 0, 0, 180, nose, 2, cv2.LINE_AA)
    mouth_y = cy + 68
    lip = (150, 70, 75)
    cv2.ellipse(image, (cx, mouth_y), (30, 7), 0, 180, 360, lip, -1, cv2.LINE_AA)
    cv2.ellipse(image, (cx, mouth_y), (28, 9), 0, 0, 180, tuple(min(255, c + 25) for c in lip), -1, cv2.LINE_AA)
    cv2.line(image, (cx - 30, mouth_y), (cx + 30, mouth_y), (90, 40, 45), 2, cv2.LINE_AA)
    image = cv2.GaussianBlur(image, (0, 0), 1.2)
    image = np.dstack([image, cv2.GaussianBlur(person, (0, 0), 1.0)])  # the drawing knows its own outline
    geometry = {"face": [cx - rx, cy - ry, 2 * rx, 2 * ry], "eyes": eyes, "mouth": [cx - 34, mouth_y - 12, 68, 24]}
    return image, geometry


DRAWN = {
    "professional_male_01": dict(
        skin=(224, 182, 150), hair=(60, 40, 30), clothing=(40, 60, 110), backdrop=(180, 200, 220), long_hair=False
    ),
    "casual_female_01": dict(
        skin=(150, 100, 75), hair=(25, 20, 20), clothing=(120, 40, 60), backdrop=(215, 205, 180), long_hair=True
    ),
}
