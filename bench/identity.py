"""Token validation throughput: in-process, over HTTP, and the floor of a raw Fernet decrypt.

Run with `make bench` or `.venv/bin/python -m bench.identity`. In-process figures come from a throwaway
SQLite database in a temporary state directory (the hot path reads no database once warm); the HTTP
figure from a live gunicorn (core.testing.live.LiveCloud) answering GET /identity/v3/auth/tokens over
one keep-alive connection. Writes its table into README.md between the bench:identity markers.
"""

import argparse
import http.client
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse
from bench.readme import write_block



def setup_django(state_dir):
    os.environ["NEBULA_STATE_DIR"] = str(state_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{state_dir / 'bench.sqlite3'}"
    os.environ.setdefault("NEBULA_PASSWORD_HASHERS", "django.contrib.auth.hashers.MD5PasswordHasher")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cloud.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def rate(function, seconds, clock=time.perf_counter):
    """Calls per second of function(), measured over about `seconds` of `clock` after a warm-up."""
    for _ in range(200):
        function()
    count, started = 0, clock()
    deadline = started + seconds
    while True:
        for _ in range(200):
            function()
        count += 200
        now = clock()
        if now >= deadline:
            return count / (now - started)


def best_rates(functions, seconds, rounds=5, clock=time.perf_counter):
    """The best rate of each function over `rounds` interleaved rounds: a shared, busy machine slows
    some rounds down; interleaving keeps the comparison fair and the best round is the least disturbed."""
    best = dict.fromkeys(functions, 0.0)
    for _ in range(rounds):
        for name, function in functions.items():
            best[name] = max(best[name], rate(function, seconds / rounds, clock))
    return best


def in_process(seconds):
    from cryptography.fernet import MultiFernet

    from identity.fernet import repository
    from identity.services import tokens
    from identity.services.bootstrap import bootstrap

    bootstrap(public_url="http://127.0.0.1:9", admin_password="bench-admin", demo_password="bench-demo")
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": "demo", "domain": {"id": "default"}, "password": "bench-demo"}}},
        "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}
    token_id, _data, _info = tokens.authenticate(auth)
    assert tokens.context_from_token(token_id) is not None

    # The floor: the same token through cryptography's MultiFernet with the same keys, nothing else.
    repo = repository()
    raw = MultiFernet(list(repo.fernet()._fernets))
    padded = (token_id + "=" * (-len(token_id) % 4)).encode("ascii")
    assert raw.decrypt(padded)

    results = best_rates({
        "raw": lambda: raw.decrypt(padded),
        # As the API's authentication calls it: with the request's id already made by the middleware.
        "in_process": lambda: tokens.context_from_token(token_id, request_id="req-bench"),
    }, seconds * 2, clock=time.process_time)  # CPU time: other processes on the machine do not count
    results["token_length"] = len(token_id)
    return results


def over_http(seconds):
    from core.testing.live import LiveCloud

    # The production re-check interval for the identity generation, not the tests' zero.
    cloud = LiveCloud(extra_env={"NEBULA_REVOCATION_CHECK_INTERVAL": "1.0"}).start()
    try:
        import json

        url = urlparse(cloud.url)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"}, "password": "admin-secret-pw"}}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
        connection.request("POST", "/identity/v3/auth/tokens?nocatalog", body,
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 201, response.status
        token = response.getheader("X-Subject-Token")
        headers = {"X-Auth-Token": token, "X-Subject-Token": token}

        def validate():
            connection.request("GET", "/identity/v3/auth/tokens?nocatalog", headers=headers)
            reply = connection.getresponse()
            reply.read()
            if reply.status != 200:
                raise RuntimeError(f"validation answered {reply.status}")

        return best_rates({"http": validate}, seconds)
    finally:
        cloud.stop()


def table(results):
    floor = results["raw"]

    def row(label, value, note):
        ratio = f"{floor / value:.2f}x" if value else "-"
        per_call = f"{1e6 / value:.1f} µs" if value else "-"
        return f"| {label} | {value:,.0f} | {per_call} | {ratio} | {note} |"

    lines = [
        "Token validation (one thread, best of 5 interleaved rounds; in-process rates per CPU second, "
        "HTTP per wall-clock second; "
        f"{results['token_length']}-character token, Python {sys.version.split()[0]}):",
        "",
        "| what | validations/s | per validation | cost vs. raw decrypt | notes |",
        "| --- | ---: | ---: | ---: | --- |",
        row("raw Fernet decrypt (floor)", floor, "cryptography MultiFernet, same keys"),
        row("in-process `context_from_token`", results["in_process"],
            "decrypt + payload + revocation check + cached roles; warm cache"),
    ]
    if "http" in results:
        lines.append(row("HTTP `GET /identity/v3/auth/tokens`", results["http"],
                         "gunicorn, 1 worker, keep-alive client, both tokens validated"))
        lines += ["", "Over HTTP the time goes to the web stack (gunicorn, Django middleware, DRF), not to the token: "
                  "the request validates two tokens, about 2 x the in-process figure above."]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per figure")
    parser.add_argument("--no-http", action="store_true", help="skip the live-server figure")
    parser.add_argument("--no-readme", action="store_true", help="print only, do not edit README.md")
    args = parser.parse_args(argv)
    state_dir = Path(tempfile.mkdtemp(prefix="nebula-bench-identity-"))
    setup_django(state_dir)
    results = in_process(args.seconds)
    if not args.no_http:
        results.update(over_http(args.seconds))
    text = table(results)
    print(text)
    if not args.no_readme:
        write_block("identity", text)


if __name__ == "__main__":
    main()
