"""limit / marker paging shared by every API (keyset: the marker row's sort values, then its id)."""

from django.db.models import Q

from core.exceptions import BadRequest


def parse_limit(value, maximum=1000):
    if value in (None, ""):
        return None
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"limit must be an integer, not {value!r}") from None
    if limit < 0:
        raise BadRequest("limit must be a non-negative integer")
    return min(limit, maximum)


def parse_sort(keys, dirs, allowed, default=(("created_at", "desc"),)):
    """[(field, 'asc'|'desc')] from sort_key/sort_dir lists, each key checked against `allowed`."""
    if not keys:
        return list(default)
    result = []
    for index, key in enumerate(keys):
        if key not in allowed:
            raise BadRequest(f"Invalid sort key: {key}")
        direction = dirs[index] if index < len(dirs) else (dirs[-1] if dirs else "desc")
        if direction not in ("asc", "desc"):
            raise BadRequest(f"Invalid sort direction: {direction}")
        result.append((key, direction))
    return result


def order_by(queryset, sort):
    fields = [f"-{k}" if d == "desc" else k for k, d in sort]
    last_dir = sort[-1][1] if sort else "asc"
    fields.append("-pk" if last_dir == "desc" else "pk")
    return queryset.order_by(*fields)


def after_marker(queryset, marker_row, sort):
    """Rows strictly after marker_row in the order given by `sort` (+ pk as the tie-breaker)."""
    keys = list(sort) + [("pk", sort[-1][1] if sort else "asc")]
    condition = Q()
    equal = Q()
    for field, direction in keys:
        value = getattr(marker_row, field)
        op = "lt" if direction == "desc" else "gt"
        if value is None:
            # NULLs sort first ascending in our order; rows with a value come after.
            step = Q(**{f"{field}__isnull": False}) if direction == "asc" else Q(pk__in=[])
            condition |= equal & step
            equal &= Q(**{f"{field}__isnull": True})
        else:
            condition |= equal & Q(**{f"{field}__{op}": value})
            equal &= Q(**{field: value})
    return queryset.filter(condition)


def paginate(queryset, limit, marker, sort, marker_lookup="pk"):
    """(page rows, has_more). An unknown marker is a 400 as OpenStack answers."""
    queryset = order_by(queryset, sort)
    if marker:
        marker_row = queryset.model._default_manager.filter(**{marker_lookup: marker}).first()
        if marker_row is None:
            raise BadRequest(f"Marker {marker} could not be found.")
        queryset = after_marker(queryset, marker_row, sort)
    if limit is None:
        return list(queryset), False
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit
