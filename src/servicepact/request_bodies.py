"""How the API reads requests: bodies as JSON only, into schemas that refuse fields they do not know.

A body of another content type is refused (415) rather than guessed at, even when it happens to hold
JSON; a field a schema does not name is refused (422, naming it) rather than silently dropped, so that a
misspelt field never passes for an accepted one. A parameter that takes one value and is given several
times is refused too (422), rather than read as its last value. Text fields refuse the NUL character,
which no field means and PostgreSQL cannot store. An instant given with an offset is kept as the same
instant in UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows. Every request body schema
derives from ``InputSchema``.
"""

import json
from datetime import UTC, datetime

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Schema
from ninja.errors import ValidationError
from ninja.parser import Parser
from pydantic import ConfigDict, field_validator

JSON_CONTENT_TYPE = "application/json"


class UnsupportedMediaType(Exception):
    """A request body of another content type than JSON, for an operation that reads JSON."""

    def __init__(self, content_type: str):
        super().__init__(content_type)
        self.content_type = content_type


class StrictParser(Parser):
    """Reads a body only when it is declared as JSON (``application/json`` or a ``+json`` type), and query
    or form parameters that take one value only when they are given once."""

    def parse_body(self, request: HttpRequest):
        content_type = request.content_type
        # None: ninja's own stand-in for one part of a multipart body, which has no headers of its own
        if content_type is not None and content_type != JSON_CONTENT_TYPE and not content_type.endswith("+json"):
            raise UnsupportedMediaType(content_type)
        return json.loads(request.body)

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict:
        with_nul = [
            key for key, values in data.lists() if any("\x00" in value for value in values if isinstance(value, str))
        ]
        if with_nul:
            source = "query" if data is request.GET else "form"
            raise ValidationError(
                [
                    {"loc": (source, key), "msg": "must not contain the NUL character", "type": "value_error"}
                    for key in with_nul
                ]
            )
        # a repeated parameter is handed on as its list of values, which the field's validation refuses
        return {
            key: data.getlist(key) if key in list_fields or len(data.getlist(key)) > 1 else data[key] for key in data
        }


class InputSchema(Schema):
    """The base of every request body: unknown fields are refused, and so is NUL in any text."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_and_instants_in_utc(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain the NUL character")
        if isinstance(value, datetime) and value.tzinfo is not None:
            try:
                return value.astimezone(UTC)
            except OverflowError:
                raise ValueError("lies outside the years 1 to 9999 in UTC") from None
        return value
