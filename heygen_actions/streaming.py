"""Interactive (streaming) avatar sessions: token, create, start, speak, interrupt, keep alive, stop, list."""
