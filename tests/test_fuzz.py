"""The schema-generated fuzz of every action (tests/fuzzing.py), as a property-based test: 2,000 cases.

`make fuzz` runs 20,000 of the same cases and prints the figures.
"""

import asyncio
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import ACTIONS, generate_case, problems_of, run_case

EXAMPLES = int(os.environ.get("HEYGEN_FUZZ_EXAMPLES", "2000"))
seen_actions: set[str] = set()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False))
def test_no_input_escapes_sends_a_refused_input_or_reaches_a_non_public_address(rng):
    name, inputs = generate_case(rng)
    seen_actions.add(name)

    outcome = asyncio.run(run_case(name, inputs))

    assert problems_of(outcome) == []


def test_the_fuzz_reached_every_action():
    """Runs after the fuzz (file order): a fuzz that skipped actions would prove less than it says."""
    assert seen_actions == set(ACTIONS)
