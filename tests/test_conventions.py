"""Autohive's own checks on handler code, run on every change rather than only in their CI."""

import ast
import json
from pathlib import Path

import heygen

ROOT = Path(__file__).resolve().parent.parent
CONFIG = json.loads((ROOT / "config.json").read_text())


def handler_classes():
    """(file, action name, class node) for every `@integration.action("name")` class."""
    for path in sorted((ROOT / "heygen_actions").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.ClassDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", None) == "action":
                    yield path.name, decorator.args[0].value, node


def test_inputs_subscript_reads_only_required_inputs():
    misuse = []
    for filename, action, node in handler_classes():
        required = set(CONFIG["actions"][action]["input_schema"].get("required", []))
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Subscript)
                and isinstance(inner.value, ast.Name)
                and inner.value.id == "inputs"
                and isinstance(inner.slice, ast.Constant)
                and inner.slice.value not in required
            ):
                misuse.append(f"{filename}: {action} reads inputs[{inner.slice.value!r}], an optional input")
    assert misuse == []


def test_every_action_in_config_has_exactly_one_handler_and_no_handler_lacks_config():
    declared = [action for _, action, _ in handler_classes()]
    assert sorted(declared) == sorted(set(declared)), "an action is registered twice"
    assert set(declared) == set(CONFIG["actions"])
    assert set(heygen.integration._action_handlers) == set(CONFIG["actions"])


def test_init_files_hold_only_imports():
    for path in [ROOT / "__init__.py", *ROOT.glob("*/__init__.py")]:
        for node in ast.parse(path.read_text()).body:
            is_all = isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__all__"]
            is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            allowed = isinstance(node, (ast.Import, ast.ImportFrom)) or is_all or is_docstring
            assert allowed, f"{path.relative_to(ROOT)}: line {node.lineno} is not an import"


def test_source_files_stay_small_enough_to_read():
    sources = [*ROOT.glob("*.py"), *ROOT.glob("heygen_*/*.py"), *ROOT.glob("simulator/*.py")]
    too_long = {str(p.relative_to(ROOT)): n for p in sources if (n := len(p.read_text().splitlines())) > 500}
    assert too_long == {}
