"""CKAN's errors: each knows its status code and the `error` object of CKAN's envelope."""

from django.utils.translation import gettext as _


class ActionError(Exception):
    status = 400
    type = "Bad Request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def error(self) -> dict:
        return {"__type": self.type, "message": self.message}


class NotFound(ActionError):
    status = 404
    type = "Not Found Error"

    def error(self) -> dict:
        return {"__type": self.type, "message": _("Not found: %(what)s") % {"what": self.message}}


class SearchQueryError(ActionError):
    type = "Search Query Error"

    def error(self) -> dict:
        return {"__type": self.type, "message": _("Search Query is invalid: %(why)s") % {"why": self.message}}


class ValidationFailed(ActionError):
    """CKAN puts each field's messages beside __type; message repeats them for readers."""

    status = 409
    type = "Validation Error"

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field

    def error(self) -> dict:
        return {"__type": self.type, self.field: [self.message], "message": f"{self.field}: {self.message}"}
