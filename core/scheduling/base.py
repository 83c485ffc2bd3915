"""Base classes of the scheduling framework: filters, weighers, the shared aggregate record."""

from dataclasses import dataclass, field

from django.conf import settings

from core.exceptions import NebulaError


class NoValidBackend(NebulaError):
    """No backend passed the filters (Nova's NoValidHost, Cinder's NoValidBackend).

    `filter_results` is the list of FilterResult of the decision that failed, so callers can
    record the summary in a fault; the message already names which filter eliminated how many.
    """

    status = 400
    title = "No valid host was found."

    def __init__(self, reason="", filter_results=()):
        self.reason = reason
        self.filter_results = list(filter_results)
        message = self.title if not reason else f"{self.title} {reason}"
        super().__init__(message)


@dataclass
class Aggregate:
    """A group of backends with metadata; an availability zone is an aggregate with a zone name."""

    name: str
    metadata: dict = field(default_factory=dict)
    availability_zone: str | None = None


class BaseFilter:
    """A yes/no test of one backend state against one request.

    Subclasses implement `passes(state, spec)` and, for the rejection log, `explain(state, spec)`
    returning the numbers behind a rejection. `applies(spec)` returning False means the request asks
    nothing of this filter: it is skipped and every backend passes (cheap on large clouds).
    """

    # True for filters whose answer cannot change between the instances of one multi-instance
    # request (availability zone, image properties …): they run for the first instance only.
    run_filter_once_per_request = False

    @property
    def name(self):
        return type(self).__name__

    def applies(self, spec):
        return True

    def passes(self, state, spec):
        raise NotImplementedError

    def explain(self, state, spec):
        return ""

    def run_filter_for_index(self, index):
        return index == 0 or not self.run_filter_once_per_request

    def filter_all(self, states, spec):
        """The states that pass, in order. A filter may override this with an inlined test for
        speed on large clouds; it must agree with `passes` (the tests check both)."""
        passes = self.passes
        return [state for state in states if passes(state, spec)]


class BaseWeigher:
    """A number per backend state; higher is better once multiplied.

    Raw weights are min-max normalised to 0..1 across the candidates (or against the fixed
    `minval`/`maxval` when a weigher sets them), multiplied by the weigher's multiplier and summed
    over weighers, as Nova does. The multiplier comes from the setting named by
    `multiplier_setting`, else `default_multiplier`; an explicit constructor argument wins.
    """

    minval = None
    maxval = None
    multiplier_setting = None
    default_multiplier = 1.0

    def __init__(self, multiplier=None):
        if multiplier is None:
            multiplier = getattr(settings, self.multiplier_setting, None) if self.multiplier_setting else None
        self.multiplier = float(self.default_multiplier if multiplier is None else multiplier)

    @property
    def name(self):
        return type(self).__name__

    def applies(self, spec):
        return True

    def weigh(self, state, spec):
        raise NotImplementedError

    def weigh_all(self, states, spec):
        weigh = self.weigh
        return [weigh(state, spec) for state in states]
