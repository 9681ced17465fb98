from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


# Documented on every route, so that clients (and schemathesis) know the error shape.
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut}
PRIVATE_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}


def page_of(queryset, page: int, page_size: int) -> dict:
    """One page of a queryset with the totals a client needs to walk the rest."""
    count = queryset.count()
    start = (page - 1) * page_size
    return {
        "items": list(queryset[start : start + page_size]),
        "count": count,
        "page": page,
        "pages": max(1, -(-count // page_size)),
    }
