"""Pages of a list: ``?page=<n>`` (or ``last``), 50 rows each (``PAGE_SIZE``).

DRF answers any page it cannot use with 404; here a page that is not a number from 1 to
``MAX_PAGE`` is the caller's mistake (400, naming ``page``), and only a page past the last
one is 404, as in DRF.
"""

from __future__ import annotations

import re

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

MAX_PAGE = 1_000_000
DIGITS = re.compile(r"[0-9]{1,7}")


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_description = "Page number, from 1; `last` for the last page. Empty: the first."

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param, "")
        if value == "":
            return 1
        if value in self.last_page_strings:
            return paginator.num_pages
        if not DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"A page is a whole number from 1 to {MAX_PAGE}, or “last”."
                    ]
                }
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": self.page_query_description,
                "schema": {
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        {"type": "string", "enum": list(self.last_page_strings)},
                    ]
                },
                "example": 2,
            }
        ]
