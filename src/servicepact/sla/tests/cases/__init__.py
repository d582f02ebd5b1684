"""Fixtures of the clock and replay tests: event logs with expected outputs, and contracts to run them on."""
