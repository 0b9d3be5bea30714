"""Drawing frames: the portrait cut out (GrabCut, no model) or shown in a card, its mouth opened by a
displacement of the lower lip and jaw over a painted cavity, eyelids painted for blinks, the whole head
swayed slightly, over a colour, image or video background."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .animation import Motion

CAVITY, TEETH = (56, 18, 24), (222, 216, 206)


def head_and_shoulders(image: np.ndarray, geometry: dict) -> tuple[np.ndarray, dict]:
    """Crop the portrait around the face (room for hair above, shoulders below) and move the boxes with it."""
    x, y, w, h = geometry["face"]
    height = min(image.shape[0], int(3.4 * h))
    top = int(np.clip(y - 0.75 * h, 0, image.shape[0] - height))
    width = min(image.shape[1], int(1.15 * height))
    left = int(np.clip(x + w / 2 - width / 2, 0, image.shape[1] - width))
    shift = lambda box: [box[0] - left, box[1] - top, box[2], box[3]]  # noqa: E731
    moved = {
        "face": shift(geometry["face"]),
        "eyes": [shift(e) for e in geometry["eyes"]],
        "mouth": shift(geometry["mouth"]),
    }
    return np.ascontiguousarray(image[top : top + height, left : left + width]), moved


def cut_out(image: np.ndarray, face: list[int]) -> np.ndarray:
    """A soft foreground mask (0..1) of the person, by GrabCut seeded with the face box."""
    scale = min(1.0, 320 / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    mask = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    fx, fy, fw, fh = (int(v * scale) for v in face)
    mask[max(0, fy - fh // 3) :, max(0, fx - fw) : fx + 2 * fw] = cv2.GC_PR_FGD
    mask[fy + fh // 6 : fy + fh, fx + fw // 6 : fx + fw - fw // 6] = cv2.GC_FGD
    mask[:, :2] = mask[:, -2:] = mask[:2, :] = cv2.GC_BGD
    models = (np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64))
    cv2.grabCut(cv2.cvtColor(small, cv2.COLOR_RGB2BGR), mask, None, *models, 4, cv2.GC_INIT_WITH_MASK)
    hard = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(hard)
    if count > 1:  # keep the part that holds the face
        keep = labels[min(h - 1, fy + fh // 2), min(w - 1, fx + fw // 2)] or 1 + int(np.argmax(stats[1:, 4]))
        hard = (labels == keep).astype(np.uint8)
    soft = cv2.GaussianBlur(hard.astype(np.float32), (0, 0), 1.2)
    return cv2.resize(soft, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)


def rounded_card(width: int, height: int, radius: int) -> np.ndarray:
    card = np.zeros((height, width), np.uint8)
    cv2.rectangle(card, (radius, 0), (width - radius, height), 255, -1)
    cv2.rectangle(card, (0, radius), (width, height - radius), 255, -1)
    for cx, cy in (
        (radius, radius),
        (width - radius, radius),
        (radius, height - radius),
        (width - radius, height - radius),
    ):
        cv2.circle(card, (cx, cy), radius, 255, -1, cv2.LINE_AA)
    return card.astype(np.float32) / 255.0


@dataclass
class _Mouth:
    roi: tuple[int, int, int, int]  # x0, y0, x1, y1 in layer pixels
    grid_x: np.ndarray
    grid_y: np.ndarray
    weight: np.ndarray
    centre: tuple[float, float]
    width: float


def lip_line(image: np.ndarray, box: list[int]) -> float:
    """The row where the lips part: the sharpest fall in brightness going down the middle of the mouth
    (upper lip or upper teeth above, the dark line or lower lip below)."""
    mx, my, mw, mh = box
    top, bottom = int(my + 0.4 * mh), int(my + 1.4 * mh) + 1
    middle = image[max(0, top) : min(image.shape[0], bottom), mx + mw // 4 : mx + 3 * mw // 4]
    if middle.shape[0] < 3 or middle.shape[1] < 1:
        return my + mh * 0.5
    rows = cv2.GaussianBlur(cv2.cvtColor(middle, cv2.COLOR_RGB2GRAY).astype(np.float32).mean(axis=1), (1, 3), 0).ravel()
    return top + int(np.argmin(np.diff(rows))) + 1


def _mouth_rig(box: list[int], shape: tuple[int, int], cy: float) -> _Mouth:
    mx, my, mw, mh = box
    cx = mx + mw / 2
    x0, x1 = int(max(0, cx - 0.95 * mw)), int(min(shape[1], cx + 0.95 * mw))
    y0, y1 = int(max(0, cy - 0.4 * mw)), int(min(shape[0], cy + 1.6 * mw))
    gx, gy = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
    across = 0.5 * (1 + np.cos(np.pi * np.clip(np.abs(gx - cx) / (0.8 * mw), 0, 1)))
    down = np.clip((gy - cy) / (0.08 * mw), 0, 1) * np.clip((cy + 1.55 * mw - gy) / (0.7 * mw), 0, 1)
    return _Mouth((x0, y0, x1, y1), gx - x0, gy - y0, (across * down).astype(np.float32), (cx - x0, cy - y0), mw)


class Stage:
    """One avatar prepared for one frame size and layout; draw(i, motion) gives frame i (RGB, and alpha)."""

    def __init__(self, image, geometry, size, layout, backdrop, captions=None) -> None:
        crop, boxes = head_and_shoulders(image, geometry)
        fw, fh = size
        card = layout == "card"
        target_h = int(fh * (0.82 if card else 0.97))
        scale = target_h / crop.shape[0]
        target_w = max(2, int(crop.shape[1] * scale))
        if target_w > fw * (0.6 if card else 1.0):
            scale = fw * (0.6 if card else 1.0) / crop.shape[1]
            target_w, target_h = int(crop.shape[1] * scale), int(crop.shape[0] * scale)
        layer = cv2.resize(crop, (target_w, target_h), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
        self.layer = np.ascontiguousarray(layer[..., :3])
        given_alpha = layer[..., 3].astype(np.float32) / 255.0 if layer.shape[2] == 4 else None
        sc = lambda b: [int(round(v * scale)) for v in b]  # noqa: E731
        self.face, self.eyes, mouth = sc(boxes["face"]), [sc(e) for e in boxes["eyes"]], sc(boxes["mouth"])
        self.size, self.card, self.backdrop, self.captions = size, card, backdrop, captions
        face_centre = int((self.face[0] + self.face[2] / 2)) if not card else target_w // 2
        self.origin = (
            int(np.clip(fw // 2 - face_centre, 0, fw - target_w)),
            (fh - target_h) // 2 if card else fh - target_h,
        )
        if card:
            card_mask = rounded_card(target_w, target_h, max(6, target_w // 14))
            self.card_alpha = np.zeros((fh, fw), np.float32)
            ox, oy = self.origin
            self.card_alpha[oy : oy + target_h, ox : ox + target_w] = card_mask
            self.alpha = None
        else:
            self.alpha = given_alpha if given_alpha is not None else cut_out(self.layer, self.face)
        self.work = self.layer.copy()
        self.mouth = _mouth_rig(mouth, self.layer.shape[:2], lip_line(self.layer, mouth))
        self.skin = self._skin_colour()
        self.region = self._region()
        self.eye_rigs = self._eye_rigs()

    def _skin_colour(self) -> tuple[int, int, int]:
        x, y, w, h = self.face
        cheek = self.layer[y + int(h * 0.5) : y + int(h * 0.62), x + int(w * 0.25) : x + int(w * 0.4)]
        return tuple(int(v) for v in np.median(cheek.reshape(-1, 3), axis=0)) if cheek.size else (200, 160, 140)

    def _open_mouth(self, opening: float, width: float) -> None:
        rig = self.mouth
        x0, y0, x1, y1 = rig.roi
        source = self.layer[y0:y1, x0:x1]
        pixels = opening * 0.24 * rig.width
        if pixels < 0.4:
            self.work[y0:y1, x0:x1] = source
            return
        region = cv2.remap(
            source, rig.grid_x, rig.grid_y - pixels * rig.weight, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        cx, cy = rig.centre
        half_w = rig.width * 0.3 * (0.75 + 0.4 * width)
        centre = (int(round(cx * 4)), int(round((cy + pixels * 0.5) * 4)))
        cv2.ellipse(region, centre, (int(half_w * 4), int(pixels * 0.5 * 4)), 0, 0, 360, CAVITY, -1, cv2.LINE_AA, 2)
        teeth = min(pixels * 0.3, rig.width * 0.07)
        if teeth >= 1:
            top = (int(round(cx * 4)), int(round((cy + teeth * 0.2) * 4)))
            cv2.ellipse(region, top, (int(half_w * 0.8 * 4), int(teeth * 4)), 0, 0, 180, TEETH, -1, cv2.LINE_AA, 2)
        self.work[y0:y1, x0:x1] = region

    def _blink(self, amount: float) -> None:
        """Upper eyelids lowered over the eyes: skin from just above each eye, blended through a soft mask,
        with a dark lash line along the lid's edge once it is mostly closed."""
        for (x0, y0, x1, y1), (cx, cy, hw, hh), lid in self.eye_rigs:
            self.work[y0:y1, x0:x1] = self.layer[y0:y1, x0:x1]
            if amount <= 0.05:
                continue
            patch = self.work[y0:y1, x0:x1]
            mask = np.zeros(patch.shape[:2], np.float32)
            edge = cy - 1.3 * hh + 2.6 * hh * amount
            cv2.ellipse(mask, (int(cx), int(cy)), (int(hw * 1.15), int(hh * 1.35)), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
            mask[int(max(0, edge)) :, :] = 0
            mask = cv2.GaussianBlur(mask, (0, 0), max(0.8, hh * 0.25))[..., None]
            patch[:] = (patch * (1 - mask) + np.array(lid, np.float32) * mask).astype(np.uint8)
            if amount > 0.6:
                thickness = max(1, int(hh * 0.22))
                cv2.ellipse(
                    patch,
                    (int(cx), int(edge - hh * 0.3)),
                    (int(hw), max(1, int(hh * 0.3))),
                    0,
                    0,
                    180,
                    (55, 38, 36),
                    thickness,
                    cv2.LINE_AA,
                )

    def _eye_rigs(self) -> list:
        """Per eye: the patch it may change, the eye's centre and half sizes in the patch, the lid colour."""
        rigs = []
        for ex, ey, ew, eh in self.eyes:
            x0, y0 = max(0, ex), max(0, ey)
            x1, y1 = min(self.layer.shape[1], ex + ew), min(self.layer.shape[0], ey + eh)
            cx, cy, hw, hh = ex + ew / 2 - x0, ey + 0.55 * eh - y0, 0.32 * ew, 0.14 * eh
            above = self.layer[int(ey + 0.13 * eh) : int(ey + 0.25 * eh), int(ex + 0.3 * ew) : int(ex + 0.7 * ew)]
            lid = tuple(int(v) for v in np.median(above.reshape(-1, 3), axis=0)) if above.size else self.skin
            rigs.append(((x0, y0, x1, y1), (cx, cy, hw, hh), lid))
        return rigs

    def _transform(self, head: np.ndarray) -> np.ndarray:
        fw, fh = self.size
        x, y, w, h = self.face
        pivot = (x + w / 2, y + h * 1.3)  # the neck: the head turns about it
        matrix = cv2.getRotationMatrix2D(pivot, float(head[2]), 1.0)
        matrix[0, 2] += self.origin[0] + head[0] * fh
        matrix[1, 2] += self.origin[1] + head[1] * fh
        return matrix

    def _region(self) -> tuple[int, int, int, int]:
        """The part of the frame the person can reach (placement plus room for the sway): only it is drawn."""
        fw, fh = self.size
        h, w = self.layer.shape[:2]
        ox, oy = self.origin
        margin = 0 if self.card else int(0.03 * fh + 0.03 * max(w, h)) + 4
        return max(0, ox - margin), max(0, oy - margin), min(fw, ox + w + margin), min(fh, oy + h + margin)

    def draw(self, index: int, motion: Motion) -> tuple[np.ndarray, np.ndarray | None]:
        self._open_mouth(float(motion.mouth_open[index]), float(motion.mouth_width[index]))
        self._blink(float(motion.blink[index]))
        matrix = self._transform(motion.head[index])
        x0, y0, x1, y1 = self.region
        matrix[0, 2] -= x0
        matrix[1, 2] -= y0
        border = cv2.BORDER_REFLECT if self.card else cv2.BORDER_CONSTANT
        person = cv2.warpAffine(self.work, matrix, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderMode=border)
        if self.card:
            alpha = self.card_alpha[y0:y1, x0:x1]
        else:
            alpha = cv2.warpAffine(self.alpha, matrix, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR)
        background = self.backdrop.frame(index) if self.backdrop is not None else None
        if background is None:  # transparent output: the colour outside the person does not matter
            frame = np.zeros((self.size[1], self.size[0], 3), np.uint8)
            frame[y0:y1, x0:x1] = person
            full_alpha = np.zeros((self.size[1], self.size[0]), np.float32)
            full_alpha[y0:y1, x0:x1] = alpha
        else:
            frame = background.copy()
            frame[y0:y1, x0:x1] = cv2.blendLinear(person, background[y0:y1, x0:x1], alpha, 1.0 - alpha)
            full_alpha = None
        if self.captions is not None:
            self.captions.burn(frame, index)
        return frame, full_alpha
