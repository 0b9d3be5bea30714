"""A render job from start to finish: speech, motion, frames, files. Each scene is its own MP4 and the
scenes are joined by packet copy; everything is written to a hidden folder first and moved into place
whole, so a failed job leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import time

import numpy as np

from . import captions, encode
from .animation import motion_for
from .backdrops import backdrop_for
from .compositor import Stage
from .errors import EngineError
from .face import AvatarStore
from .netguard import fetch
from .speech import Speech, SpeechWorker, Voice
from .voices import VoiceBook

GIF_SECONDS, GIF_FPS, GIF_WIDTH = 4, 8, 320
PAUSE_RATE = 22050  # the speech engines' rate, so silent and spoken scenes join by packet copy


class Renderer:
    def __init__(self, data_dir: str) -> None:
        self.data_dir = data_dir
        self.videos_dir = os.path.join(data_dir, "videos")
        self.uploads_dir = os.path.join(data_dir, "uploads")
        os.makedirs(self.videos_dir, exist_ok=True)
        os.makedirs(self.uploads_dir, exist_ok=True)
        self.speech = SpeechWorker()
        self.speech.prewarm()  # the neural voice loads while the avatars are prepared
        self.avatars = AvatarStore(data_dir)
        self.voices = VoiceBook(data_dir)

    def close(self) -> None:
        self.speech.close()

    def speak(self, text: str, voice: Voice):
        return self.speech.speak(text, voice)

    def fetch_backgrounds(self, video_id: str, spec: dict) -> None:
        """Fetch background URLs before a job is queued, so an unreachable or non-public URL is a 422
        for the caller; the bytes wait in data_dir/uploads for the render (and are removed after it)."""
        for n, scene in enumerate(spec["scenes"]):
            value = scene.get("background")
            if value and value.startswith(("http://", "https://")):
                body, _ = fetch(value, f"scenes[{n}].background" if len(spec["scenes"]) > 1 else "background")
                path = os.path.join(self.uploads_dir, f"{video_id}-background{n}")
                with open(path + ".part", "wb") as handle:
                    handle.write(body)
                os.replace(path + ".part", path)
                scene["background_file"] = path

    def _backdrop(self, scene: dict, size):
        value = scene.get("background")
        if scene.get("layout") == "transparent":
            return None
        if scene.get("background_file"):
            with open(scene["background_file"], "rb") as handle:
                return backdrop_for(size, None, handle.read())
        if value and value.startswith(("http://", "https://")):
            body, content_type = fetch(value, "background")
            return backdrop_for(size, None, body, content_type)
        return backdrop_for(size, value, None)

    def _scene(self, scene: dict, spec: dict, path: str, keep: dict) -> dict:
        size = tuple(spec["size"])
        avatar = self.avatars.get(scene["avatar_id"])
        if scene.get("pause_seconds"):  # a silent scene: the avatar listens, mouth shut
            speech = Speech(PAUSE_RATE, np.zeros(round(float(scene["pause_seconds"]) * PAUSE_RATE), np.float32))
        else:
            speech = self.speak(scene["script"], self.voices.get(scene["voice_id"]))
        frames = int(np.ceil(speech.duration * encode.FPS))
        motion = motion_for(speech, encode.FPS, frames)
        cue_list = captions.cues(speech.words)
        burner = captions.CaptionBurner(cue_list, size, encode.FPS) if spec.get("captions") else None
        layout = scene.get("layout", "cutout")
        stage = Stage(
            self.avatars.image(avatar.avatar_id), avatar.geometry, size, layout, self._backdrop(scene, size), burner
        )
        transparent = layout == "transparent"
        writer = encode.VideoWriter(path, size, spec["output_format"], alpha=transparent, fast=spec.get("fast", False))
        gif_every = max(1, encode.FPS // GIF_FPS)
        best = int(np.argmax(motion.loudness)) if frames else 0
        try:
            for i in range(frames):
                frame, alpha = stage.draw(i, motion)
                writer.add(frame, alpha)
                if keep is not None and i == best and "thumbnail" not in keep:
                    keep["thumbnail"] = frame.copy()
                if keep is not None and i < GIF_SECONDS * encode.FPS and i % gif_every == 0:
                    keep.setdefault("gif", []).append(_small(frame))
            writer.finish(speech.audio, speech.sample_rate)
        except BaseException:
            writer.abandon()
            raise
        return {
            "duration": frames / encode.FPS,
            "cues": cue_list,
            "speech_duration": speech.duration,
        }

    def render(self, video_id: str, spec: dict) -> dict:
        """Render and store a video; returns the file names and measured figures."""
        started = time.perf_counter()
        final = os.path.join(self.videos_dir, video_id)
        staging = os.path.join(self.videos_dir, f".{video_id}.part")
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(staging)
        ext = spec["output_format"]
        try:
            keep: dict = {}
            parts, offset, all_cues, scene_info = [], 0.0, [], []
            for n, scene in enumerate(spec["scenes"]):
                part = os.path.join(staging, f"scene{n}.{ext}")
                info = self._scene(scene, spec, part, keep if n == 0 else None)
                parts.append(part)
                all_cues += [(s + offset, e + offset, text) for s, e, text in info["cues"]]
                scene_info.append({"start": offset, "duration": info["duration"]})
                offset += info["duration"]
            video = os.path.join(staging, f"video.{ext}")
            joined = "single scene"
            if len(parts) == 1:
                os.replace(parts[0], video)
            elif ext != "webm" and encode.join(parts, video):
                joined = "packet copy"
            else:
                raise EngineError(500, "JOIN_FAILED", "the scenes could not be joined without re-encoding")
            for part in parts:
                if os.path.exists(part):
                    os.remove(part)
            if "thumbnail" in keep:
                encode.thumbnail(keep["thumbnail"], os.path.join(staging, "thumbnail.jpg"))
            if keep.get("gif"):
                encode.gif(keep["gif"], os.path.join(staging, "preview.gif"), 1000 // GIF_FPS)
            with open(os.path.join(staging, "captions.srt"), "w") as handle:
                handle.write(captions.srt(all_cues))
            with open(os.path.join(staging, "captions.vtt"), "w") as handle:
                handle.write(captions.vtt(all_cues))
            shutil.rmtree(final, ignore_errors=True)
            os.replace(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            for scene in spec["scenes"]:
                if scene.get("background_file") and os.path.exists(scene["background_file"]):
                    os.remove(scene["background_file"])
        return {
            "file": f"video.{ext}",
            "duration": round(offset, 3),
            "file_size": os.path.getsize(os.path.join(final, f"video.{ext}")),
            "render_seconds": round(time.perf_counter() - started, 3),
            "scenes": scene_info,
            "joined_by": joined,
        }


def _small(frame: np.ndarray) -> np.ndarray:
    import cv2

    height = int(frame.shape[0] * GIF_WIDTH / frame.shape[1]) // 2 * 2
    return cv2.resize(frame, (GIF_WIDTH, height), interpolation=cv2.INTER_AREA)
