"""Writes docs/api-versions.md, which route each action takes on HeyGen's API, from the route tables.

`--write` writes it; `--check` exits 1 when the file differs from what the tables say (tests/test_api_versions.py).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import heygen  # noqa: E402  (registers every handler, and with them every route)
from heygen_core.routes import ACTION_ROUTES  # noqa: E402

TARGET = ROOT / "docs" / "api-versions.md"
# Actions that call no HeyGen route at all.
LOCAL = {
    "estimate_video": "computed locally from the inputs (no HeyGen call)",
    "verify_webhook_signature": "computed locally from the delivery (no HeyGen call)",
}
STREAMING = (
    "`/v1/streaming.*`: legacy only. v3 has no streaming; HeyGen points interactive avatars to its separate "
    "LiveAvatar product"
)
HEADER = """# Which HeyGen route each action takes

Generated from the route tables in `heygen_actions/` (`scripts/render_api_versions.py --write`); a test fails
when this file and the tables differ. With `HEYGEN_API_VERSION=v3` (the default) an action tries its v3 route
first; with `legacy`, its legacy route. A route HeyGen does not serve falls back to the other, once per
process. Where v3 cannot express an input the legacy route gets its turn (see [heygen-api.md](heygen-api.md)).

| action | v3 route | legacy route | when the legacy route is gone |
|---|---|---|---|
"""


def cell(routes, generation: str) -> str:
    found = [f"`{r.describe()}`" for r in routes if r.generation == generation]
    return "<br>".join(found) or "none"


def render() -> str:
    rows = []
    for name in sorted(heygen.integration.config.actions):
        if name in LOCAL:
            rows.append(f"| `{name}` | {LOCAL[name]} | | |")
            continue
        if "streaming" in name:
            rows.append(f"| `{name}` | none | {STREAMING} | |")
            continue
        routes = ACTION_ROUTES.get(name, ())
        gone = next((r.gone_hint for r in routes if r.generation == "legacy" and r.gone_hint), "")
        v3_cell = cell(routes, "v3")
        if v3_cell == "none":
            v3_cell = "none: legacy only"
        rows.append(f"| `{name}` | {v3_cell} | {cell(routes, 'legacy')} | {gone} |")
    return HEADER + "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print("docs/api-versions.md is out of date: run scripts/render_api_versions.py --write")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
