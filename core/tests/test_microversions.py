import pytest

from core.api.microversions import APIVersion, NotAcceptable, negotiate, response_headers
from core.exceptions import BadRequest


def test_negotiation():
    assert negotiate({}, "compute", "2.1", "2.5") == APIVersion("2.1")
    assert negotiate({"HTTP_OPENSTACK_API_VERSION": "compute 2.3"}, "compute", "2.1", "2.5") == (2, 3)
    assert negotiate({"HTTP_OPENSTACK_API_VERSION": "volume 3.0, compute latest"}, "compute", "2.1", "2.5") == (2, 5)
    assert negotiate({"HTTP_X_OPENSTACK_NOVA_API_VERSION": "2.2"}, "compute", "2.1", "2.5",
                     "X-OpenStack-Nova-API-Version") == (2, 2)
    with pytest.raises(NotAcceptable):
        negotiate({"HTTP_OPENSTACK_API_VERSION": "compute 2.10"}, "compute", "2.1", "2.5")
    with pytest.raises(BadRequest):
        negotiate({"HTTP_OPENSTACK_API_VERSION": "compute 2.x"}, "compute", "2.1", "2.5")


def test_ordering_and_headers():
    assert APIVersion("2.10") > APIVersion("2.9")
    headers = response_headers(APIVersion("2.3"), "compute", "X-OpenStack-Nova-API-Version")
    assert headers["OpenStack-API-Version"] == "compute 2.3" and headers["X-OpenStack-Nova-API-Version"] == "2.3"
