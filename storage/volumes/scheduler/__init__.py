"""The volume scheduler: filters and weighers of core.scheduling over the back ends' pools."""

from core.scheduling import BaseFilter, BaseWeigher, FilterWeighPipeline, load_plugins
from storage.volumes import conf


def pipeline():
    return FilterWeighPipeline(
        load_plugins(conf.scheduler_filters(), "storage.volumes.scheduler.filters", BaseFilter),
        load_plugins(conf.scheduler_weighers(), "storage.volumes.scheduler.weighers", BaseWeigher),
        host_subset_size=1, kind="backend")
