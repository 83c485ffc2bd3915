"""A throwaway OpenLDAP server (the Debian slapd) for tests: its own directory in a temp dir, a free
loopback port, a base with ou=users and ou=groups, users alice and bob and a groupOfNames `admins`.

    server = LdapServer().start()
    server.add_user("carol", "carolpw")       # more entries when a test needs them
    server.identity_config()                  # the {"identity": ..., "ldap": ...} a domain config takes
    server.stop()
"""

import base64
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from core.testing.processes import free_port, wait_for

SLAPD = "/usr/sbin/slapd"
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")

SUFFIX = "dc=nebula,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "ldap-admin-secret"
USERS_DN = f"ou=users,{SUFFIX}"
GROUPS_DN = f"ou=groups,{SUFFIX}"
USERS = {"alice": "alice-ldap-pw", "bob": "bob-ldap-pw"}
GROUPS = {"admins": ["alice"]}

SLAPD_CONF = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/nis.schema
include {schema}/inetorgperson.schema
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
modulepath {modules}
moduleload back_mdb
{tls}database mdb
maxsize 104857600
suffix "{suffix}"
rootdn "{admin_dn}"
rootpw {admin_pw}
directory {root}/data
index objectClass eq
index uid eq
index member eq
# Anonymous searches see at most 3 entries unless paged, as production directories cap results.
limits anonymous size.soft=3 size.hard=3 size.prtotal=unlimited
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""


def ssha(password, salt=None):
    """An RFC 2307 {SSHA} userPassword value, as slappasswd writes it."""
    salt = salt or os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def write_test_certificates(directory):
    """A throwaway CA and a server certificate for 127.0.0.1; returns (ca, cert, key) paths."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)

    def build(subject, issuer, public_key, signing_key, extensions):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1)))
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nebula test CA")])
    ca = build(ca_name, ca_name, ca_key.public_key(), ca_key,
               [(x509.BasicConstraints(ca=True, path_length=None), True)])
    server = build(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), ca_name,
                   server_key.public_key(), ca_key,
                   [(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False),
                    (x509.BasicConstraints(ca=False, path_length=None), True)])
    paths = tuple(Path(directory) / name for name in ("ca.pem", "server.pem", "server.key"))
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return paths


class LdapServer:
    def __init__(self, tls=False):
        self.root = Path(tempfile.mkdtemp(prefix="nebula-slapd-"))
        self.port = free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        # With tls: StartTLS on `url` and LDAPS on `ldaps_url`, signed by the CA in `ca_file`.
        self.tls = tls
        self.ldaps_port = free_port() if tls else None
        self.ldaps_url = f"ldaps://127.0.0.1:{self.ldaps_port}" if tls else None
        self.ca_file = None
        self.suffix = SUFFIX
        self.users_dn = USERS_DN
        self.groups_dn = GROUPS_DN
        self.admin_dn = ADMIN_DN
        self.admin_password = ADMIN_PASSWORD
        self.passwords = dict(USERS)
        self._log = None
        self._popen = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self):
        (self.root / "data").mkdir()
        conf = self.root / "slapd.conf"
        tls, listen = "", f"{self.url}/"
        if self.tls:
            ca, cert, key = write_test_certificates(self.root)
            self.ca_file = str(ca)
            tls = f"TLSCACertificateFile {ca}\nTLSCertificateFile {cert}\nTLSCertificateKeyFile {key}\n"
            listen += f" {self.ldaps_url}/"
        conf.write_text(SLAPD_CONF.format(schema=SCHEMA_DIR, root=self.root, modules=MODULE_DIR, suffix=SUFFIX,
                                          admin_dn=ADMIN_DN, admin_pw=ssha(ADMIN_PASSWORD), tls=tls))
        self._log = open(self.root / "slapd.log", "ab")
        # -d 0 keeps slapd in the foreground, so the Popen handle is the server itself.
        self._popen = subprocess.Popen([SLAPD, "-h", listen, "-f", str(conf), "-d", "0"],
                                       stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(self._answers, 20, interval=0.05, what=f"slapd on {self.url}")
            self._populate()
        except Exception:
            self.stop()
            raise
        return self

    def _answers(self):
        if self._popen.poll() is not None:
            raise RuntimeError(f"slapd exited: {(self.root / 'slapd.log').read_text(errors='replace')[-2000:]}")
        import ldap

        conn = self.connect()
        try:
            conn.search_s("", ldap.SCOPE_BASE, "(objectClass=*)", ["namingContexts"])
        finally:
            conn.unbind_s()
        return True

    def stop(self):
        if self._popen is not None and self._popen.poll() is None:
            self._popen.terminate()
            try:
                self._popen.wait(10)
            except subprocess.TimeoutExpired:
                self._popen.kill()
                self._popen.wait(5)
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- directory contents ----------------------------------------------------------------
    def connect(self, dn=None, password=None):
        import ldap

        conn = ldap.initialize(self.url)
        conn.set_option(ldap.OPT_PROTOCOL_VERSION, 3)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        if dn:
            conn.simple_bind_s(dn, password)
        return conn

    def admin(self):
        return self.connect(ADMIN_DN, ADMIN_PASSWORD)

    def _populate(self):
        conn = self.admin()
        try:
            conn.add_s(SUFFIX, [("objectClass", [b"dcObject", b"organization"]), ("dc", [b"nebula"]),
                                ("o", [b"Nebula test directory"])])
            for ou in ("users", "groups"):
                conn.add_s(f"ou={ou},{SUFFIX}", [("objectClass", [b"organizationalUnit"]), ("ou", [ou.encode()])])
        finally:
            conn.unbind_s()
        for uid, password in USERS.items():
            self.add_user(uid, password)
        for cn, members in GROUPS.items():
            self.add_group(cn, members)

    def user_dn(self, uid):
        return f"uid={uid},{USERS_DN}"

    def group_dn(self, cn):
        return f"cn={cn},{GROUPS_DN}"

    def add_user(self, uid, password, mail=None):
        conn = self.admin()
        try:
            conn.add_s(self.user_dn(uid), [
                ("objectClass", [b"inetOrgPerson"]),
                ("uid", [uid.encode()]), ("cn", [uid.encode()]), ("sn", [uid.encode()]),
                ("mail", [(mail or f"{uid}@nebula.test").encode()]),
                ("userPassword", [ssha(password).encode()]),
            ])
        finally:
            conn.unbind_s()
        self.passwords[uid] = password
        return self.user_dn(uid)

    def add_group(self, cn, members, description=""):
        # groupOfNames needs at least one member; an empty group points at the base entry.
        member_dns = [self.user_dn(m).encode() for m in members] or [SUFFIX.encode()]
        attrs = [("objectClass", [b"groupOfNames"]), ("cn", [cn.encode()]), ("member", member_dns)]
        if description:
            attrs.append(("description", [description.encode()]))
        conn = self.admin()
        try:
            conn.add_s(self.group_dn(cn), attrs)
        finally:
            conn.unbind_s()
        return self.group_dn(cn)

    def add_member(self, cn, uid):
        import ldap

        conn = self.admin()
        try:
            conn.modify_s(self.group_dn(cn), [(ldap.MOD_ADD, "member", [self.user_dn(uid).encode()])])
        finally:
            conn.unbind_s()

    def delete(self, dn):
        conn = self.admin()
        try:
            conn.delete_s(dn)
        finally:
            conn.unbind_s()

    def delete_user(self, uid):
        import ldap
        import ldap.filter

        conn = self.admin()
        try:
            # Take the user out of every group first, as a directory admin would.
            dn = self.user_dn(uid)
            for group_dn, _attrs in conn.search_s(GROUPS_DN, ldap.SCOPE_ONELEVEL,
                                                  f"(member={ldap.filter.escape_filter_chars(dn)})", ["cn"]):
                try:
                    conn.modify_s(group_dn, [(ldap.MOD_DELETE, "member", [dn.encode()])])
                except ldap.OBJECT_CLASS_VIOLATION:
                    conn.modify_s(group_dn, [(ldap.MOD_REPLACE, "member", [SUFFIX.encode()])])
            conn.delete_s(dn)
        finally:
            conn.unbind_s()
        self.passwords.pop(uid, None)

    def domain_config(self, **overrides):
        """The body a PUT /v3/domains/{id}/config takes to point a domain at this directory."""
        ldap_options = {
            "url": self.url,
            "user": ADMIN_DN,
            "password": ADMIN_PASSWORD,
            "suffix": SUFFIX,
            "user_tree_dn": USERS_DN,
            "user_objectclass": "inetOrgPerson",
            "user_id_attribute": "uid",
            "user_name_attribute": "uid",
            "user_mail_attribute": "mail",
            "group_tree_dn": GROUPS_DN,
            "group_objectclass": "groupOfNames",
            "group_id_attribute": "cn",
            "group_name_attribute": "cn",
            "group_member_attribute": "member",
            "group_desc_attribute": "description",
        }
        ldap_options.update(overrides)
        return {"config": {"identity": {"driver": "ldap"}, "ldap": ldap_options}}


def skip_unless_slapd():
    """A skip naming the missing Debian package when slapd is not installed."""
    import pytest

    if not Path(SLAPD).exists():
        pytest.skip("slapd is not installed (Debian packages slapd and ldap-utils; bin/install --test)")


def start_or_skip(tls=False):
    """A started server, or the skip of skip_unless_slapd."""
    skip_unless_slapd()
    started = time.monotonic()
    server = LdapServer(tls=tls).start()
    server.startup_seconds = time.monotonic() - started
    return server


def configure_live_domain(live_cloud, server, project="research", group="admins", role="member"):
    """On a live cloud, as its admin and through its identity API: a new domain reading `server`, a
    project in it and `role` granted there to the directory group `group`. Returns the domain's name.
    (Plain HTTP: the CLI's start-up would cost seconds per call; the CLI itself is tested elsewhere.)"""
    import json
    import urllib.request
    import uuid

    from core.testing.live import ADMIN_PASSWORD

    def call(method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["X-Auth-Token"] = token
        request = urllib.request.Request(f"{live_cloud.url}/identity/v3{path}", method=method, headers=headers,
                                         data=json.dumps(body).encode() if body is not None else None)
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, response.headers, json.loads(raw) if raw else None

    _, headers, _ = call("POST", "/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"}, "password": ADMIN_PASSWORD}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
    token = headers["X-Subject-Token"]
    name = f"Directory-{uuid.uuid4().hex[:6]}"
    _, _, body = call("POST", "/domains", {"domain": {"name": name}}, token)
    domain_id = body["domain"]["id"]
    status, _, body = call("PUT", f"/domains/{domain_id}/config", server.domain_config(), token)
    if status != 201 or "password" in body["config"]["ldap"]:
        raise AssertionError(f"domain config answered {status}: {body}")
    _, _, body = call("POST", "/projects", {"project": {"name": project, "domain_id": domain_id}}, token)
    project_id = body["project"]["id"]
    _, _, body = call("GET", f"/groups?domain_id={domain_id}&name={group}", token=token)
    group_id = body["groups"][0]["id"]
    _, _, body = call("GET", f"/roles?name={role}", token=token)
    role_id = body["roles"][0]["id"]
    call("PUT", f"/projects/{project_id}/groups/{group_id}/roles/{role_id}", token=token)
    return name
