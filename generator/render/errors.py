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


def render_error_module(api: Api, class_name: str, status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return render_template(
        "error.py.j2",
        header=HEADER,
        class_name=class_name,
        status=status,
        docstring=docstring(f"The API answered {status} {phrase}; ``body`` is the error it sent.", "    "),
        api_error_module=runtime(api, "api_error"),
    )
