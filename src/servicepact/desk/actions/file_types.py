"""What a file really is, judged by its first bytes, so that a declared type cannot smuggle content in."""

import json

ZIP_BASED = frozenset(
    {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)
TEXT_BASED = frozenset({"text/plain", "text/csv", "application/json"})

# Magic numbers of the binary types we accept.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


def content_mismatch(declared: str, content: bytes) -> str | None:
    """Why ``content`` is not a file of the ``declared`` type, or None when it is."""
    if declared in SIGNATURES:
        if not content.startswith(SIGNATURES[declared]):
            return f"its content does not start like a {declared} file"
        return None
    if declared in ZIP_BASED:
        if not content.startswith(ZIP_SIGNATURES):
            return f"its content is not a ZIP container, which {declared} is"
        return None
    if declared in TEXT_BASED:
        return _text_problem(declared, content)
    return None


def _text_problem(declared: str, content: bytes) -> str | None:
    if b"\x00" in content:
        return f"it holds binary data, not {declared}"
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return f"it is not UTF-8 text, as {declared} must be"
    if declared == "application/json":
        try:
            # numbers are checked as text: a valid file may hold more digits than int() converts
            json.loads(text, parse_int=str, parse_float=str, parse_constant=_no_constant)
        except ValueError as error:
            return f"it is not valid JSON ({error})"
        except RecursionError:
            return "it is JSON that nests too deep to be read"
    return None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")
