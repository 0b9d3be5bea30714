"""Templates: list them, read their typed variables, and generate videos from them."""
