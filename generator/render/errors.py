"""The exception classes of declared error statuses: one module per class.

An endpoint of group ``(a, ...)`` raises, for each declared error status, the class named
in the IR, defined in ``<package>.a.errors.<class_snake>`` and re-exported by that package.
"""

from __future__ import annotations

import http

from generator.ir import Api
from generator.render.names import error_module, runtime
from generator.render.templating import HEADER, render_template
from generator.render.text import docstring


def error_classes(api: Api) -> dict[str, tuple[str, int]]:
    """``{module: (class name, status)}`` of every error class (normalise made them unambiguous)."""
    found: dict[str, tuple[str, int]] = {}
    for endpoint in api.endpoints:
        for error in endpoint.errors:
            found.setdefault(error_module(api, endpoint, error.class_name), (error.class_name, error.status))
    return found


_RANGES = {
    4: "a 4XX status (a client error)",
    5: "a 5XX status (a server error)",
    0: "an error status it declares no other class for",
}


_STATUS_BASES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "TooManyRequestsError",
}
"""The runtime's class for each status it names one for (``core/api_error.py``); a 5xx status
or range has ``InternalServerError``, any other ``ApiError``."""


def status_base(status: int) -> str:
    """The runtime class a declared error class of ``status`` (a code, 4/5 for a range, 0 for
    the default) subclasses."""
    if status == 5 or status >= 500:
        return "InternalServerError"
    return _STATUS_BASES.get(status, "ApiError")


def render_error_module(api: Api, class_name: str, status: int) -> str:
    if status in _RANGES:
        text = f"The API answered {_RANGES[status]}; ``status_code`` is the one it sent, ``body`` the error."
    else:
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        text = f"The API answered {status} {phrase}; ``body`` is the error it sent."
    return render_template(
        "error.py.j2",
        header=HEADER,
        class_name=class_name,
        status=status,
        ranged=status in _RANGES,
        base=status_base(status),
        docstring=docstring(text, "    "),
        api_error_module=runtime(api, "api_error"),
    )
