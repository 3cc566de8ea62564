"""Helpers for tests that start servers and commands in processes of their own."""

import socket


def free_port():
    """A local TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
