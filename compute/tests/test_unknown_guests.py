"""The conductor logs guests a host reports that the database does not know (the libvirt periodic report)."""

import logging
import uuid

import pytest

from compute import conductor
from compute.drivers.fake import FakeDriver


@pytest.mark.django_db
def test_unknown_guests_are_logged(caplog):
    resources = FakeDriver("unknown-h1").get_available_resource()
    stray = str(uuid.uuid4())
    with caplog.at_level(logging.WARNING, logger="nebula.conductor"):
        conductor.host_report("unknown-h1", "nova", resources, {stray: 1})
    assert f"host unknown-h1 runs guests the database does not know: {stray}" in caplog.text
    assert conductor._report_unknown_guests("unknown-h1", {}) is None
