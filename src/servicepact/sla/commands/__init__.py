"""Command-line entry points of the kernel: each module has ``main(argv: list[str]) -> int``."""
