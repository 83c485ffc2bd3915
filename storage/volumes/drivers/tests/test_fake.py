from storage.volumes.drivers.base import VolumeDriverError, load_driver


def test_fake_tracks_capacity_and_fails_on_request(tmp_path, monkeypatch):
    driver = load_driver("fake", "fk-test", ["50"])
    assert driver.get_stats()["pools"][0]["free_capacity_gb"] == 50
    volume = {"id": "x", "size": 20}
    volume.update(driver.create_volume(volume))
    assert driver.get_stats()["pools"][0]["free_capacity_gb"] == 30
    driver.extend_volume(volume, 25)
    assert driver.get_stats()["pools"][0]["free_capacity_gb"] == 25
    raw = tmp_path / "x.raw"
    driver.export_raw({"id": "x", "size": 1}, raw)
    assert raw.stat().st_size == 1024 ** 3
    driver.delete_volume(volume)
    assert driver.get_stats()["pools"][0]["free_capacity_gb"] == 50
    monkeypatch.setenv("NEBULA_FAKE_VOLUME_FAIL", "create_volume")
    failing = load_driver("fake", "fk-test")
    try:
        failing.create_volume({"id": "y", "size": 1})
    except VolumeDriverError as error:
        assert "create_volume" in str(error)
    else:
        raise AssertionError("the fake driver did not fail")
