"""Nova/Cinder's extra-spec operators: '<in> ssd', '>= 4', 's== x', '<or> a <or> b', or plain equality.

Shared by compute's AggregateInstanceExtraSpecsFilter and, later, the volume capabilities filter.
"""

import operator


def _numeric(compare):
    def method(value, wanted):
        try:
            return compare(float(value), float(wanted))
        except (TypeError, ValueError):
            return False

    return method


_OPERATORS = {
    "=": _numeric(operator.ge),  # Nova: '=' means "at least" for numbers
    "==": _numeric(operator.eq),
    "!=": _numeric(operator.ne),
    ">=": _numeric(operator.ge),
    "<=": _numeric(operator.le),
    "<in>": lambda value, wanted: wanted in value,
    "<all-in>": lambda value, wanted: all(word in value for word in wanted),
    "s==": operator.eq,
    "s!=": operator.ne,
    "s<": operator.lt,
    "s<=": operator.le,
    "s>": operator.gt,
    "s>=": operator.ge,
}


def match(value, requirement):
    """Does the backend's `value` (a string) satisfy the extra spec `requirement`?"""
    requirement = str(requirement)
    words = requirement.split()
    op = words.pop(0) if words else None
    method = _OPERATORS.get(op)
    if op != "<or>" and method is None:
        return value == requirement
    if value is None:
        return False
    value = str(value)
    if op == "<or>":
        # '<or> v1 <or> v2 …': the words alternate value, keyword.
        return value in words[0::2]
    if not words:
        return False
    if op == "<all-in>":
        return method(value, words)
    return method(value, words[0])
