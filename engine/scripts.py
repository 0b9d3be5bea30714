"""Script tools: an offline script generator (or an OpenAI-compatible endpoint when configured),
analysis (engine/text_metrics.py, run in its own process), and translation through a configured backend."""

from __future__ import annotations

import re

from .errors import EngineError, invalid
from .workers import JsonWorker

WORDS_PER_MINUTE = 150
TEXT_WORKER = JsonWorker("engine.text_worker", "ANALYSIS_FAILED")

OPENINGS = {
    "professional": "Today we look at {topic}: what it is, why it matters, and what to do next.",
    "casual": "Hi there! Let's talk about {topic}, because it's more interesting than it sounds.",
    "educational": "In this lesson we will learn about {topic}, step by step.",
    "marketing": "Imagine what {topic} could do for you. Here is why people are paying attention.",
    "entertainment": "Get ready, because {topic} has a few surprises in store!",
}
POINTS = (
    "First, consider what {topic} means in practice{context}.",
    "A useful way to see {topic} is through a concrete example from everyday work.",
    "Second, think about the benefits {topic} brings, and who gains the most from them.",
    "It also has limits, and knowing them helps you use {topic} well.",
    "Third, look at how {topic} is changing, and which trends are worth watching.",
    "People who start small with {topic} usually learn the fastest.",
    "A simple checklist helps: set a goal, try one idea, measure the result, and adjust.",
)
CLOSINGS = {
    "professional": "To sum up, {topic} rewards a clear plan. Thank you for watching.",
    "casual": "So that's {topic} in a nutshell. Thanks for hanging out!",
    "educational": "Let's review: we defined {topic}, saw an example, and looked ahead. Well done.",
    "marketing": "Ready to try {topic}? Start today and see the difference.",
    "entertainment": "And that's the story of {topic}. See you next time!",
}


def parse_minutes(value) -> float:
    """'3 minutes', '90 seconds', '2.5', 2 -> minutes."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        minutes = float(value)
    elif isinstance(value, str) and (
        match := re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?)?\s*", value)
    ):
        minutes = float(match.group(1)) / (60 if (match.group(2) or "m").startswith("s") else 1)
    else:
        raise invalid("duration", "must be a number of minutes or text such as '3 minutes' or '90 seconds'")
    if not 0 < minutes <= 30:
        raise invalid("duration", "must be more than 0 and at most 30 minutes")
    return minutes


def offline_script(topic: str, style: str, minutes: float, context: str) -> str:
    """A structured script (opening, points, closing) of about the words the duration needs."""
    fill = {"topic": topic, "context": f", keeping in mind: {context.rstrip('.')}" if context else ""}
    target = max(20, int(minutes * WORDS_PER_MINUTE))
    opening, closing = OPENINGS[style].format(**fill), CLOSINGS[style].format(**fill)
    body, count, n = [], len(opening.split()) + len(closing.split()), 0
    while count < target and n < 400:
        sentence = POINTS[n % len(POINTS)].format(**fill)
        body.append(sentence)
        count += len(sentence.split())
        n += 1
    return " ".join([opening, *body, closing])


def analyze(script: str) -> dict:
    """Readability, sentiment and complexity, computed in the text worker process."""
    answer = TEXT_WORKER.ask({"script": script})
    answer.pop("ok", None)
    return answer


async def llm_script(session, base_url: str, api_key: str, model: str, topic, style, minutes, language, context) -> str:
    """A script from an OpenAI-compatible chat completions endpoint (operator-configured)."""
    prompt = (
        f"Write a {style} video script of about {int(minutes * WORDS_PER_MINUTE)} words in language '{language}' "
        f"about: {topic}. {context} Plain spoken text only, no stage directions."
    )
    payload = {"model": model, "messages": [{"role": "user", "content": prompt}], "temperature": 0.7}
    headers = {"Authorization": f"Bearer {api_key}"}
    async with session.post(f"{base_url.rstrip('/')}/chat/completions", json=payload, headers=headers) as response:
        if response.status != 200:
            raise EngineError(502, "SCRIPT_BACKEND_FAILED", f"the script backend answered HTTP {response.status}")
        data = await response.json()
    try:
        return data["choices"][0]["message"]["content"].strip()
    except (KeyError, IndexError, TypeError) as error:
        raise EngineError(502, "SCRIPT_BACKEND_FAILED", "the script backend's answer had no text") from error


async def translate(session, backend_url: str, text: str, source: str, target: str) -> tuple[str, float | None]:
    """Through a LibreTranslate-compatible backend (POST /translate)."""
    payload = {"q": text, "source": source or "auto", "target": target, "format": "text"}
    async with session.post(f"{backend_url.rstrip('/')}/translate", json=payload) as response:
        if response.status != 200:
            raise EngineError(
                502, "TRANSLATION_BACKEND_FAILED", f"the translation backend answered HTTP {response.status}"
            )
        data = await response.json()
    if not isinstance(data, dict) or not isinstance(data.get("translatedText"), str):
        raise EngineError(502, "TRANSLATION_BACKEND_FAILED", "the translation backend's answer had no translatedText")
    confidence = (data.get("detectedLanguage") or {}).get("confidence")
    return data["translatedText"], (confidence / 100 if isinstance(confidence, (int, float)) else None)
