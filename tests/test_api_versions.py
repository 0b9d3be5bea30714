"""The route table: docs/api-versions.md is what the tables say, and every route is one HeyGen documents."""

import subprocess
import sys
from pathlib import Path

from heygen_core.paths import UNPUBLISHED_V3, v3_endpoints
from heygen_core.routes import ACTION_ROUTES

import heygen

ROOT = Path(__file__).resolve().parent.parent


def test_docs_api_versions_matches_the_route_tables():
    result = subprocess.run(
        [sys.executable, "scripts/render_api_versions.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_routed_action_is_a_config_action_and_every_v3_route_is_in_heygens_schema_file():
    documented = {(endpoint.method, endpoint.path) for endpoint in v3_endpoints().values()}
    # HeyGen's newer routes not yet in its schema file, each a second choice after a published one
    documented |= {(method, path) for method, path, _source in UNPUBLISHED_V3.values()}
    for action, routes in ACTION_ROUTES.items():
        assert action in heygen.integration.config.actions
        for route in routes:
            if route.generation == "v3":
                assert (route.method, route.path) in documented, (action, route.describe())


def test_v3_is_preferred_for_every_action_that_has_a_v3_route():
    for action, routes in ACTION_ROUTES.items():
        generations = [route.generation for route in routes]
        if "v3" in generations:
            assert generations.index("v3") == 0, action


def test_every_action_that_calls_heygen_has_routes_in_the_table():
    local = {"estimate_video", "verify_webhook_signature"}
    missing = [
        name
        for name in heygen.integration.config.actions
        if name not in ACTION_ROUTES and name not in local and "streaming" not in name
    ]
    assert missing == []
