"""Filter, then weigh, then pick at random among the best few: one scheduling decision."""

import heapq
import logging
import random
from dataclasses import dataclass

from core.scheduling.base import NoValidBackend

logger = logging.getLogger("nebula.scheduler")

# When every backend is filtered away, this many rejections of the emptying filter are logged at
# INFO with their numbers, so an operator sees why without turning DEBUG on.
_REJECTIONS_SHOWN_ON_FAILURE = 20


@dataclass
class FilterResult:
    name: str
    start: int
    end: int

    def __str__(self):
        return f"{self.name}: (start: {self.start}, end: {self.end})"


def normalize(weights, minval=None, maxval=None):
    """Nova's normalisation: map to 0..1 by min-max; all equal (or empty) gives zeros."""
    if not weights:
        return []
    lo = min(weights) if minval is None else minval
    hi = max(weights) if maxval is None else maxval
    span = hi - lo
    if span == 0:
        return [0.0] * len(weights)
    return [(w - lo) / span for w in weights]


def _rejected(states, passed):
    kept = set(map(id, passed))
    return [state for state in states if id(state) not in kept]


def _describe(state):
    host = getattr(state, "host", None)
    node = getattr(state, "nodename", None)
    if host is None:
        return str(state)
    return f"({host}, {node})" if node and node != host else str(host)


class FilterWeighPipeline:
    """A configured scheduler: filters, weighers and the subset size.

    `kind` only names backends in messages ("host", "backend"). States must offer
    `consume(spec, instance_uuid)` for multi-instance requests.
    """

    def __init__(self, filters, weighers, host_subset_size=1, kind="host", log=None, rng=None):
        self.filters = list(filters)
        self.weighers = list(weighers)
        self.host_subset_size = max(1, int(host_subset_size))
        self.kind = kind
        self.log = log or logger
        self.rng = rng or random.Random()

    # -- filtering --------------------------------------------------------------------------
    def filter(self, states, spec, index=0):
        """Run the filters in order; return (passing states, [FilterResult …])."""
        results = []
        debug = self.log.isEnabledFor(logging.DEBUG)
        for flt in self.filters:
            if not flt.run_filter_for_index(index) or not flt.applies(spec):
                continue
            start = len(states)
            passed = flt.filter_all(states, spec)
            results.append(FilterResult(flt.name, start, len(passed)))
            if debug and len(passed) != start:
                for state in _rejected(states, passed):
                    self.log.debug("%s rejected %s %s: %s", flt.name, self.kind, _describe(state),
                                   flt.explain(state, spec))
            if not passed:
                self._log_all_removed(flt, states, spec, results)
                return passed, results
            states = passed
        return states, results

    def _log_all_removed(self, flt, rejected, spec, results):
        self.log.info("Filtering removed all %ss: %s", self.kind, ", ".join(map(str, results)))
        for state in rejected[:_REJECTIONS_SHOWN_ON_FAILURE]:
            self.log.info("%s rejected %s %s: %s", flt.name, self.kind, _describe(state), flt.explain(state, spec))
        if len(rejected) > _REJECTIONS_SHOWN_ON_FAILURE:
            self.log.info("%s rejected %d more %ss", flt.name, len(rejected) - _REJECTIONS_SHOWN_ON_FAILURE, self.kind)

    # -- weighing ---------------------------------------------------------------------------
    def weigh(self, states, spec, top=None):
        """Return [(total weight, state)] best first; only the best `top` when given."""
        totals = [0.0] * len(states)
        for weigher in self.weighers:
            multiplier = weigher.multiplier
            if not multiplier or not weigher.applies(spec):
                continue  # contributes 0 to every backend
            raw = weigher.weigh_all(states, spec)
            lo = min(raw) if weigher.minval is None else weigher.minval
            hi = max(raw) if weigher.maxval is None else weigher.maxval
            span = hi - lo
            if span == 0:
                continue
            scale = multiplier / span
            totals = [t + (r - lo) * scale for t, r in zip(totals, raw)]
        if top is not None and top < len(states):
            # Same order as the full sort (ties keep their input order), without sorting everything.
            order = heapq.nlargest(top, range(len(states)), key=totals.__getitem__)
        else:
            order = sorted(range(len(states)), key=totals.__getitem__, reverse=True)
        return [(totals[i], states[i]) for i in order]

    # -- one decision -----------------------------------------------------------------------
    def select_one(self, spec, states, index=0, alternates=0, skip_filters=False):
        """Pick one backend (+ alternates) for the index-th instance; raise NoValidBackend."""
        return self._select_one(spec, states, index, alternates, skip_filters)[0]

    def _select_one(self, spec, states, index, alternates, skip_filters):
        """(picked, the states that passed the filters)."""
        if skip_filters:
            passing, results = list(states), []
        else:
            passing, results = self.filter(states, spec, index)
        if not passing:
            raise NoValidBackend(self._no_valid_reason(results, len(states)), results)
        weighed = self.weigh(passing, spec, top=max(self.host_subset_size, 1 + alternates))
        best = weighed[: self.host_subset_size]
        chosen_at = self.rng.randrange(len(best))
        chosen = best[chosen_at][1]
        picked = [chosen]
        if alternates:
            for position, (_, state) in enumerate(weighed):
                if position != chosen_at:
                    picked.append(state)
                    if len(picked) > alternates:
                        break
        if self.log.isEnabledFor(logging.DEBUG):
            self.log.debug("Chose %s %s (weight %.4f) among %d; alternates %s", self.kind, _describe(chosen),
                           best[chosen_at][0], len(passing), [_describe(s) for s in picked[1:]])
        return picked, passing

    def select(self, spec, states, num_instances=1, alternates=0, instance_uuids=(), skip_filters=False,
               on_selected=None):
        """One list [chosen, alternate …] per instance; the chosen backend consumes each instance.

        `on_selected(state, index)` runs after each pick (e.g. to add the host to a server group).
        """
        instance_uuids = list(instance_uuids)
        selections = []
        for index in range(num_instances):
            try:
                # Each instance starts from the backends that passed for the one before (as Nova
                # does): what a once-per-request filter removed stays removed, and consuming only
                # ever shrinks a backend, so nothing dropped earlier could pass again.
                picked, states = self._select_one(spec, states, index, alternates, skip_filters)
            except NoValidBackend as exc:
                if num_instances > 1:
                    exc.reason = f"{exc.reason} (instance {index + 1} of {num_instances})"
                    exc.message = f"{NoValidBackend.title} {exc.reason}"
                    exc.args = (exc.message,)
                raise
            chosen = picked[0]
            uuid = instance_uuids[index] if index < len(instance_uuids) else None
            chosen.consume(spec, uuid)
            if on_selected is not None:
                on_selected(chosen, index)
            selections.append(picked)
        return selections

    def _no_valid_reason(self, results, total):
        if total == 0:
            return f"There are not enough {self.kind}s available. No {self.kind}s to choose from."
        eliminated = "; ".join(f"{r.name} eliminated {r.start - r.end} of {r.start}" for r in results
                               if r.start != r.end)
        return (f"There are not enough {self.kind}s available. Filter results: {eliminated or 'none'} "
                f"({total} {self.kind}s considered).")
