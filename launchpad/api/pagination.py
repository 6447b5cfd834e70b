"""Page pagination for every list: `page` and `per_page`, with links in body and header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import request
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

MAX_PER_PAGE = 100


class PageArgs(Schema):
    """`?page=&per_page=`; list endpoints extend it, and unknown parameters are refused."""

    class Meta:
        unknown = RAISE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PaginationSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class LinksSchema(Schema):
    self_ = fields.String(attribute="self", data_key="self", required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    next = fields.String(allow_none=True)
    prev = fields.String(allow_none=True)


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """`{items, pagination, links}` for one item schema (named for the OpenAPI document)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "pagination": fields.Nested(PaginationSchema, required=True),
            "links": fields.Nested(LinksSchema, required=True),
        },
        name=name,
    )


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def body(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "pagination": {
                "page": self.page,
                "per_page": self.per_page,
                "total": self.total,
                "pages": self.pages,
            },
            "links": self.links(),
        }

    def links(self) -> dict[str, str | None]:
        def url(page: int) -> str:
            query = {**request.args.to_dict(), "page": page, "per_page": self.per_page}
            return f"{request.base_url}?{urlencode(query)}"

        return {
            "self": url(self.page),
            "first": url(1),
            "last": url(self.pages),
            "next": url(self.page + 1) if self.page < self.pages else None,
            "prev": url(self.page - 1) if self.page > 1 else None,
        }

    def link_header(self) -> str:
        return ", ".join(f'<{href}>; rel="{rel}"' for rel, href in self.links().items() if href)


def paginate(session: Session, statement: Select[Any], args: dict[str, int]) -> Page:
    """Two queries whatever the page: the count and the page of rows."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    page, per_page = args["page"], args["per_page"]
    rows = list(session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return Page(rows, page, per_page, total or 0)


def paginate_list(items: list[Any], args: dict[str, int]) -> Page:
    """The same envelope for lists that are not queries (the template library)."""
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    return Page(items[start : start + per_page], page, per_page, len(items))
