from compute.scheduler.filters.compute_filter import ComputeFilter
from compute.scheduler.tests.factories import host, passing, spec


def test_only_enabled_and_up_hosts_pass():
    states = [host("ok"), host("disabled", enabled=False), host("down", up=False),
              host("both", enabled=False, up=False)]
    assert passing(ComputeFilter(), states, spec()) == ["ok"]


def test_explain_names_the_state():
    assert "up=False" in ComputeFilter().explain(host("down", up=False), spec())
