"""README.md is the way in: short, runnable as written, and every link in it and in docs/ leads somewhere.

- README.md stays under WORD_LIMIT words (counted as `len(text.split())`).
- No user-facing text (README.md, USAGE_EXAMPLE.md, docs/*.md, the demo's strings) uses the words in
  FORBIDDEN_WORDS, which name internal documents rather than anything a user has.
- Every relative link in README.md and docs/*.md points at an existing file, and an anchor at a heading of it.
- README's shell blocks marked `<!-- runnable -->` run line by line from the repository root, each exiting 0
  (`make demo` and `make test` themselves are what CI runs, so they are skipped here). Blocks marked
  `<!-- runnable: needs-persistent-sim -->` use `--sim` several times in a row and share the simulator's state.
- README's first video (`<!-- first-video: PATH -->`) is the file it names, and it runs from another directory.
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
DOC_PATHS = sorted((ROOT / "docs").glob("*.md"))
USER_FACING = [README_PATH, ROOT / "USAGE_EXAMPLE.md", *DOC_PATHS]
WORD_LIMIT = 3500
FORBIDDEN_WORDS = re.compile(r"\b(seed|brief)\b", re.IGNORECASE)
PYTHON = ROOT / ".venv" / "bin" / "python"
# Written in parallel with this README; links to them are accepted until they exist, then checked like any other.
PENDING_DOCS = {"docs/local-simulator.md", "docs/simulator-differences.md"}

FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
RUNNABLE = re.compile(r"<!-- runnable(?P<kind>: [\w-]+)? -->\s*\n```(?:sh|bash)[ \t]*\n(?P<body>.*?)\n```", re.DOTALL)
FIRST_VIDEO = re.compile(r"<!-- first-video: (?P<path>\S+) -->\s*\n```python[ \t]*\n(?P<body>.*?\n)```", re.DOTALL)
SKIPPED_COMMANDS = ("make demo", "make test")


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# ------------------------------------------------------------------ size and wording


def test_readme_is_short_enough_to_read_in_ten_minutes():
    words = len(README.split())
    assert words <= WORD_LIMIT, f"README.md has {words} words (at most {WORD_LIMIT}): move detail into docs/"


def demo_strings() -> list[tuple[str, int, str]]:
    """(file, line, text) of every string literal in the demo package: what it prints comes from these."""
    found = []
    for path in sorted((ROOT / "demo").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((relative(path), node.lineno, node.value))
    return found


def test_no_internal_document_words_in_what_users_read():
    problems = []
    for path in USER_FACING:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN_WORDS.search(line):
                problems.append(f"{relative(path)}:{number}: {line.strip()}")
    for name, number, text in demo_strings():
        if FORBIDDEN_WORDS.search(text):
            problems.append(f"{name}:{number}: {text.strip()}")
    assert not problems, "words naming internal documents in user-facing text:\n" + "\n".join(problems)


# ------------------------------------------------------------------ links


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCED.sub("", path.read_text(encoding="utf-8"))
    return {slug(title) for title in HEADING.findall(text)}


def links(path: Path) -> list[str]:
    return LINK.findall(FENCED.sub("", path.read_text(encoding="utf-8")))


def test_docs_links_are_found():
    assert "docs/actions.md" in links(README_PATH)


@pytest.mark.parametrize("path", [README_PATH, *DOC_PATHS], ids=relative)
def test_every_relative_link_points_at_an_existing_file(path):
    problems = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # https:, mailto:, ...
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.exists():
            inside = resolved.is_relative_to(ROOT) and resolved.relative_to(ROOT).as_posix() in PENDING_DOCS
            if not inside:
                problems.append(f"{target}: no such file")
            continue
        if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{target}: no heading with the anchor #{anchor}")
    assert not problems, f"{relative(path)} has broken links: {problems}"


def test_readme_links_the_simulator_docs_and_says_what_the_simulator_renders():
    assert "docs/local-simulator.md" in links(README_PATH)
    assert "docs/simulator-differences.md" in links(README_PATH)
    assert "local-simulator.md" in links(ROOT / "docs" / "cli.md")
    assert re.search(r"renders small, quick videos", README)


# ------------------------------------------------------------------ README runs as written


def runnable_blocks(kind: str | None) -> list[str]:
    """The command lines of README's runnable blocks of one kind (None: the plain `<!-- runnable -->`)."""
    wanted = f": {kind}" if kind else None
    lines = []
    for match in RUNNABLE.finditer(README):
        if match.group("kind") != wanted:
            continue
        for line in match.group("body").splitlines():
            command = line.split("  #", 1)[0].strip()
            if command and not command.startswith("#"):
                lines.append(command)
    return lines


def test_readme_marks_its_commands():
    assert RUNNABLE.search(README), "README.md has no <!-- runnable --> shell block"
    plain = runnable_blocks(None)
    assert any(line.startswith(SKIPPED_COMMANDS) for line in plain), "make demo / make test should be runnable"
    assert runnable_blocks("needs-persistent-sim")
    for fence in re.finditer(r"```(?:sh|bash)[ \t]*\n(.*?)\n```", README, re.DOTALL):
        for line in fence.group(1).splitlines():
            assert not re.match(r"\s*python3?\s", line), f"README runs a bare python: {line!r} (use .venv/bin/python)"


def sim_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("HEYGEN_API_KEY", "HEYGEN_ACCESS_TOKEN")}
    env.pop("HEYGEN_API_URL", None)
    env.pop("HEYGEN_UPLOAD_URL", None)
    env["HEYGEN_SIM_HOME"] = str(tmp_path / "sim-home")
    return env


def run_lines(lines: list[str], tmp_path: Path) -> list[str]:
    """Runs each line as README shows it; returns what each printed."""
    env = sim_env(tmp_path)
    printed = []
    try:
        for line in lines:
            if line.startswith(SKIPPED_COMMANDS):
                continue
            done = subprocess.run(line, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=50)
            assert done.returncode == 0, f"README command failed ({done.returncode}): {line}\n{done.stderr[-2000:]}"
            printed.append(done.stdout)
        return printed
    finally:  # a background simulator started by --sim must not outlive the test
        stop = f"{PYTHON} -m heygen_cli sim stop"
        subprocess.run(stop, shell=True, cwd=ROOT, env=env, capture_output=True, timeout=20, check=False)


@pytest.mark.e2e
@pytest.mark.timeout(60)
def test_readme_commands_run_as_written(tmp_path):
    run_lines(runnable_blocks(None), tmp_path)


@pytest.mark.e2e
@pytest.mark.timeout(60)
def test_readme_commands_that_share_the_persistent_simulator(tmp_path):
    created, listed, status, *_ = run_lines(runnable_blocks("needs-persistent-sim"), tmp_path)

    video_id = json.loads(created)["video_id"]
    assert video_id in listed, "the second --sim command did not see the video the first one made"
    assert "running" in status and "1 videos" in status


def test_readme_cli_example_input_passes_its_schema():
    config = json.loads((ROOT / "config.json").read_text(encoding="utf-8"))
    inputs = json.loads((ROOT / "examples" / "first_video.json").read_text(encoding="utf-8"))
    schema = config["actions"]["create_avatar_video"]["input_schema"]
    assert not [e.message for e in Draft7Validator(schema).iter_errors(inputs)]


def test_first_video_is_the_file_it_names():
    match = FIRST_VIDEO.search(README)
    assert match, "README.md has no <!-- first-video: PATH --> ```python block"
    path = ROOT / match.group("path")
    assert path.read_text(encoding="utf-8") == match.group("body"), f"README's first video differs from {path.name}"


@pytest.mark.e2e
@pytest.mark.timeout(60)
def test_first_video_runs_from_another_directory(tmp_path):
    path = ROOT / FIRST_VIDEO.search(README).group("path")
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    done = subprocess.run(
        [python, str(path)], cwd=tmp_path, env=sim_env(tmp_path), capture_output=True, text=True, timeout=50
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"video [0-9a-f]{32}: completed", done.stdout), done.stdout
