from compute.scheduler.filters.aggregate_instance_extra_specs_filter import AggregateInstanceExtraSpecsFilter
from compute.scheduler.tests.factories import aggregate, host, passing, spec


def states():
    return [
        host("ssd", aggregates=[aggregate("fast", ssd="true", cpu="4")]),
        host("hdd", aggregates=[aggregate("slow", ssd="false")]),
        host("plain"),
        host("both", aggregates=[aggregate("fast2", ssd="true"), aggregate("gpu", gpu="nvidia a100")]),
    ]


def test_scoped_extra_spec_matches_aggregate_metadata():
    request = spec(extra_specs={"aggregate_instance_extra_specs:ssd": "true"})
    assert passing(AggregateInstanceExtraSpecsFilter(), states(), request) == ["ssd", "both"]


def test_other_scopes_are_ignored_and_unscoped_keys_checked():
    flt = AggregateInstanceExtraSpecsFilter()
    assert not flt.applies(spec(extra_specs={"hw:cpu_policy": "dedicated", "quota:cpu_shares": "10"}))
    assert passing(flt, states(), spec(extra_specs={"ssd": "false"})) == ["hdd"]


def test_operators():
    flt = AggregateInstanceExtraSpecsFilter()
    assert passing(flt, states(), spec(extra_specs={"aggregate_instance_extra_specs:cpu": ">= 2"})) == ["ssd"]
    assert passing(flt, states(), spec(extra_specs={"aggregate_instance_extra_specs:gpu": "<in> a100"})) == ["both"]
    assert passing(flt, states(), spec(extra_specs={"aggregate_instance_extra_specs:ssd": "<or> false <or> maybe"})) == ["hdd"]


def test_every_key_must_match():
    request = spec(extra_specs={"aggregate_instance_extra_specs:ssd": "true",
                                "aggregate_instance_extra_specs:gpu": "<in> nvidia"})
    assert passing(AggregateInstanceExtraSpecsFilter(), states(), request) == ["both"]


def test_explain_names_key_and_values():
    flt = AggregateInstanceExtraSpecsFilter()
    request = spec(extra_specs={"aggregate_instance_extra_specs:ssd": "true"})
    assert "['false']" in flt.explain(states()[1], request)
    assert "no aggregate" in flt.explain(states()[2], request)
