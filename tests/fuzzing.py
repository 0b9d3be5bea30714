"""A fuzz of every action, generated from its input schema: hostile values in well-shaped inputs.

Each case is an action and inputs built from that action's `input_schema` in config.json, with a share of the
leaves replaced by hostile values (dot and empty ids, control characters, lone surrogates, NaN and Infinity,
whole floats, huge and deeply nested values, private and metadata URLs). It runs through
`Integration.execute_action` with HTTP faked at the wire, and checks what the platform and HeyGen would see:

- no exception escapes (the platform always gets ACTION, ACTION_ERROR or VALIDATION_ERROR);
- a refused input (VALIDATION_ERROR) sends nothing;
- nothing is sent to a non-public address or a metadata host, and every JSON body sent is valid JSON.

`tests/test_fuzz.py` runs 2,000 cases in `make test`; `make fuzz` runs 20,000 and prints the figures:
`python -m tests.fuzzing [CASES] [SEED]`.
"""

import asyncio
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aioresponses import aioresponses
from autohive_integrations_sdk import ExecutionContext, ResultType

import heygen
from heygen_core.downloads import UnsafeURL, checked_url

ACTIONS = heygen.integration.config.actions
AUTH = {"auth_type": "ApiKey", "credentials": {"api_key": "fuzz-api-key-0123456789abcdef"}}
HEYGEN_HOSTS = frozenset({"api.heygen.com", "upload.heygen.com", "api2.heygen.com"})
EVERYTHING = re.compile(r".*")
ANSWER = {
    "code": 100,
    "error": None,
    "message": "Success",
    "data": {"status": "completed", "video_id": "v1", "id": "x1", "url": "https://files.heygen.ai/x1.mp4"},
}
HOSTILE_URLS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/",
    "http://0xa9fea9fe/",
    "http://[::ffff:169.254.169.254]/",
    "http://user@169.254.169.254/",
    "http://[fd00:ec2::254]/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://100.100.100.200/latest/meta-data/",
    "http://10.0.0.1/admin",
    "http://192.168.1.1/",
    "http://127.0.0.1:22/",
    "http://[::1]:8080/",
    "http://127.1/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "https://public.example.com/clip.mp4",
]


def deep_list(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def deep_dict(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


HOSTILE_VALUES = [
    "",
    ".",
    "..",
    "   ",
    "a\x00b",
    "line\nbreak",
    "\ud800",
    "x\udfffy",
    "../../etc/passwd",
    "%2e%2e",
    "a/b?c#d",
    "x" * 6000,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1,
    0,
    2**63,
    20.0,
    2.5,
    True,
    None,
    [],
    {},
    deep_list(600),
    deep_dict(12_000),
    ["same", "same"],
    [deep_list(500), deep_list(500)],
    list(range(10_000)),
    *HOSTILE_URLS,
]


def generate(schema: dict, rng: random.Random, depth: int = 0, hostile: float = 0.12):
    """A value shaped by `schema`, with hostile leaves at the rate `hostile`."""
    if depth > 0 and rng.random() < hostile:
        return rng.choice(HOSTILE_VALUES)
    if not isinstance(schema, dict):
        return rng.choice(HOSTILE_VALUES)
    for key in ("anyOf", "oneOf"):
        if schema.get(key) and rng.random() < 0.7:
            branch = rng.choice(schema[key])
            merged = {**{k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}, **branch}
            if "properties" in schema and "properties" in branch:
                merged["properties"] = {**schema["properties"], **branch["properties"]}
            return generate(merged, rng, depth, hostile)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    kind = rng.choice(kind) if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return generate_object(schema, rng, depth, hostile)
    if kind == "array":
        return generate_array(schema, rng, depth, hostile)
    if kind == "string":
        return generate_text(schema, rng)
    if kind == "integer":
        low, high = schema.get("minimum", 0), schema.get("maximum", 1000)
        return rng.choice([rng.randint(int(low), int(high)), float(rng.randint(int(low), int(high))), high + 1])
    if kind == "number":
        low, high = schema.get("minimum", 0), schema.get("maximum", 100)
        return rng.choice([rng.uniform(low, high), float("nan"), high * 2 + 1])
    if kind == "boolean":
        return rng.random() < 0.5
    return rng.choice(HOSTILE_VALUES)


def generate_object(schema: dict, rng: random.Random, depth: int, hostile: float) -> dict:
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    value = {}
    for name, sub in properties.items():
        if name in required or rng.random() < 0.4:
            value[name] = generate(sub, rng, depth + 1, hostile)
    if rng.random() < 0.03:
        value["unexpected_field"] = "x"
    return value


def generate_array(schema: dict, rng: random.Random, depth: int, hostile: float) -> list:
    items = schema.get("items") or {}
    low, high = schema.get("minItems", 0), min(schema.get("maxItems", 3), 3)
    if rng.random() < 0.03:
        return [generate(items, rng, depth + 1, 0.0) for _ in range(schema.get("maxItems", 50) + 1)]
    return [generate(items, rng, depth + 1, hostile) for _ in range(rng.randint(low, max(low, high)))]


def generate_text(schema: dict, rng: random.Random) -> str:
    pattern = schema.get("pattern") or ""
    if "#[0-9a-fA-F]" in pattern:
        return rng.choice(["#112233", "#abcdef", "#FFF"])
    if pattern.startswith("^https?://") or schema.get("format") == "uri":
        return rng.choice(HOSTILE_URLS)
    if "maxLength" in schema and rng.random() < 0.05:
        return "w " * (schema["maxLength"] // 2 + 1)
    return rng.choice(["v1", "Hello there, this is a test.", "abc_123", "Ünïcödé 你好 Привет", "2024"])


def generate_case(rng: random.Random) -> tuple[str, dict]:
    name = rng.choice(sorted(ACTIONS))
    inputs = generate(ACTIONS[name].input_schema, rng)
    if isinstance(inputs, dict) and inputs.get("wait_for_completion"):
        inputs["timeout_seconds"] = 10  # answers say completed at once; a bound in case one does not
    return name, inputs


@dataclass
class Outcome:
    name: str
    kind: str
    seconds: float
    requests: list = field(default_factory=list)
    escaped: str | None = None


async def run_case(name: str, inputs: dict) -> Outcome:
    with aioresponses() as wire:
        for method in ("GET", "POST", "PATCH", "PUT", "DELETE"):
            wire.add(EVERYTHING, method=method, payload=ANSWER, repeat=True)
        started = time.perf_counter()
        try:
            async with ExecutionContext(auth=AUTH) as context:
                result = await heygen.integration.execute_action(name, inputs, context)
            kind, escaped = result.type.value, None
        except BaseException as error:  # the very thing the fuzz looks for
            kind, escaped = "escaped", f"{type(error).__name__}: {str(error)[:200]}"
        seconds = time.perf_counter() - started
        requests = [(key[0], str(key[1]), call.kwargs) for key, calls in wire.requests.items() for call in calls]
    return Outcome(name, kind, seconds, requests, escaped)


def heygen_requests(outcome: Outcome) -> list:
    """Requests to HeyGen itself (a download of the user's own URL, to judge the file, is not one)."""
    return [request for request in outcome.requests if urlsplit(request[1]).hostname in HEYGEN_HOSTS]


def problems_of(outcome: Outcome) -> list[str]:
    """What a case did that it must never do."""
    problems = []
    if outcome.escaped:
        problems.append(f"{outcome.name}: exception escaped: {outcome.escaped}")
    if outcome.kind == ResultType.VALIDATION_ERROR.value and heygen_requests(outcome):
        problems.append(f"{outcome.name}: refused input but sent {len(heygen_requests(outcome))} request(s) to HeyGen")
    for method, url, options in outcome.requests:
        try:
            checked_url(url, allow_loopback=False)
        except UnsafeURL as refused:
            problems.append(f"{outcome.name}: sent {method} to a non-public place ({refused.reason}): {url[:80]}")
        body = options.get("data")
        if isinstance(body, str):
            try:
                json.loads(body, parse_constant=_not_json)
            except ValueError as error:
                problems.append(f"{outcome.name}: sent a body that is not JSON: {error}")
    return problems


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def main(argv: list[str]) -> int:
    cases = int(argv[1]) if len(argv) > 1 else 20_000
    seed = int(argv[2]) if len(argv) > 2 else 2026
    rng = random.Random(seed)
    kinds: dict[str, int] = {}
    refused_times, problems, refused_with_requests = [], [], 0
    started = time.perf_counter()
    for _ in range(cases):
        outcome = asyncio.run(run_case(*generate_case(rng)))
        kinds[outcome.kind] = kinds.get(outcome.kind, 0) + 1
        if outcome.kind == ResultType.VALIDATION_ERROR.value:
            refused_times.append(outcome.seconds)
            refused_with_requests += bool(heygen_requests(outcome))
        problems.extend(problems_of(outcome))
    refused_times.sort()
    p99 = refused_times[int(len(refused_times) * 0.99) - 1] if refused_times else 0.0
    print(f"fuzz: {cases:,} inputs over {len(ACTIONS)} actions (seed {seed}) in {time.perf_counter() - started:.1f} s")
    print("  outcomes: " + ", ".join(f"{kind} {count:,}" for kind, count in sorted(kinds.items())))
    print(f"  exceptions escaped: {kinds.get('escaped', 0)}")
    print(f"  refused inputs that sent a request to HeyGen: {refused_with_requests}")
    print(
        f"  refused-input time: p50 {refused_times[len(refused_times) // 2] * 1000 if refused_times else 0:.2f} ms, "
        f"p99 {p99 * 1000:.2f} ms, max {refused_times[-1] * 1000 if refused_times else 0:.2f} ms"
    )
    print(f"  problems: {len(problems)}")
    for problem in problems[:20]:
        print("   ", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
