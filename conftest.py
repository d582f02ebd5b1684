"""Fixtures shared by every app's tests live in servicepact/testing; this file only makes pytest find them."""

pytest_plugins = ["servicepact.testing.fixtures"]
