"""The simulator's seeded, deterministic catalogue: studio avatars, talking photos, voices,
voice locales and templates. The same config always yields the same ids, so tests can name them.

Fixed ids (always present while the matching count is large enough):

Studio avatars (``GET /v2/avatars``), first entries in order:
    ``Angela-inblackskirt-20220820``  Angela in Black Skirt, female, default voice Monica
    ``Abigail_expressive_2024112501`` Abigail (Upper Body), female, premium
    ``Tyler-incasualsuit-20220721``   Tyler in Casual Suit, male, default voice Chill Brian
    ``Daisy-inskirt-20220818``        Daisy in Skirt, female
    ``Josh_lite3_20230714``           Josh, male
    then generated ``<Name>-in<outfit>-<yyyymmdd>`` up to ``avatars_count`` (default 30).

Talking photos (``talking_photo_id(i)`` for i < talking_photos_count, default 10):
    ``ead0be6aed1857c25e8d7ecdaf86032e`` Anna (TALKING_PHOTO_ANNA)
    ``146a0f18ab49bfb62c122793ee40fccb`` Marcus (TALKING_PHOTO_MARCUS)

Voices (``GET /v2/voices``, default 60; ``voices_count=2000`` for a HeyGen-sized list):
    ``1bd001e7ffe04520adf63141a163d1f8`` Monica, English, female (MONICA_VOICE_ID)
    ``f38a635bee7a4d1f9b0a654a31d050d2`` Chill Brian, English, male (BRIAN_VOICE_ID)
    ``e540ff9778d04108a8a7190bb4a77072`` Adam, English, male (ADAM_VOICE_ID)
    then one female and one male voice per language, round after round, over English, Spanish,
    French, German, Japanese, Portuguese, Italian, Hindi, Chinese and Korean; the first of each:
    ``2b5005008b305ef827f905fa90493fdd`` Lucia, Spanish, female (Mateo ``cd755e7ecb00de1058ad9cb88bdba6e2``)
    ``22f1166eae8a43d051ab6957a977e651`` Camille, French, female
    ``d1d67cf855da19cdbc373c5b7df1eb14`` Hanna, German, female
    ``83b08d5f4743c0ee43664f8c8c65b9e2`` Yui, Japanese, female (Haruto ``ca66cd46df5eae41cba79f7e30c0b9b2``)
    ``bdd64995a09678ac39de78ea5b17f1c4`` Beatriz, Portuguese, female
    ``VOICE_IDS_BY_LANGUAGE[language]`` holds these.

Templates (``TEMPLATE_IDS[slug]``), variables covering text, image, video, character, voice, audio:
    ``4502048f3b5418b6613ce60b483cf48c`` product_launch   Product Launch (16:9)
    ``da999b3f3228dd865be299f72a4da689`` weekly_update    Weekly Team Update (16:9)
    ``15a525b19da43a1cddc8de3fb021eeff`` onboarding       Customer Onboarding (9:16)
    ``eac74705bf7c53b4444623ecd24e053f`` sales_outreach   Sales Outreach (1:1)
    ``709ab60872da1de97a27d5ad6c0ea3f1`` training         Training Template (16:9), one ``script`` text variable
    ``Template.details()`` is the GET /v2/template/{id} ``data``; ``Template.script`` the narration.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta


def _hex_id(kind: str, index: int) -> str:
    return hashlib.md5(f"heygen-sim/{kind}/{index}".encode()).hexdigest()


def voice_id(index: int) -> str:
    return FIXED_VOICES[index][0] if index < len(FIXED_VOICES) else _hex_id("voice", index)


def talking_photo_id(index: int) -> str:
    return _hex_id("talking_photo", index)


def template_id(slug: str) -> str:
    return hashlib.md5(f"heygen-sim/template/{slug}".encode()).hexdigest()


ANGELA_AVATAR_ID = "Angela-inblackskirt-20220820"
ABIGAIL_AVATAR_ID = "Abigail_expressive_2024112501"
TYLER_AVATAR_ID = "Tyler-incasualsuit-20220721"
MONICA_VOICE_ID = "1bd001e7ffe04520adf63141a163d1f8"
BRIAN_VOICE_ID = "f38a635bee7a4d1f9b0a654a31d050d2"
ADAM_VOICE_ID = "e540ff9778d04108a8a7190bb4a77072"
TALKING_PHOTO_ANNA = talking_photo_id(0)
TALKING_PHOTO_MARCUS = talking_photo_id(1)

# (avatar_id, avatar_name, gender, premium)
FIXED_AVATARS = [
    (ANGELA_AVATAR_ID, "Angela in Black Skirt", "female", False),
    (ABIGAIL_AVATAR_ID, "Abigail (Upper Body)", "female", True),
    (TYLER_AVATAR_ID, "Tyler in Casual Suit", "male", False),
    ("Daisy-inskirt-20220818", "Daisy in Skirt", "female", False),
    ("Josh_lite3_20230714", "Josh", "male", False),
]
FIRST_NAMES = {
    "female": ["Anna", "Brittany", "Carla", "Diana", "Elena", "Fiona", "Grace", "Harper", "Iris", "Julia"],
    "male": ["Aaron", "Bruno", "Caleb", "Dmitri", "Ethan", "Frank", "Gavin", "Hiro", "Isaac", "Jonas"],
}
OUTFITS = {
    "female": ["blazer", "sweater", "dress", "greyjacket", "blackskirt"],
    "male": ["casualsuit", "tshirt", "hoodie", "blackshirt", "greyjacket"],
}

# (voice_id, name, language, gender)
FIXED_VOICES = [
    (MONICA_VOICE_ID, "Monica", "English", "female"),
    (BRIAN_VOICE_ID, "Chill Brian", "English", "male"),
    (ADAM_VOICE_ID, "Adam", "English", "male"),
]
# language -> (locale codes, female names, male names)
LANGUAGES = {
    "English": (["en-US", "en-GB", "en-AU", "en-IN"], ["Sara", "Olivia", "Emma"], ["James", "Liam", "Noah"]),
    "Spanish": (["es-ES", "es-MX"], ["Lucia", "Sofia", "Valeria"], ["Mateo", "Diego", "Pablo"]),
    "French": (["fr-FR", "fr-CA"], ["Camille", "Chloe", "Manon"], ["Louis", "Hugo", "Jules"]),
    "German": (["de-DE", "de-AT"], ["Hanna", "Lena", "Mia"], ["Felix", "Lukas", "Paul"]),
    "Japanese": (["ja-JP"], ["Yui", "Sakura", "Aoi"], ["Haruto", "Sota", "Ren"]),
    "Portuguese": (["pt-BR", "pt-PT"], ["Beatriz", "Ana", "Larissa"], ["Thiago", "Joao", "Rafael"]),
    "Italian": (["it-IT"], ["Giulia", "Chiara", "Martina"], ["Marco", "Luca", "Matteo"]),
    "Hindi": (["hi-IN"], ["Ananya", "Priya", "Kavya"], ["Arjun", "Rohan", "Vikram"]),
    "Chinese": (["zh-CN", "zh-TW"], ["Mei", "Xiu", "Lan"], ["Wei", "Jun", "Hao"]),
    "Korean": (["ko-KR"], ["Jiwoo", "Seoyeon", "Minji"], ["Minho", "Jisung", "Hyun"]),
}
LANGUAGE_CODES = {
    "English": "en",
    "Spanish": "es",
    "French": "fr",
    "German": "de",
    "Japanese": "ja",
    "Portuguese": "pt",
    "Italian": "it",
    "Hindi": "hi",
    "Chinese": "zh",
    "Korean": "ko",
}
LOCALE_LABELS = {
    "US": "United States",
    "GB": "United Kingdom",
    "AU": "Australia",
    "IN": "India",
    "ES": "Spain",
    "MX": "Mexico",
    "FR": "France",
    "CA": "Canada",
    "DE": "Germany",
    "AT": "Austria",
    "JP": "Japan",
    "BR": "Brazil",
    "PT": "Portugal",
    "IT": "Italy",
    "CN": "China",
    "TW": "Taiwan",
    "KR": "Korea",
}


def _generated_voices() -> list[tuple[str, str, str]]:
    """(name, language, gender), one female and one male per language per round, English first."""
    out = []
    for round_ in range(3):
        for language, (_, females, males) in LANGUAGES.items():
            out.append((females[round_], language, "female"))
            out.append((males[round_], language, "male"))
    return out


GENERATED_VOICES = _generated_voices()
VOICE_IDS_BY_LANGUAGE = {"English": MONICA_VOICE_ID} | {
    language: voice_id(len(FIXED_VOICES) + GENERATED_VOICES.index((females[0], language, "female")))
    for language, (_, females, _) in LANGUAGES.items()
    if language != "English"
}

TEMPLATE_SLUGS = ["product_launch", "weekly_update", "onboarding", "sales_outreach", "training"]
TEMPLATE_IDS = {slug: template_id(slug) for slug in TEMPLATE_SLUGS}


@dataclass(frozen=True)
class Template:
    template_id: str
    name: str
    aspect_ratio: str
    thumbnail_image_url: str
    variables: dict
    script: str  # the narration, with {{variable}} placeholders for text variables

    def summary(self) -> dict:
        return {
            "template_id": self.template_id,
            "name": self.name,
            "thumbnail_image_url": self.thumbnail_image_url,
            "aspect_ratio": self.aspect_ratio,
        }

    def details(self) -> dict:
        return {"template_id": self.template_id, "name": self.name, "variables": self.variables}


class Catalogue:
    """Built once per server start, with media URLs pointing at that server."""

    def __init__(self, base_url: str, avatars_count: int = 30, talking_photos_count: int = 10, voices_count: int = 60):
        self.base_url = base_url
        self.voices = [self._voice(i) for i in range(voices_count)]
        self.voices_by_id = {v["voice_id"]: v for v in self.voices}
        self.avatars = [self._avatar(i) for i in range(avatars_count)]
        self.avatars_by_id = {a["avatar_id"]: a for a in self.avatars}
        self.talking_photos = [self._talking_photo(i) for i in range(talking_photos_count)]
        self.talking_photos_by_id = {t["talking_photo_id"]: t for t in self.talking_photos}
        self.locales = self._locales()
        self.templates = self._templates()
        self.templates_by_id = {t.template_id: t for t in self.templates}

    def media(self, path: str) -> str:
        return f"{self.base_url}/media/{path}"

    def _default_voice(self, gender: str) -> str | None:
        preferred = MONICA_VOICE_ID if gender == "female" else BRIAN_VOICE_ID
        if preferred in self.voices_by_id:
            return preferred
        return next((v["voice_id"] for v in self.voices if v["gender"] == gender), None)

    def _voice(self, i: int) -> dict:
        if i < len(FIXED_VOICES):
            vid, name, language, gender = FIXED_VOICES[i]
        else:
            n = i - len(FIXED_VOICES)
            name, language, gender = GENERATED_VOICES[n % len(GENERATED_VOICES)]
            if n >= len(GENERATED_VOICES):
                name = f"{name} {n // len(GENERATED_VOICES) + 1}"
            vid = voice_id(i)
        return {
            "voice_id": vid,
            "language": language,
            "gender": gender,
            "name": name,
            "preview_audio": self.media(f"voices/{vid}.mp3"),
            "support_pause": i % 5 != 4,
            "emotion_support": language == "English" or i % 3 == 0,
            "support_interactive_avatar": i % 3 != 2,
            "support_locale": language in ("English", "Spanish", "Portuguese", "French"),
        }

    def _avatar(self, i: int) -> dict:
        if i < len(FIXED_AVATARS):
            aid, name, gender, premium = FIXED_AVATARS[i]
        else:
            gender = "female" if i % 2 == 0 else "male"
            first = FIRST_NAMES[gender][(i // 2) % len(FIRST_NAMES[gender])]
            outfit = OUTFITS[gender][(i // 2) % len(OUTFITS[gender])]
            day = date(2022, 1, 3) + timedelta(days=37 * i)
            aid = f"{first}-in{outfit}-{day:%Y%m%d}"
            name, premium = f"{first} in {outfit.capitalize()}", i % 4 == 3
        return {
            "avatar_id": aid,
            "avatar_name": name,
            "gender": gender,
            "preview_image_url": self.media(f"avatars/{aid}.jpg"),
            "preview_video_url": self.media(f"avatars/{aid}.mp4"),
            "premium": premium,
            "type": "avatar",
            "tags": ["PREMIUM"] if premium else (["NEW"] if i % 7 == 0 else []),
            "default_voice_id": self._default_voice(gender),
        }

    def _talking_photo(self, i: int) -> dict:
        gender = "female" if i % 2 == 0 else "male"
        name = ["Anna", "Marcus"][i] if i < 2 else FIRST_NAMES[gender][i % 10]
        tid = talking_photo_id(i)
        return {
            "talking_photo_id": tid,
            "talking_photo_name": name,
            "preview_image_url": self.media(f"talking_photos/{tid}.jpg"),
        }

    def _locales(self) -> list[dict]:
        out = []
        for language, (codes, _, _) in LANGUAGES.items():
            for code in codes:
                out.append(
                    {
                        "value": code,
                        "label": f"{language} ({LOCALE_LABELS[code.split('-')[1]]})",
                        "language": language,
                        "language_code": LANGUAGE_CODES[language],
                        "locale": code,
                        "tag": None,
                    }
                )
        return out

    def avatar_details(self, avatar_id: str) -> dict | None:
        a = self.avatars_by_id.get(avatar_id)
        if a is None:
            return None
        return {
            "type": "avatar",
            "id": a["avatar_id"],
            "name": a["avatar_name"],
            "gender": a["gender"],
            "preview_image_url": a["preview_image_url"],
            "preview_video_url": a["preview_video_url"],
            "premium": a["premium"],
            "is_public": True,
            "default_voice_id": a["default_voice_id"],
            "tags": a["tags"],
        }

    def _templates(self) -> list[Template]:
        first_avatar = self.avatars[0]["avatar_id"] if self.avatars else None
        first_photo = self.talking_photos[0]["talking_photo_id"] if self.talking_photos else None
        first_voice = self.voices[0]["voice_id"] if self.voices else None

        def var(name: str, type_: str, **properties) -> tuple[str, dict]:
            return name, {"name": name, "type": type_, "properties": properties}

        specs = {
            "product_launch": (
                "Product Launch",
                "16:9",
                "Introducing {{product_name}}. {{tagline}}",
                [
                    var("product_name", "text", content="Nimbus One"),
                    var("tagline", "text", content="The smartest way to plan your week."),
                    var(
                        "product_image", "image", url=self.media("templates/product.jpg"), asset_id=None, fit="contain"
                    ),
                    var("presenter", "character", character_id=first_avatar, type="avatar"),
                    var("narrator", "voice", voice_id=first_voice),
                ],
            ),
            "weekly_update": (
                "Weekly Team Update",
                "16:9",
                "Hi team, here is this week's update: {{summary}}",
                [
                    var("summary", "text", content="We shipped the new dashboard."),
                    var("host", "character", character_id=first_photo, type="talking_photo"),
                    var("voice", "voice", voice_id=first_voice),
                ],
            ),
            "onboarding": (
                "Customer Onboarding",
                "9:16",
                "Welcome aboard, {{customer_name}}!",
                [
                    var("customer_name", "text", content="Alex"),
                    var(
                        "intro_clip",
                        "video",
                        url=self.media("templates/intro.mp4"),
                        asset_id=None,
                        play_style="fit_to_scene",
                        fit="cover",
                    ),
                    var("music", "audio", url=self.media("templates/music.mp3"), asset_id=None),
                    var("presenter", "character", character_id=first_avatar, type="avatar"),
                ],
            ),
            "sales_outreach": (
                "Sales Outreach",
                "1:1",
                "Hello {{prospect}}, I noticed {{company}} is growing.",
                [
                    var("prospect", "text", content="Jordan"),
                    var("company", "text", content="Acme Corp"),
                    var("logo", "image", url=self.media("templates/logo.jpg"), asset_id=None, fit="cover"),
                    var("rep", "character", character_id=first_avatar, type="avatar"),
                    var("rep_voice", "voice", voice_id=first_voice),
                ],
            ),
            "training": (
                "Training Template",
                "16:9",
                "{{script}}",
                [
                    var("script", "text", content="Welcome to today's training."),
                    var("presenter", "character", character_id=first_avatar, type="avatar"),
                    var("narrator", "voice", voice_id=first_voice),
                ],
            ),
        }
        return [
            Template(
                TEMPLATE_IDS[slug],
                name,
                ratio,
                self.media(f"templates/{TEMPLATE_IDS[slug]}.jpg"),
                dict(variables),
                script,
            )
            for slug, (name, ratio, script, variables) in specs.items()
        ]
