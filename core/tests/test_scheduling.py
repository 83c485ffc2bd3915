"""The generic framework over toy backends (what the volume scheduler will do with its own)."""

import logging
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.scheduling import (BaseFilter, BaseWeigher, FilterWeighPipeline, NoValidBackend, extra_specs_ops,
                             load_plugins, normalize)
from core.tests.scheduling_plugins.capacity_filter import CapacityFilter
from core.tests.scheduling_plugins.capacity_weigher import CapacityWeigher

PLUGINS = "core.tests.scheduling_plugins"


@dataclass(eq=False)
class Backend:
    host: str
    free: float = 100
    iops: float = 0
    zone: str = "nova"
    consumed: int = 0

    def consume(self, spec, uuid=None):
        self.free -= spec.size
        self.consumed += 1


@dataclass
class Request:
    size: float = 10
    zone: str | None = None


class ZoneFilter(BaseFilter):
    run_filter_once_per_request = True
    calls = 0

    def applies(self, spec):
        return spec.zone is not None

    def passes(self, state, spec):
        type(self).calls += 1
        return state.zone == spec.zone


class IopsWeigher(BaseWeigher):
    def weigh(self, state, spec):
        return state.iops


def pipeline(filters=(), weighers=(), **kwargs):
    kwargs.setdefault("rng", random.Random(1))
    return FilterWeighPipeline(list(filters), list(weighers), **kwargs)


# -- normalisation ---------------------------------------------------------------------------
def test_normalize_is_min_max():
    assert normalize([10, 20, 30]) == [0.0, 0.5, 1.0]
    assert normalize([5, 5, 5]) == [0.0, 0.0, 0.0]
    assert normalize([]) == []
    assert normalize([5, 10], minval=0, maxval=20) == [0.25, 0.5]


def test_weighers_are_normalised_so_units_do_not_matter():
    # capacity in the thousands, iops in single digits: equal multipliers give equal say.
    backends = [Backend("a", free=1000, iops=0), Backend("b", free=3000, iops=4), Backend("c", free=2000, iops=8)]
    scored = pipeline(weighers=[CapacityWeigher(multiplier=1.0), IopsWeigher(multiplier=1.0)]).weigh(backends, Request())
    assert {s.host: round(w, 6) for w, s in scored} == {"a": 0.0, "b": 1.5, "c": 1.5}
    scored = pipeline(weighers=[CapacityWeigher(multiplier=1.0), IopsWeigher(multiplier=2.0)]).weigh(backends, Request())
    assert [s.host for _, s in scored] == ["c", "b", "a"]


def test_negative_and_zero_multipliers():
    backends = [Backend("a", free=10), Backend("b", free=30), Backend("c", free=20)]
    stack = pipeline(weighers=[CapacityWeigher(multiplier=-1.0)]).weigh(backends, Request())
    assert [s.host for _, s in stack] == ["a", "c", "b"]
    off = pipeline(weighers=[CapacityWeigher(multiplier=0.0)]).weigh(backends, Request())
    assert [w for w, _ in off] == [0.0, 0.0, 0.0]


def test_multiplier_from_the_named_setting(settings):
    settings.TEST_CAPACITY_WEIGHT_MULTIPLIER = 4.0
    assert CapacityWeigher().multiplier == 4.0
    assert CapacityWeigher(multiplier=2).multiplier == 2.0
    del settings.TEST_CAPACITY_WEIGHT_MULTIPLIER
    assert CapacityWeigher().multiplier == 1.0


# -- filtering -------------------------------------------------------------------------------
def test_filters_run_in_order_and_count_what_they_remove():
    backends = [Backend("a", free=5, zone="z1"), Backend("b", free=50, zone="z2"), Backend("c", free=50, zone="z1")]
    passed, results = pipeline([ZoneFilter(), CapacityFilter()]).filter(backends, Request(size=10, zone="z1"))
    assert [b.host for b in passed] == ["c"]
    assert [(r.name, r.start, r.end) for r in results] == [("ZoneFilter", 3, 2), ("CapacityFilter", 2, 1)]
    assert str(results[0]) == "ZoneFilter: (start: 3, end: 2)"


def test_a_filter_the_request_does_not_ask_for_is_skipped():
    ZoneFilter.calls = 0
    passed, results = pipeline([ZoneFilter()]).filter([Backend("a"), Backend("b")], Request(zone=None))
    assert len(passed) == 2 and results == [] and ZoneFilter.calls == 0


def test_once_per_request_filters_run_for_the_first_instance_only():
    ZoneFilter.calls = 0
    backends = [Backend("a", zone="z1"), Backend("b", zone="z1"), Backend("c", zone="z2")]
    selections = pipeline([ZoneFilter()]).select(Request(zone="z1"), backends[:2], num_instances=3)
    assert len(selections) == 3 and ZoneFilter.calls == 2


def test_rejections_are_logged_with_their_numbers(caplog):
    backends = [Backend("small", free=5), Backend("big", free=500)]
    with caplog.at_level(logging.DEBUG, logger="nebula.scheduler"):
        pipeline([CapacityFilter()], kind="backend").select_one(Request(size=10), backends)
    assert "CapacityFilter rejected backend small: needs 10, free 5" in caplog.text


def test_no_valid_backend_summarises_the_filters(caplog):
    backends = [Backend("a", free=5, zone="z1"), Backend("b", free=50, zone="z2"), Backend("c", free=1, zone="z1")]
    with caplog.at_level(logging.INFO, logger="nebula.scheduler"), pytest.raises(NoValidBackend) as failure:
        pipeline([ZoneFilter(), CapacityFilter()], kind="backend").select_one(Request(size=10, zone="z1"), backends)
    message = str(failure.value)
    assert message.startswith("No valid host was found. There are not enough backends available.")
    assert "ZoneFilter eliminated 1 of 3; CapacityFilter eliminated 2 of 2" in message
    assert failure.value.status == 400
    assert "CapacityFilter rejected backend a: needs 10, free 5" in caplog.text  # logged at INFO on failure
    with pytest.raises(NoValidBackend, match="No backends to choose from"):
        pipeline(kind="backend").select_one(Request(), [])


# -- picking ---------------------------------------------------------------------------------
def test_best_is_picked_and_alternates_follow_best_first():
    backends = [Backend(h, free=f) for h, f in (("a", 10), ("b", 40), ("c", 30), ("d", 20))]
    picked = pipeline(weighers=[CapacityWeigher(multiplier=1.0)]).select_one(Request(), backends, alternates=2)
    assert [b.host for b in picked] == ["b", "c", "d"]
    picked = pipeline(weighers=[CapacityWeigher(multiplier=1.0)]).select_one(Request(), backends, alternates=9)
    assert [b.host for b in picked] == ["b", "c", "d", "a"]


def test_random_pick_among_the_best_subset():
    chosen = Counter()
    for seed in range(100):
        backends = [Backend(h, free=f) for h, f in (("a", 10), ("b", 40), ("c", 30), ("d", 20))]
        scheduler = pipeline(weighers=[CapacityWeigher(multiplier=1.0)], host_subset_size=2, rng=random.Random(seed))
        picked = scheduler.select_one(Request(), backends, alternates=3)
        chosen[picked[0].host] += 1
        assert sorted(b.host for b in picked) == ["a", "b", "c", "d"]  # the rest stay as alternates
    assert set(chosen) == {"b", "c"} and min(chosen.values()) > 20


def test_multi_instance_consumes_so_requests_spread():
    backends = [Backend("a", free=100), Backend("b", free=80)]
    scheduler = pipeline([CapacityFilter()], [CapacityWeigher(multiplier=1.0)])
    selections = scheduler.select(Request(size=30), backends, num_instances=3, alternates=1)
    assert [s[0].host for s in selections] == ["a", "b", "a"]
    assert (backends[0].free, backends[1].free) == (40, 50)
    with pytest.raises(NoValidBackend, match=r"instance 2 of 2"):
        scheduler.select(Request(size=45), backends, num_instances=2)


def test_skip_filters_still_weighs_and_consumes():
    backends = [Backend("a", free=1)]
    [[chosen]] = pipeline([CapacityFilter()]).select(Request(size=10), backends, skip_filters=True)
    assert chosen.consumed == 1


# -- plugin loading --------------------------------------------------------------------------
def test_plugins_load_by_class_name_or_dotted_path(settings):
    filters = load_plugins(["CapacityFilter"], PLUGINS, BaseFilter)
    assert [type(f) for f in filters] == [CapacityFilter]
    weighers = load_plugins([f"{PLUGINS}.capacity_weigher.CapacityWeigher"], PLUGINS, BaseWeigher, multiplier=3)
    assert weighers[0].multiplier == 3.0


def test_unknown_or_wrong_plugins_are_configuration_errors():
    with pytest.raises(ImproperlyConfigured, match="unknown scheduler plugin 'NoSuchFilter'.*CapacityFilter"):
        load_plugins(["NoSuchFilter"], PLUGINS, BaseFilter)
    with pytest.raises(ImproperlyConfigured, match="is not a BaseFilter"):
        load_plugins([f"{PLUGINS}.capacity_weigher.CapacityWeigher"], PLUGINS, BaseFilter)
    with pytest.raises(ImproperlyConfigured, match="cannot import"):
        load_plugins(["nowhere.Nothing"], PLUGINS, BaseFilter)


# -- extra-spec operators --------------------------------------------------------------------
@pytest.mark.parametrize("value, requirement, expected", [
    ("true", "true", True),
    ("True", "true", False),
    ("4", ">= 2", True),
    ("1", ">= 2", False),
    ("4", "= 4", True),
    ("5", "= 4", True),  # Nova: '=' is "at least" for numbers
    ("3", "== 3", True),
    ("3", "!= 3", False),
    ("abc", "== 3", False),
    ("nvidia a100", "<in> a100", True),
    ("nvidia", "<in> amd", False),
    ("a b c", "<all-in> a c", True),
    ("a b", "<all-in> a c", False),
    ("x", "<or> y <or> x", True),
    ("z", "<or> y <or> x", False),
    ("abc", "s== abc", True),
    ("abc", "s!= abc", False),
    ("b", "s> a", True),
    ("b", "s<= a", False),
    (None, ">= 1", False),
    ("5", ">=", False),
])
def test_extra_spec_operators(value, requirement, expected):
    assert extra_specs_ops.match(value, requirement) is expected


def test_weighing_only_the_best_few_keeps_the_full_order():
    rng = random.Random(3)
    backends = [Backend(f"b{i}", free=rng.choice((10, 20, 30, 40))) for i in range(200)]
    scheduler = pipeline(weighers=[CapacityWeigher(multiplier=1.0)])
    full = [s.host for _, s in scheduler.weigh(backends, Request())]
    assert [s.host for _, s in scheduler.weigh(backends, Request(), top=7)] == full[:7]


def test_what_a_once_per_request_filter_removed_stays_removed():
    backends = [Backend("in-zone", free=100, zone="z1"), Backend("elsewhere", free=10_000, zone="z2")]
    scheduler = pipeline([ZoneFilter()], [CapacityWeigher(multiplier=1.0)])
    selections = scheduler.select(Request(size=1, zone="z1"), backends, num_instances=3, alternates=1)
    assert [b.host for sel in selections for b in sel] == ["in-zone"] * 3
