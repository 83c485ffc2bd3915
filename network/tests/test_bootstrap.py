"""The network bootstrap: public + private + router1, idempotent."""

from core.context import RequestContext
from network import bootstrap
from network.models import FloatingIP, Network, Port, Router, Subnet


def test_bootstrap_state_and_rerun(net_cloud, django_assert_max_num_queries):
    public = Network.objects.get(name="public")
    assert public.external and public.network_type == "flat"
    assert Subnet.objects.get(network=public).cidr == bootstrap.PUBLIC_CIDR
    private = Network.objects.get(name="private")
    assert Subnet.objects.get(network=private).cidr == bootstrap.PRIVATE_CIDR
    router = Router.objects.get(name="router1")
    assert router.project_id == private.project_id and router.gateway_network_id == public.id
    assert router.interfaces.filter(kind="interface").count() == 1
    counts = (Network.objects.count(), Subnet.objects.count(), Port.objects.count(), Router.objects.count())
    with django_assert_max_num_queries(12):
        bootstrap.run(RequestContext.internal(), net_cloud)
    assert counts == (Network.objects.count(), Subnet.objects.count(), Port.objects.count(), Router.objects.count())
    assert FloatingIP.objects.count() == 0
