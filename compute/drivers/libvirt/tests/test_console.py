from compute.drivers.libvirt import console


def test_whole_log_and_last_lines(tmp_path):
    path = tmp_path / "console.log"
    path.write_bytes(b"one\r\ntwo\nthree\n")
    assert console.read(path) == "one\ntwo\nthree\n"
    assert console.read(path, length=2) == "two\nthree\n"
    assert console.read(path, length=0) == ""


def test_missing_log_is_empty(tmp_path):
    assert console.read(tmp_path / "none.log") == ""


def test_only_the_tail_of_a_huge_log_is_read(tmp_path):
    path = tmp_path / "console.log"
    path.write_bytes(b"x" * (console.MAX_BYTES + 10) + b"\nend\n")
    text = console.read(path)
    assert text.endswith("end\n") and len(text) <= console.MAX_BYTES
