"""The refusal every action raises when a write breaks a rule; views and the API turn it into a 4xx."""


class ActionRefused(Exception):
    """A write refused: the request was understood but breaks a rule; nothing was changed.

    ``errors`` maps a field name (or "__all__") to messages, like Django's ValidationError; ``status`` is
    the HTTP status the API answers with (422 for invalid values, 409 for a conflict with the state).
    """

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status
