"""Domain errors. Services raise them; views and the API turn them into clear messages."""


class DomainError(Exception):
    """A business rule refused the operation. `message` is shown to the user as is (Swedish)."""

    status_code = 400
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class TransitionNotAllowed(DomainError):
    status_code = 409
    code = "transition_not_allowed"


class Conflict(DomainError):
    """The object changed or is held by someone else since the user loaded it."""

    status_code = 409
    code = "conflict"


class NotPermitted(DomainError):
    status_code = 403
    code = "not_permitted"
