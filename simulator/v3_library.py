"""v3 catalogue searches and account libraries with no v1/v2 counterpart: the audio catalogue (music and
sound effects, real MP3s behind ``audio_url``), brand kits and brand glossaries (the simulated account has
none, so those lists are empty but well-formed).

Audio search scores each sound by the share of query words found in its name and description (0-1);
``min_score`` drops weaker matches; ``type`` is ``music`` or ``sound_effects``.
"""

from __future__ import annotations

from aiohttp import web

from .state import SimState
from .v3_common import invalid, listed, query_choice, query_text, route

SOUNDS = [
    ("snd_upbeat_corporate", "Upbeat corporate", "bright upbeat corporate background music", "music", 30.0),
    ("snd_calm_piano", "Calm piano", "calm gentle piano music for explainers", "music", 45.0),
    ("snd_cinematic_rise", "Cinematic rise", "dramatic cinematic orchestral music rise", "music", 20.0),
    ("snd_whoosh", "Whoosh", "fast whoosh transition sound effect", "sound_effects", 1.0),
    ("snd_click", "Click", "soft mouse click sound effect", "sound_effects", 0.3),
    ("snd_applause", "Applause", "crowd applause cheering sound effect", "sound_effects", 4.0),
    ("snd_notification", "Notification", "short chime notification sound effect", "sound_effects", 1.2),
]


def _score(words: list[str], text: str) -> float:
    found = sum(1 for word in words if word in text)
    return round(found / len(words), 3) if words else 0.0


async def sounds(state: SimState, request: web.Request) -> web.Response:
    query = query_text(request, "query")
    if query is None:
        raise invalid("query", "is required: describe the sound you want")
    kind = query_choice(request, "type", ["music", "sound_effects"])
    raw_min = query_text(request, "min_score") or "0"
    try:
        min_score = float(raw_min) if raw_min.isascii() else None
    except ValueError:
        min_score = None
    if min_score is None or not 0 <= min_score <= 1:
        raise invalid("min_score", "must be a number from 0 to 1")
    words = query.lower().split()
    found = []
    for sound_id, name, description, sound_type, seconds in SOUNDS:
        score = _score(words, f"{name} {description}".lower())
        if (kind is None or sound_type == kind) and score > 0 and score >= min_score:
            found.append(
                {
                    "id": sound_id,
                    "name": name,
                    "description": description,
                    "type": sound_type,
                    "score": score,
                    "duration": seconds,
                    "audio_url": state.media_url(f"sound_effects/{sound_id}.mp3"),
                    "placement": "background" if sound_type == "music" else "transition",
                    "peak_offset": None,
                }
            )
    found.sort(key=lambda s: -s["score"])
    return listed(request, "AudioSoundsList", found)


async def brand_kits(state: SimState, request: web.Request) -> web.Response:
    return listed(request, "BrandKitsList", [])


async def brand_glossaries(state: SimState, request: web.Request) -> web.Response:
    return listed(request, "BrandGlossariesList", [])


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "AudioSoundsList", sounds)
    route(router, state, "BrandKitsList", brand_kits)
    route(router, state, "BrandGlossariesList", brand_glossaries)
