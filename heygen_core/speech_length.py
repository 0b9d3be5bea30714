"""How long a script takes to say: one model for the plugin's estimate_video and the simulator's videos.

Scripts written with spaces (Latin, Cyrillic, Greek, Arabic, Devanagari, …) are counted in words at
WORDS_PER_MINUTE. Scripts written without spaces between words are counted in characters, at rates near
read-aloud speech (each character there is about a syllable, or a mora for kana):
- Han (Chinese, and kanji): 4.5 characters a second: Mandarin read speech runs at 4-5 syllables a second.
- Hiragana and katakana: 7 a second: Japanese runs at 7-8 morae a second, and a kana is a mora.
- Hangul syllable blocks: 6.5 a second (Korean has spaces, but its words are several syllables long).
- Thai, Lao, Khmer and Myanmar: 12 characters a second (about 5 syllables, of 2-3 characters each).
A mixed script is summed run by run; the voice's speed divides the total. These are estimates: HeyGen's own
voices vary by a few tens of percent.
"""

WORDS_PER_MINUTE = 150.0
# (first code point, last code point, characters a second)
CHARACTER_RATES = (
    (0x3400, 0x4DBF, 4.5),  # Han extension A
    (0x4E00, 0x9FFF, 4.5),  # Han
    (0xF900, 0xFAFF, 4.5),  # Han compatibility
    (0x20000, 0x2FFFF, 4.5),  # Han extensions B and on
    (0x3040, 0x30FF, 7.0),  # hiragana and katakana
    (0x31F0, 0x31FF, 7.0),  # katakana extensions
    (0xFF66, 0xFF9D, 7.0),  # half-width katakana
    (0xAC00, 0xD7AF, 6.5),  # Hangul syllables
    (0x0E00, 0x0EFF, 12.0),  # Thai and Lao
    (0x1000, 0x109F, 12.0),  # Myanmar
    (0x1780, 0x17FF, 12.0),  # Khmer
)


# CJK punctuation and full-width forms: pauses HeyGen's voices make anyway, not words
SEPARATORS = ((0x3000, 0x303F), (0xFF00, 0xFF65))


def character_rate(char: str) -> float | None:
    """Characters a second for a character of a script written without spaces, else None."""
    point = ord(char)
    return next((rate for low, high, rate in CHARACTER_RATES if low <= point <= high), None)


def speaking_seconds(text: str, speed: float = 1.0) -> float:
    """Seconds to say `text` at `speed` (1.0 is the voice's normal pace)."""
    seconds, spaced = 0.0, []
    for char in text:
        rate = character_rate(char)
        if any(low <= ord(char) <= high for low, high in SEPARATORS):
            spaced.append(" ")
        elif rate is None:
            spaced.append(char)
        else:
            seconds += 1.0 / rate
            spaced.append(" ")  # a run of such characters also ends the word before it
    seconds += len("".join(spaced).split()) * 60.0 / WORDS_PER_MINUTE
    return seconds / (speed or 1.0)
