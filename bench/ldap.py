"""LDAP domains: the cost of a login through the directory and of mirroring a directory's users.

Run with `.venv/bin/python -m bench.ldap` (needs Debian's slapd). A throwaway slapd
(core.testing.ldap.LdapServer) holds --users extra users; Nebula runs in-process on a throwaway
SQLite database. Figures: password logins per second for an LDAP user and for a SQL user (same token
service, the test password hasher MD5 so the SQL figure is the floor of the token path), and the time
of sync_users for the whole directory (first time: every shadow row is created; then unchanged).
Writes its table into README.md between the bench:ldap markers.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.identity import setup_django
from bench.readme import write_block



def rate(function, seconds, warmup=20, batch=20):
    """Calls per second of function(), measured over about `seconds` after a warm-up."""
    for _ in range(warmup):
        function()
    count, started = 0, time.perf_counter()
    while True:
        for _ in range(batch):
            function()
        count += batch
        now = time.perf_counter()
        if now - started >= seconds:
            return count / (now - started)


def fill_directory(server, count):
    conn = server.admin()
    try:
        for number in range(count):
            uid = f"user{number:05d}"
            conn.add_s(server.user_dn(uid), [
                ("objectClass", [b"inetOrgPerson"]), ("uid", [uid.encode()]), ("cn", [uid.encode()]),
                ("sn", [uid.encode()]), ("mail", [f"{uid}@nebula.test".encode()]),
            ])
    finally:
        conn.unbind_s()


def measure(server, users, seconds):
    from identity.backends.ldap import LdapBackend
    from identity.models import Domain, DomainConfig, User
    from identity.services import tokens
    from identity.services.bootstrap import bootstrap

    bootstrap(public_url="http://127.0.0.1:9", admin_password="bench-admin", demo_password="bench-demo")
    domain = Domain.objects.create(name="Directory")
    options = server.domain_config()["config"]["ldap"]
    DomainConfig.objects.create(domain=domain, driver="ldap", ldap=options)

    def login(name, password, domain_name):
        auth = {"identity": {"methods": ["password"], "password": {
            "user": {"name": name, "domain": {"name": domain_name}, "password": password}}}}
        tokens.authenticate(auth)

    results = {
        "ldap_login": rate(lambda: login("alice", "alice-ldap-pw", "Directory"), seconds, warmup=20, batch=20),
        "sql_login": rate(lambda: login("demo", "bench-demo", "Default"), seconds, warmup=20, batch=20),
    }
    backend = LdapBackend(options)
    started = time.perf_counter()
    backend.sync_users(domain)
    results["first_sync"] = time.perf_counter() - started
    results["synced"] = User.objects.filter(domain=domain).count()
    started = time.perf_counter()
    backend.sync_users(domain)
    results["resync"] = time.perf_counter() - started
    results["users"] = users
    return results


def table(results):
    return "\n".join([
        "### LDAP domains (`.venv/bin/python -m bench.ldap`)",
        "",
        f"In-process, one thread, SQLite, a local slapd holding {results['users']:,} extra users; "
        f"Python {sys.version.split()[0]}, a shared 2-core machine (figures move with its load).",
        "",
        "| what | figure |",
        "| --- | ---: |",
        f"| password login, LDAP user (search + bind + group search + shadow check) | "
        f"{results['ldap_login']:,.0f}/s ({1e3 / results['ldap_login']:.2f} ms) |",
        f"| password login, SQL user (MD5 test hasher: the token path's floor) | "
        f"{results['sql_login']:,.0f}/s ({1e3 / results['sql_login']:.2f} ms) |",
        f"| `sync_users`, first run: {results['synced']:,} directory users become shadow rows | "
        f"{results['first_sync'] * 1e3:,.0f} ms |",
        f"| `sync_users` again, nothing changed (what every user listing pays) | {results['resync'] * 1e3:,.0f} ms |",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per login figure")
    parser.add_argument("--users", type=int, default=2000, help="extra users in the directory")
    parser.add_argument("--no-readme", action="store_true", help="print only, do not edit README.md")
    args = parser.parse_args(argv)
    state_dir = Path(tempfile.mkdtemp(prefix="nebula-bench-ldap-"))
    setup_django(state_dir)
    from core.testing.ldap import LdapServer

    server = LdapServer().start()
    try:
        fill_directory(server, args.users)
        results = measure(server, args.users, args.seconds)
    finally:
        server.stop()
    text = table(results)
    print(text)
    if not args.no_readme:
        write_block("ldap", text)


if __name__ == "__main__":
    main()
