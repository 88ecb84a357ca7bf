#!/usr/bin/env python3
# dh-generate.py: synthetic Amazon Route 53 Resolver query logs for DNS Hunt.
#
# Writes realistic, deterministic traffic for a small fleet (two VPCs, one
# account) with the ten attacks of the rule set injected, each on its own
# attacker host, among benign traffic and decoys that must not alert.  Same
# arguments and seed give byte-identical output (one random.Random(seed), no
# clock, gzip with mtime 0 and no file name).  Python 3 standard library only.
#
# Speed matters (it writes the 1,000,000-event benchmark input): every query
# (name, type, rcode, answers) and every host (VPC, address, port, transport,
# srcids) is serialised once, with json.dumps, into a fragment; a record is
# then the concatenation of six strings.  Times are integer milliseconds,
# sorted as packed integers.

"""Generate synthetic Route 53 Resolver DNS query logs for DNS Hunt.

Examples:
  dh-generate.py --seed 42 --gzip -o route53-demo.log.gz --manifest manifest.json
  dh-generate.py --events 1000000 -o bench.log
  dh-generate.py --shape s3 -o /tmp/bucket      # AWSLogs/<account>/vpcdnsquerylogs/...
"""

import argparse
import base64
import datetime
import gzip
import hashlib
import json
import os
import random
import sys

ACCOUNT = "111122223333"
REGION = "us-east-1"
VERSION = "1.100000"
LOG_GROUP = "/aws/route53/resolver"
SUBSCRIPTION_FILTER = "dnshunt"
METADATA_V4 = "169.254.169.254"
METADATA_V6 = "fd00:ec2::254"

J = json.dumps  # ASCII-only output, correct escaping of every string

MINUTE = 60 * 1000
HOUR = 60 * MINUTE

LETTERS = "abcdefghijklmnopqrstuvwxyz"
HEX = "0123456789abcdef"

WORDS = (
    "alpha bravo cedar delta ember falcon garnet harbor indigo juniper kestrel lumen "
    "maple nectar onyx pepper quartz raven sierra tundra umber velvet willow yarrow "
    "zephyr amber basil cobalt dune fjord glade heron iris jade kelp lotus marsh "
    "nova olive pine quill reef sage thyme vale wren"
).split()


# --------------------------------------------------------------------------
# small helpers

def answers_json(answers):
    """[(rdata, type), ...] -> the record's "answers" array (Rdata, Type, Class)."""
    return "[" + ",".join(
        '{"Rdata":%s,"Type":%s,"Class":"IN"}' % (J(rdata), J(rtype))
        for rdata, rtype in answers) + "]"


def query_mid(qname, qtype, rcode, answers=()):
    """Record text from the end of query_timestamp's value to just before srcaddr."""
    return ('","query_name":%s,"query_type":%s,"query_class":"IN","rcode":%s,"answers":%s'
            % (J(qname), J(qtype), J(rcode), answers_json(answers)))


def rev4(ip):
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa."


def ip_name(ip):
    return "ip-" + ip.replace(".", "-") + ".ec2.internal."


class Gen:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.start_ms = args.start_ms
        self.span = int(args.hours * HOUR)
        # events: parallel lists (time offset in ms, host entry index, query fragment)
        self.E_t = []
        self.E_h = []
        self.E_m = []
        self.entries = []       # (prefix, srcaddr part, suffix, vpc index)
        self.hosts = []
        self.scenarios = []     # dicts: kind attack/decoy, rule, host, indices
        self.used_ips = set()
        r = self.rng
        self.vpcs = ["vpc-0%016x" % r.getrandbits(64) for _ in range(2)]
        self.qlc = "rslvr-qlc-%017x" % r.getrandbits(68)

    # ---------------------------------------------------------------- hosts

    def rand_hex(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def new_ipv4(self, vpc, prefix="10.0"):
        r = self.rng
        while True:
            if prefix == "10.0":
                third = r.randrange(1, 24) + (0 if vpc == 0 else 128)
            else:
                third = r.randrange(1, 40)
            ip = "%s.%d.%d" % (prefix, third, r.randrange(4, 251))
            if ip not in self.used_ips:
                self.used_ips.add(ip)
                return ip

    def new_host(self, role, vpc, kind="instance", ipv6=False):
        r = self.rng
        if ipv6:
            ip = "2600:1f18:%x:%x:%x:%x:%x:%x" % (
                r.randrange(0x1000, 0xffff), r.randrange(0x100, 0xffff),
                r.getrandbits(16), r.getrandbits(16), r.getrandbits(16),
                r.randrange(1, 0xffff))
        elif kind == "endpoint":
            ip = self.new_ipv4(vpc, "10.200")   # on-premises client behind an inbound endpoint
        else:
            ip = self.new_ipv4(vpc)
        instance = None
        if kind == "instance":
            instance = "i-0" + self.rand_hex(16)
            srcids = {"instance": instance}
        elif kind == "endpoint":
            srcids = {"resolver_endpoint": "rslvr-in-" + self.rand_hex(17),
                      "resolver_network_interface": "rni-" + self.rand_hex(17)}
        else:
            srcids = {}
        h = {"ip": ip, "vpc": vpc, "role": role, "instance": instance,
             "srcids": J(srcids, separators=(",", ":")), "entries": {}}
        self.hosts.append(h)
        return h

    def entry(self, h, transport="UDP", firewall=None):
        key = (transport, firewall)
        if key in h["entries"]:
            return h["entries"][key]
        pre = ('{"version":"%s","account_id":"%s","region":"%s","vpc_id":"%s",'
               '"query_timestamp":"' % (VERSION, ACCOUNT, REGION, self.vpcs[h["vpc"]]))
        mid = ',"srcaddr":%s,"srcport":"' % J(h["ip"])
        extra = ""
        if firewall:
            extra = (',"firewall_rule_action":%s,"firewall_rule_group_id":%s,'
                     '"firewall_domain_list_id":%s' % (J(firewall[0]), J(firewall[1]),
                                                      J(firewall[2])))
        post = '","transport":%s,"srcids":%s%s}' % (J(transport), h["srcids"], extra)
        self.entries.append((pre, mid, post, h["vpc"]))
        idx = len(self.entries) - 1
        h["entries"][key] = idx
        return idx

    # ------------------------------------------------------------- addresses

    def pub4(self, kind="any"):
        r = self.rng
        pools = {
            "aws": ((52, None), (54, None), (3, None), (18, None), (44, None), (35, None)),
            "fastly": ((151, 101),),
            "cloudflare": ((104, 16), (104, 18), (172, 64), (104, 20)),
            "github": ((140, 82),),
            "ghusercontent": ((185, 199),),
            "akamai": ((23, None), (96, 7), (184, 24)),
            "doc": ((192, 0), (198, 51), (203, 0)),
            "any": ((52, None), (151, 101), (104, 16), (13, None), (99, 84),
                    (185, 199), (91, 189), (142, 250), (198, 51), (203, 0)),
        }[kind]
        a, b = pools[r.randrange(len(pools))]
        if (a, b) == (192, 0):
            return "192.0.2.%d" % r.randrange(1, 255)
        if (a, b) == (198, 51):
            return "198.51.100.%d" % r.randrange(1, 255)
        if (a, b) == (203, 0):
            return "203.0.113.%d" % r.randrange(1, 255)
        if b is None:
            b = r.randrange(1, 255)
        return "%d.%d.%d.%d" % (a, b, r.randrange(0, 256), r.randrange(1, 255))

    def pub6(self, prefix="2600:1f18"):
        r = self.rng
        return "%s:%x:%x:%x:%x:%x:%x" % (prefix, r.getrandbits(16), r.getrandbits(16),
                                         r.getrandbits(16), r.getrandbits(16),
                                         r.getrandbits(16), r.randrange(1, 0xffff))

    # ---------------------------------------------------------- benign catalog

    def build_catalog(self):
        """Shared benign queries: list of (tag, weight, fragment)."""
        r = self.rng
        cat = []

        def add(tag, w, qname, qtype, rcode="NOERROR", answers=()):
            cat.append((tag, w, query_mid(qname, qtype, rcode, answers)))

        def a_records(n, kind):
            return [(self.pub4(kind), "A") for _ in range(n)]

        # AWS service endpoints (SSM agent, CloudWatch agent, SDKs)
        for svc, w, n in (("sts", 6, 1), ("ssm", 8, 1), ("ssmmessages", 8, 1),
                          ("ec2messages", 8, 1), ("logs", 7, 1), ("monitoring", 5, 1),
                          ("ec2", 3, 1), ("kms", 3, 1), ("secretsmanager", 3, 1),
                          ("sqs", 4, 1), ("sns", 2, 1), ("dynamodb", 4, 1),
                          ("api.ecr", 2, 1), ("ecs", 2, 1), ("events", 1, 1),
                          ("xray", 1, 1), ("elasticloadbalancing", 1, 1)):
            name = "%s.%s.amazonaws.com." % (svc, REGION)
            for _ in range(2):   # two answer variants: the resolver's view changes
                add("aws", w / 2.0, name, "A", answers=a_records(n, "aws"))
            add("aws", w / 4.0, name, "AAAA")   # no IPv6 on most regional endpoints
        add("aws", 3, "ec2-instance-connect.%s.amazonaws.com." % REGION, "AAAA")
        s3w = [("s3-1-w.amazonaws.com.", "CNAME")]
        add("aws", 5, "s3.%s.amazonaws.com." % REGION, "A", answers=a_records(1, "aws"))
        add("aws", 2, "s3.dualstack.%s.amazonaws.com." % REGION, "A",
            answers=a_records(1, "aws"))
        add("aws", 1, "s3.dualstack.%s.amazonaws.com." % REGION, "AAAA",
            answers=[(self.pub6("2600:1fa0"), "AAAA")])
        add("aws", 4, "dh-app-artifacts-%s.s3.%s.amazonaws.com." % (ACCOUNT, REGION), "A",
            answers=s3w + a_records(1, "aws"))
        add("aws", 2, "%s.dkr.ecr.%s.amazonaws.com." % (ACCOUNT, REGION), "A",
            answers=a_records(3, "aws"))
        add("aws", 2, "prod-%s-starport-layer-bucket.s3.%s.amazonaws.com." % (REGION, REGION),
            "A", answers=s3w + a_records(1, "aws"))
        add("aws", 1, "oidc.eks.%s.amazonaws.com." % REGION, "A", answers=a_records(2, "aws"))
        add("aws", 1, "api.pricing.%s.amazonaws.com." % REGION, "A", answers=a_records(1, "aws"))
        add("aws", 1, "time.aws.com.", "A", answers=a_records(1, "aws"))

        # OS updates
        fastly_deb = [("debian.map.fastlydns.net.", "CNAME")]
        add("os", 3, "deb.debian.org.", "A", answers=fastly_deb + a_records(1, "fastly"))
        add("os", 1, "deb.debian.org.", "AAAA",
            answers=fastly_deb + [(self.pub6("2a04:4e42"), "AAAA")])
        add("os", 2, "security.debian.org.", "A", answers=fastly_deb + a_records(1, "fastly"))
        add("os", 2, "%s.ec2.archive.ubuntu.com." % REGION, "A", answers=a_records(3, "aws"))
        add("os", 2, "security.ubuntu.com.", "A",
            answers=[("91.189.91.%d" % r.randrange(2, 250), "A") for _ in range(3)])
        add("os", 1, "esm.ubuntu.com.", "A", answers=[("185.125.188.%d" % r.randrange(50, 60),
                                                      "A") for _ in range(2)])
        add("os", 1, "api.snapcraft.io.", "A", answers=a_records(2, "any"))
        al2023 = "al2023-repos-%s-de612dc2.s3.dualstack.%s.amazonaws.com." % (REGION, REGION)
        add("os", 3, al2023, "A", answers=[("s3-r-w.dualstack.%s.amazonaws.com." % REGION,
                                            "CNAME")] + a_records(1, "aws"))
        add("os", 2, "amazonlinux-2-repos-%s.s3.dualstack.%s.amazonaws.com." % (REGION, REGION),
            "AAAA", answers=[("s3-r-w.dualstack.%s.amazonaws.com." % REGION, "CNAME"),
                             (self.pub6("2600:1fa0"), "AAAA")])
        add("os", 2, "cdn.amazonlinux.com.", "A",
            answers=[("d2lzkl7pfhq30w.cloudfront.net.", "CNAME")] + a_records(4, "aws"))
        add("os", 1, "download.docker.com.", "A",
            answers=[("d2h67oheeuigaw.cloudfront.net.", "CNAME")] + a_records(4, "aws"))
        add("os", 1, "packages.microsoft.com.", "A",
            answers=[("packages-microsoft-com.a-0001.a-msedge.net.", "CNAME"),
                     ("a-0001.a-msedge.net.", "CNAME")] + a_records(1, "any"))

        # developer tooling
        gh = lambda: [("140.82.%d.%d" % (r.choice((112, 113, 114)), r.randrange(2, 40)), "A")]
        ghu = [("185.199.%d.133" % i, "A") for i in (108, 109, 110, 111)]
        add("dev", 5, "github.com.", "A", answers=gh())
        add("dev", 2, "github.com.", "AAAA")        # GitHub has no IPv6: empty answer
        add("dev", 1, "github.com.", "HTTPS")
        add("dev", 3, "api.github.com.", "A", answers=gh())
        add("dev", 1, "codeload.github.com.", "A", answers=gh())
        add("dev", 2, "objects.githubusercontent.com.", "A", answers=ghu)
        add("dev", 2, "raw.githubusercontent.com.", "A", answers=ghu)
        add("dev", 1, "pkg-containers.githubusercontent.com.", "A", answers=ghu[:2])
        add("dev", 1, "ghcr.io.", "A", answers=gh())
        add("dev", 4, "pypi.org.", "A", answers=[("151.101.%d.223" % i, "A") for i in (0, 64, 128,
                                                                                     192)])
        add("dev", 1, "pypi.org.", "HTTPS")
        add("dev", 3, "files.pythonhosted.org.", "A",
            answers=[("dualstack.python.map.fastly.net.", "CNAME")] + a_records(1, "fastly"))
        add("dev", 4, "registry.npmjs.org.", "A", answers=a_records(4, "cloudflare"))
        add("dev", 3, "registry-1.docker.io.", "A", answers=a_records(3, "aws"))
        add("dev", 2, "auth.docker.io.", "A", answers=a_records(3, "aws"))
        add("dev", 2, "production.cloudflare.docker.com.", "A",
            answers=a_records(2, "cloudflare"))
        add("dev", 1, "index.docker.io.", "A", answers=a_records(3, "aws"))
        add("dev", 1, "proxy.golang.org.", "A", answers=a_records(1, "any"))
        add("dev", 1, "sum.golang.org.", "A", answers=a_records(1, "any"))

        # time
        for name in ("0.amazon.pool.ntp.org.", "1.amazon.pool.ntp.org.",
                     "2.amazon.pool.ntp.org.", "3.amazon.pool.ntp.org.",
                     "2.debian.pool.ntp.org.", "ntp.ubuntu.com."):
            add("ntp", 1, name, "A", answers=a_records(r.choice((1, 4)), "any"))

        # web / CDN, CNAME chains
        add("cdn", 3, "static.shop-example.com.", "A",
            answers=[("d3k8abcxyz1234.cloudfront.net.", "CNAME")] + a_records(4, "aws"))
        add("cdn", 2, "www.example-news.com.", "A",
            answers=[("www.example-news.com.edgekey.net.", "CNAME"),
                     ("e1234.a.akamaiedge.net.", "CNAME")] + a_records(2, "akamai"))
        add("cdn", 2, "login.microsoftonline.com.", "A",
            answers=[("login.mso.msidentity.com.", "CNAME"),
                     ("ak.privatelink.msidentity.com.", "CNAME"),
                     ("www.tm.ak.prd.aadg.trafficmanager.net.", "CNAME")] + a_records(3, "any"))
        add("cdn", 2, "www.google.com.", "A", answers=[("142.250.%d.%d" % (
            r.randrange(64, 80), r.randrange(1, 250)), "A")])
        add("cdn", 1, "fonts.googleapis.com.", "A", answers=[("142.250.%d.%d" % (
            r.randrange(64, 80), r.randrange(1, 250)), "A")])
        add("cdn", 1, "cdn.jsdelivr.net.", "A",
            answers=[("jsdelivr.map.fastly.net.", "CNAME")] + a_records(1, "fastly"))
        add("cdn", 1, "hooks.slack.com.", "A", answers=a_records(4, "aws"))
        add("cdn", 1, "api.datadoghq.com.", "A",
            answers=[("alb-api-datadoghq-com.example-lb.amazonaws.com.", "CNAME")]
            + a_records(3, "aws"))
        add("cdn", 1, "www.gov.uk.", "A", answers=a_records(2, "fastly"))
        add("cdn", 1, "www.bund.de.", "A", answers=a_records(1, "any"))

        # private names: RDS, ElastiCache, private hosted zone
        priv = lambda: "10.0.%d.%d" % (r.randrange(1, 24), r.randrange(4, 251))
        add("int", 4, "app-db.cluster-c9akciq32xyz.%s.rds.amazonaws.com." % REGION, "A",
            answers=[("app-db-instance-1.c9akciq32xyz.%s.rds.amazonaws.com." % REGION,
                      "CNAME"), (priv(), "A")])
        add("int", 3, "app-cache.abc123.ng.0001.use1.cache.amazonaws.com.", "A",
            answers=[(priv(), "A")])
        for svc in ("db", "redis", "api", "auth", "queue", "search"):
            add("int", 2, "%s.prod.internal." % svc, "A", answers=[(priv(), "A")])
        add("int", 1, "vault.prod.internal.", "AAAA")
        # search-domain leakage: NXDOMAIN, but under .internal/.local, not counted
        for leak in ("github.com.ec2.internal.", "pypi.org.%s.compute.internal." % REGION,
                     "api.prod.internal.ec2.internal.", "wpad.ec2.internal."):
            add("int", 0.3, leak, "A", "NXDOMAIN")

        # benign Kubernetes node noise (does not match k8s-enumeration)
        add("k8s", 3, "kubernetes.default.svc.cluster.local.ec2.internal.", "A", "NXDOMAIN")
        add("k8s", 2, "kube-dns.kube-system.svc.cluster.local.ec2.internal.", "A", "NXDOMAIN")
        add("k8s", 2, "sts.%s.amazonaws.com.default.svc.cluster.local." % REGION, "A",
            "NXDOMAIN")
        add("k8s", 3, "7D1E2B5C9A0F4E3D8C6B2A1F0E9D8C7B.gr7.%s.eks.amazonaws.com." % REGION,
            "A", answers=[(priv(), "A"), (priv(), "A")])

        # occasional counted NXDOMAIN (capped per host, see host_templates)
        for nx in ("telemetry.legacy-vendor.com.", "wpad.example-corp.com.",
                   "pypi.org.example-corp.com.", "api.old-partner-example.net.",
                   "updates.retired-tool-example.com."):
            add("nx", 1, nx, "A", "NXDOMAIN")
        add("nx", 1, "github.com.example-corp.com.", "AAAA", "NXDOMAIN")
        # rare TXT lookups (mail / verification); quotes inside Rdata exercise escaping
        add("txt", 2, "example-corp.com.", "TXT",
            answers=[('"v=spf1 include:amazonses.com ~all"', "TXT")])
        add("txt", 1, "_dmarc.example-corp.com.", "TXT",
            answers=[('"v=DMARC1; p=quarantine; rua=mailto:dmarc@example-corp.com"', "TXT")])
        add("txt", 1, "_amazonses.example-corp.com.", "TXT",
            answers=[('"mail verification token"', "TXT")])
        # very rare SERVFAIL
        add("servfail", 1, "dnssec-failed.org.", "A", "SERVFAIL")
        add("servfail", 1, "api.partner-gateway-example.com.", "A", "SERVFAIL")
        return cat

    PROFILES = {
        # tag weights; nx/txt/servfail are fractions, capped by host rate below
        "app": {"aws": 40, "int": 25, "cdn": 10, "dev": 5, "os": 4, "ntp": 3, "ptr": 6},
        "build": {"dev": 40, "os": 15, "aws": 20, "cdn": 5, "int": 5, "ntp": 3, "ptr": 3},
        "k8s": {"aws": 30, "k8s": 15, "int": 20, "dev": 12, "cdn": 5, "ntp": 2, "ptr": 4},
        "batch": {"aws": 55, "int": 20, "os": 5, "ntp": 3, "ptr": 4, "dev": 3},
        "onprem": {"int": 35, "aws": 30, "cdn": 15, "ptr": 10, "dev": 5},
    }

    def host_templates(self, h, catalog, profile, n_events, clean):
        """Per-host (fragments, cumulative weights)."""
        r = self.rng
        extra = []
        # the host's own name, its neighbours and reverse lookups
        if ":" not in h["ip"] and h["ip"].startswith("10.0."):
            extra.append(("int", 2, query_mid(ip_name(h["ip"]), "A", "NOERROR",
                                              [(h["ip"], "A")])))
        for _ in range(4):
            n_ip = "10.0.%d.%d" % (r.randrange(1, 24) + (128 if h["vpc"] else 0),
                                   r.randrange(4, 251))
            extra.append(("ptr", 1, query_mid(rev4(n_ip), "PTR", "NOERROR",
                                              [(ip_name(n_ip), "PTR")])))
            extra.append(("int", 1, query_mid(ip_name(n_ip), "A", "NOERROR",
                                              [(n_ip, "A")])))
        p_ip = self.pub4("aws")
        extra.append(("ptr", 1, query_mid(rev4(p_ip), "PTR", "NOERROR",
                                          [("ec2-%s.compute-1.amazonaws.com." %
                                            p_ip.replace(".", "-"), "PTR")])))
        # an ip6.arpa lookup logged without trailing dot, as in real logs
        nib = ".".join(reversed(self.rand_hex(32)))
        extra.append(("ptr", 0.5, query_mid(nib + ".ip6.arpa", "PTR", "NOERROR",
                                            [("ec2-52-%d-%d-%d.compute-1.amazonaws.com." % (
                                                r.randrange(1, 255), r.randrange(255),
                                                r.randrange(1, 255)), "PTR")])))
        extra.append(("ptr", 0.5, query_mid(rev4("10.0.250.%d" % r.randrange(1, 250)),
                                            "PTR", "NXDOMAIN")))
        weights = self.PROFILES[profile]
        items = [t for t in catalog + extra if t[0] in weights or t[0] in
                 ("nx", "txt", "servfail")]
        tag_total = {}
        for tag, w, _ in items:
            tag_total[tag] = tag_total.get(tag, 0) + w
        span_min = self.span / MINUTE
        # keep counted NXDOMAIN at <= 12 per 15 min and TXT at <= 4 per minute on
        # average, far below the 100 / 50 thresholds whatever the event rate
        per15 = n_events / max(span_min / 15.0, 1e-9)
        per1 = n_events / max(span_min, 1e-9)
        frac = {
            "nx": 0.0 if clean else min(0.004, 12.0 / max(per15, 1)),
            "txt": 0.0 if clean else min(0.004, 4.0 / max(per1, 1)),
            "servfail": 0.0 if clean else 0.0005,
        }
        main_total = sum(weights.values())
        main_share = 1.0 - sum(frac.values())
        frags, cum, acc = [], [], 0.0
        for tag, w, frag in items:
            if tag in frac:
                if frac[tag] <= 0:
                    continue
                wt = frac[tag] * w / tag_total[tag]
            else:
                wt = main_share * weights[tag] / main_total * w / tag_total[tag]
            # per-host taste: some hosts use some endpoints more than others
            wt *= 0.5 + r.random()
            acc += wt
            frags.append(frag)
            cum.append(acc)
        return frags, cum

    # ------------------------------------------------------------- events

    def add(self, t, entry, frag):
        self.E_t.append(t)
        self.E_h.append(entry)
        self.E_m.append(frag)

    def bulk(self, h, n, frags, cum, t0=0, t1=None):
        if n <= 0:
            return
        if t1 is None:
            t1 = self.span
        r = self.rng.random
        width = t1 - t0
        self.E_t.extend([t0 + int(r() * width) for _ in range(n)])
        self.E_h.extend([self.entry(h)] * n)
        self.E_m.extend(self.rng.choices(frags, cum_weights=cum, k=n))

    def place(self, frac, dur):
        """Start offset for a scenario lasting dur ms, near frac of the span."""
        span = self.span
        t = int((frac + (self.rng.random() - 0.5) * 0.04) * span)
        return max(0, min(t, span - dur - 1000))

    def times(self, t0, dur, n, sort=True):
        r = self.rng.random
        ts = [t0 + int(r() * dur) for _ in range(n)]
        if sort:
            ts.sort()
        return ts

    def chain(self, frac, n):
        """n times 5-25 s apart: one episode whatever window a per-event rule groups by."""
        t = self.place(frac, n * 25 * 1000)
        out = []
        for _ in range(n):
            out.append(t)
            t += 5000 + int(self.rng.random() * 20000)
        return out

    def scenario(self, kind, rule, h, label):
        sc = {"kind": kind, "rule": rule, "host": h, "label": label, "idx": []}
        self.scenarios.append(sc)
        return len(self.scenarios) - 1

    def hit(self, sid, t, entry, frag):
        """A scenario event that matches the scenario's rule."""
        self.scenarios[sid]["idx"].append(len(self.E_t))
        self.add(t, entry, frag)

    def rword(self, lo, hi):
        r = self.rng
        return "".join(r.choice(LETTERS) for _ in range(r.randint(lo, hi)))

    # ---- the ten attacks (plus the exact-threshold case)

    def attack_dga(self, h, frac):
        sid = self.scenario("attack", "nxdomain-burst", h, "DGA: 300 NXDOMAIN in 10 min")
        e = self.entry(h)
        for t in self.times(self.place(frac, 10 * MINUTE), 10 * MINUTE, 300):
            name = self.rword(10, 18) + self.rng.choice((".com.", ".net."))
            self.hit(sid, t, e, query_mid(name, "A", "NXDOMAIN"))

    def attack_nx_exact(self, h, frac):
        sid = self.scenario("attack", "nxdomain-burst", h,
                            "exactly 100 NXDOMAIN in 14 min (threshold)")
        e = self.entry(h)
        t0 = self.place(frac, 14 * MINUTE)
        ts = [t0, t0 + 14 * MINUTE] + self.times(t0 + 1000, 14 * MINUTE - 2000, 98)
        for t in sorted(ts):
            name = "cfg-%s.update-mirror-example.net." % self.rword(5, 9)
            self.hit(sid, t, e, query_mid(name, "A", "NXDOMAIN"))

    def attack_tcp(self, h, frac):
        sid = self.scenario("attack", "dns-over-tcp", h, "DNS over TCP incl. AXFR")
        e = self.entry(h, "TCP")
        ts = self.chain(frac, 4)
        self.hit(sid, ts[0], e, query_mid("relay.tcp-tunnel-example.com.", "A", "NOERROR",
                                          [(self.pub4("doc"), "A")]))
        self.hit(sid, ts[1], e, query_mid("corp-example.com.", "AXFR", "REFUSED"))
        self.hit(sid, ts[2], e, query_mid("relay.tcp-tunnel-example.com.", "TXT", "NOERROR",
                                          [('"ready"', "TXT")]))
        self.hit(sid, ts[3], e, query_mid("corp-example.com.", "ANY", "NOERROR",
                                          [(self.pub4("doc"), "A"),
                                           ("ns1.corp-example.com.", "NS")]))

    def attack_refused(self, h, frac):
        sid = self.scenario("attack", "refused-burst", h, "80 REFUSED in 10 min")
        e = self.entry(h)
        for t in self.times(self.place(frac, 10 * MINUTE), 10 * MINUTE, 80):
            name = "%s%d.partner-corp-example.com." % (self.rng.choice(WORDS),
                                                       self.rng.randrange(100))
            self.hit(sid, t, e, query_mid(name, self.rng.choice(("A", "A", "AAAA", "MX")),
                                          "REFUSED"))

    def attack_metadata(self, h, frac):
        sid = self.scenario("attack", "metadata-ip-answer", h,
                            "CNAME chain to 169.254.169.254 (DNS rebinding to IMDS)")
        e = self.entry(h)
        ts = self.chain(frac, 4)
        chain = [("rbnd-a9f3.rebind-dns-example.net.", "CNAME")]
        self.hit(sid, ts[0], e, query_mid("status.cdn-healthcheck-example.com.", "A", "NOERROR",
                                          chain + [(METADATA_V4, "A")]))
        self.hit(sid, ts[1], e, query_mid("status.cdn-healthcheck-example.com.", "A", "NOERROR",
                                          chain + [(METADATA_V4, "A")]))
        self.hit(sid, ts[2], e, query_mid("imds.rebind-dns-example.net.", "A", "NOERROR",
                                          [(METADATA_V4, "A")]))
        self.hit(sid, ts[3], e, query_mid("status.cdn-healthcheck-example.com.", "AAAA",
                                          "NOERROR", chain + [(METADATA_V6, "AAAA")]))

    def attack_txt(self, h, frac):
        sid = self.scenario("attack", "uncommon-record-types", h, "TXT flood: 120 in 40 s")
        e = self.entry(h)
        for t in self.times(self.place(frac, 40 * 1000), 40 * 1000, 120):
            name = "%s.c.cmd-sync-example.com." % self.rand_hex(8)
            self.hit(sid, t, e, query_mid(name, "TXT", "NOERROR",
                                          [('"%s"' % self.rand_hex(16), "TXT")]))

    def attack_tld(self, h, frac):
        sid = self.scenario("attack", "suspicious-tld", h, "queries to .top / .xyz")
        e = self.entry(h)
        ts = self.chain(frac, 5)
        ip1, ip2 = self.pub4("doc"), self.pub4("doc")
        for t, (name, qt, ans) in zip(ts, (
                ("update-check.top.", "A", [(ip1, "A")]),
                ("cdn.update-check.top.", "A", [("update-check.top.", "CNAME"), (ip1, "A")]),
                ("login-portal-verify.xyz.", "A", [(ip2, "A")]),
                ("api.login-portal-verify.xyz.", "AAAA", []),
                ("update-check.top.", "A", [(ip1, "A")]))):
            self.hit(sid, t, e, query_mid(name, qt, "NOERROR", ans))

    def attack_paste(self, h, frac):
        sid = self.scenario("attack", "paste-site", h, "pastebin.com lookups")
        e = self.entry(h)
        ts = self.chain(frac, 4)
        cf = [("104.20.%d.%d" % (self.rng.randrange(60, 70), self.rng.randrange(1, 250)),
               "A"), ("172.67.%d.%d" % (self.rng.randrange(10, 200),
                                        self.rng.randrange(1, 250)), "A")]
        for t, (name, qt, ans) in zip(ts, (
                ("pastebin.com.", "A", cf),
                ("pastebin.com.", "AAAA", [(self.pub6("2606:4700:10"), "AAAA")]),
                ("pastebin.com.", "A", cf),
                ("dpaste.com.", "A", [(self.pub4("doc"), "A")]))):
            self.hit(sid, t, e, query_mid(name, qt, "NOERROR", ans))

    def attack_monero(self, h, frac):
        sid = self.scenario("attack", "monero-pool", h, "Monero pool lookups (XMRig)")
        fw = ("ALERT", "rslvr-frg-" + self.rand_hex(17), "rslvr-fdl-" + self.rand_hex(17))
        e = self.entry(h, "UDP", fw)
        ts = self.chain(frac, 6)
        pool_ips = [(self.pub4("doc"), "A") for _ in range(2)]
        names = ["pool.supportxmr.com."] * 4 + ["auto.c3pool.com.", "xmr.nanopool.org."]
        for t, name in zip(ts, names):
            self.hit(sid, t, e, query_mid(name, "A", "NOERROR", pool_ips))

    def attack_base64(self, h, frac):
        sid = self.scenario("attack", "base64-label", h, "base64url labels (credential exfil)")
        e = self.entry(h)
        ipn = "ip-" + h["ip"].replace(".", "-")
        secret = ("user=admin;host=%s;key=AKIAIOSFODNN7EXAMPLE;"
                  "secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY;region=%s"
                  % (ipn, REGION)).encode()
        chunks = [secret[i:i + 45] for i in range(0, len(secret), 45)]
        if len(chunks[-1]) % 3:
            chunks[-1] += b";" * (3 - len(chunks[-1]) % 3)
        labels = []
        for c in chunks:
            lab = base64.urlsafe_b64encode(c).decode().rstrip("=")
            assert 12 <= len(lab) <= 63 and lab != lab.lower() and lab != lab.upper(), lab
            labels.append(lab)
        ts = self.chain(frac, 2 * len(labels))
        c2 = (self.pub4("doc"), "A")
        for i, t in enumerate(ts):
            seq = i % len(labels)
            name = "%s.s%d.exfil-c2.com." % (labels[seq], seq)
            self.hit(sid, t, e, query_mid(name, "A", "NOERROR", [c2]))

    def attack_k8s(self, h, frac):
        sid = self.scenario("attack", "k8s-enumeration", h, "Kubernetes any.any wildcard")
        e = self.entry(h)
        ts = self.chain(frac, 6)
        names = (("any.any.svc.cluster.local.", "A"),
                 ("any.any.svc.cluster.local.", "SRV"),
                 ("any.any.any.svc.cluster.local.", "A"),
                 ("any.any.svc.cluster.local.ec2.internal.", "A"),
                 ("any.any.svc.cluster.local.%s.compute.internal." % REGION, "A"),
                 ("any.any.any.svc.cluster.local.ec2.internal.", "SRV"))
        for t, (name, qt) in zip(ts, names):
            self.hit(sid, t, e, query_mid(name, qt, "NXDOMAIN"))

    # ---- decoys (must not alert)

    def decoy_names(self, h, frac):
        self.scenario("decoy", None, h, "look-alike names, CDN/hex/punycode/long labels")
        e = self.entry(h)
        sha256 = hashlib.sha256(b"dnshunt-decoy").hexdigest()
        names = [
            ("notpastebin.com.", "A"), ("www.notpastebin.com.", "A"),
            ("www.topgear.com.", "A"), ("mytop.com.", "A"), ("top.shop-example.com.", "A"),
            ("xyz.github.io.", "A"), ("topxyz.com.", "A"),
            ("eth.nanopool.org.", "A"), ("notsupportxmr.com.", "A"),
            ("d1a2b3c4d5e6f7.cloudfront.net.", "A"), ("a248.e.akamai.net.", "A"),
            ("e12345.dscb.akamaiedge.net.", "A"),
            ("%s.cache.example-cdn.com." % hashlib.sha1(b"decoy").hexdigest(), "A"),
            ("%s.objects.example-cdn.com." % hashlib.md5(b"decoy").hexdigest(), "A"),
            ("%s.%s.blobs.example-cdn.com." % (sha256[:32], sha256[32:]), "A"),
            ("xn--bcher-kva.example.com.", "A"), ("www.xn--mnchen-3ya.de.", "A"),
            ("xn--80ak6aa92e.com.", "A"),
            ("internationalization.example.com.", "A"), ("supercalifragilistic.com.", "A"),
            ("electroencephalography.org.", "A"),
            ("kube-dns.kube-system.svc.cluster.local.ec2.internal.", "A"),
            ("my-svc.my-namespace.svc.cluster.local.ec2.internal.", "A"),
        ]
        span = self.span
        for name, qt in names:
            for _ in range(self.rng.randint(1, 3)):
                rcode = "NXDOMAIN" if ".cluster.local." in name else "NOERROR"
                ans = [] if rcode != "NOERROR" else [(self.pub4("any"), "A")]
                self.add(int(self.rng.random() * span), e, query_mid(name, qt, rcode, ans))

    def decoy_metadata(self, h, frac):
        self.scenario("decoy", None, h, "instance-data names answered with 169.254.169.254")
        e = self.entry(h)
        qs = [("instance-data.", "A", METADATA_V4),
              ("instance-data.ec2.internal.", "A", METADATA_V4),
              ("instance-data.%s.compute.internal." % REGION, "A", METADATA_V4),
              ("INSTANCE-DATA.EC2.INTERNAL.", "A", METADATA_V4),
              ("instance-data.ec2.internal", "A", METADATA_V4),
              ("instance-data.ec2.internal.", "AAAA", METADATA_V6)]
        for t, (name, qt, rd) in zip(self.times(self.place(frac, 20 * MINUTE), 20 * MINUTE,
                                                len(qs) * 2), qs * 2):
            self.add(t, e, query_mid(name, qt, "NOERROR", [(rd, qt)]))

    def decoy_reverse(self, h, frac):
        self.scenario("decoy", None, h, "150 NXDOMAIN reverse lookups in 10 min")
        e = self.entry(h)
        r = self.rng
        for i, t in enumerate(self.times(self.place(frac, 10 * MINUTE), 10 * MINUTE, 150)):
            if i % 10 == 9:
                name = ".".join(reversed(self.rand_hex(32))) + ".ip6.arpa."
            else:
                ip = "%d.%d.%d.%d" % (r.choice((10, 192, 172, 100)), r.randrange(256),
                                      r.randrange(256), r.randrange(1, 255))
                name = rev4(ip)
                if i % 7 == 3:
                    name = name[:-len("in-addr.arpa.")] + "IN-ADDR.ARPA"
            self.add(t, e, query_mid(name, "PTR", "NXDOMAIN"))

    def decoy_internal(self, h, frac):
        self.scenario("decoy", None, h, "150 NXDOMAIN *.internal / *.local in 10 min")
        e = self.entry(h)
        r = self.rng
        for i, t in enumerate(self.times(self.place(frac, 10 * MINUTE), 10 * MINUTE, 150)):
            k = i % 4
            if k == 0:
                name = "ip-10-0-%d-%d.ec2.internal." % (r.randrange(200, 255), r.randrange(256))
            elif k == 1:
                name = "%s-%d.%s.compute.internal." % (r.choice(WORDS), r.randrange(99), REGION)
            elif k == 2:
                name = "%s.local." % r.choice(WORDS)
            else:
                name = "_%s._tcp.%s.local." % (r.choice(("ipp", "http", "smb")), r.choice(WORDS))
            self.add(t, e, query_mid(name, r.choice(("A", "AAAA")), "NXDOMAIN"))

    def decoy_cloud_init(self, h, frac):
        self.scenario("decoy", None, h,
                      "55 cloud-init probes + 60 counted NXDOMAIN in 12 min (60 < 100)")
        e = self.entry(h)
        r = self.rng
        ts = self.times(self.place(frac, 12 * MINUTE), 12 * MINUTE, 115)
        r.shuffle(ts)
        for i, t in enumerate(ts):
            if i < 45:
                frag = query_mid("__cloud_init_expected_not_found__.", r.choice(("A", "AAAA")),
                                 "NXDOMAIN")
            elif i < 55:
                frag = query_mid("__cloud_init_expected_not_found__.ec2.internal.", "A",
                                 "NXDOMAIN")
            else:
                frag = query_mid("%s.corp-example.com." % self.rword(6, 10), "A", "NXDOMAIN")
            self.add(t, e, frag)

    def decoy_nx99(self, h, frac):
        self.scenario("decoy", None, h, "99 NXDOMAIN in 14 min (threshold - 1)")
        e = self.entry(h)
        for t in self.times(self.place(frac, 14 * MINUTE), 14 * MINUTE, 99):
            self.add(t, e, query_mid("svc-%s.legacy-corp-example.com." % self.rword(5, 9), "A",
                                     "NXDOMAIN"))

    def decoy_refused49(self, h, frac):
        self.scenario("decoy", None, h, "49 REFUSED in 14 min (threshold - 1)")
        e = self.entry(h)
        for t in self.times(self.place(frac, 14 * MINUTE), 14 * MINUTE, 49):
            self.add(t, e, query_mid("%s.partner-corp-example.com." % self.rng.choice(WORDS),
                                     "A", "REFUSED"))

    def decoy_txt49(self, h, frac):
        self.scenario("decoy", None, h, "49 TXT in 50 s (threshold - 1)")
        e = self.entry(h)
        for t in self.times(self.place(frac, 50 * 1000), 50 * 1000, 49):
            self.add(t, e, query_mid("%s._domainkey.example-corp.com." % self.rng.choice(WORDS),
                                     "TXT", "NOERROR", [('"v=DKIM1; k=rsa; p=MIIB"', "TXT")]))

    def decoy_nx_spread(self, h, frac):
        # 200 over 6 h; on a shorter span, at most 60 per 15 min
        n = int(min(200, self.span / (15 * MINUTE) * 60))
        self.scenario("decoy", None, h, "%d NXDOMAIN spread evenly over the span" % n)
        e = self.entry(h)
        step = self.span / n
        for i in range(n):
            t = int(i * step + self.rng.random() * step * 0.2)
            self.add(t, e, query_mid("%s.old-api-example.com." % self.rword(4, 8), "A",
                                     "NXDOMAIN"))

    def decoy_txt_spread(self, h, frac):
        self.scenario("decoy", None, h, "100 TXT over 10 min, 6 s apart")
        e = self.entry(h)
        t0 = self.place(frac, 10 * MINUTE + 1000)
        for i in range(100):
            t = t0 + i * 6000 + int(self.rng.random() * 500)
            self.add(t, e, query_mid("example-corp.com.", "TXT", "NOERROR",
                                     [('"v=spf1 include:amazonses.com ~all"', "TXT")]))

    # ---------------------------------------------------------------- build

    def build(self):
        a = self.args
        r = self.rng
        catalog = self.build_catalog()

        # benign fleet
        benign = []
        profiles = ["app", "app", "build", "k8s", "batch", "app", "k8s", "batch", "build"]
        for i in range(a.hosts):
            vpc = i % 2
            kind, ipv6, prof = "instance", False, profiles[i % len(profiles)]
            if i == 3:
                ipv6 = True
            if a.hosts >= 6 and i in (a.hosts - 1, a.hosts - 4):
                kind, prof = "endpoint", "onprem"
            elif a.hosts >= 8 and i == a.hosts - 6:
                kind = "none"       # srcids {} as in older logs
            h = self.new_host(prof, vpc, kind, ipv6)
            benign.append(h)

        attack_defs = [
            (self.attack_dga, 0.12), (self.attack_tcp, 0.22), (self.attack_refused, 0.32),
            (self.attack_metadata, 0.42), (self.attack_txt, 0.52), (self.attack_tld, 0.60),
            (self.attack_paste, 0.68), (self.attack_monero, 0.76), (self.attack_base64, 0.84),
            (self.attack_k8s, 0.92), (self.attack_nx_exact, 0.30),
        ]
        decoy_defs = [
            (self.decoy_names, 0.5), (self.decoy_metadata, 0.05), (self.decoy_reverse, 0.18),
            (self.decoy_internal, 0.38), (self.decoy_cloud_init, 0.02), (self.decoy_nx99, 0.55),
            (self.decoy_refused49, 0.65), (self.decoy_txt49, 0.72), (self.decoy_nx_spread, 0.0),
            (self.decoy_txt_spread, 0.88),
        ]
        special = []
        if not a.no_attacks:
            for j, (fn, frac) in enumerate(attack_defs):
                h = self.new_host("attack", j % 2, "instance")
                fn(h, frac)
                special.append(h)
        for j, (fn, frac) in enumerate(decoy_defs):
            # the reverse-lookup decoy is an on-premises DNS server behind an inbound endpoint
            kind = "endpoint" if fn == self.decoy_reverse else "instance"
            h = self.new_host("decoy", (j + 1) % 2, kind)
            fn(h, frac)
            special.append(h)

        n_fixed = len(self.E_t)
        n_special = len(special)
        bg = max(25, int(0.2 * a.events / max(1, a.hosts + n_special)))
        n_benign = max(a.events - n_fixed - bg * n_special, 20 * a.hosts)

        # background for attacker and decoy hosts: ordinary, "clean" traffic (no counted
        # NXDOMAIN, no TXT, no REFUSED) so each host triggers exactly what it was built for
        for h in special:
            prof = "onprem" if h["srcids"].startswith('{"resolver_endpoint"') else "app"
            frags, cum = self.host_templates(h, catalog, prof, bg, clean=True)
            self.bulk(h, bg, frags, cum)

        shares = [0.4 + r.random() * 1.6 for _ in benign]
        tot = sum(shares)
        counts = [int(n_benign * s / tot) for s in shares]
        counts[0] += n_benign - sum(counts)
        for h, n in zip(benign, counts):
            frags, cum = self.host_templates(h, catalog, h["role"], n, clean=False)
            self.bulk(h, n, frags, cum)
        self.benign, self.special = benign, special

    def sort(self):
        """Pack (time, fractional-format flag, index) into ints and sort them."""
        n = len(self.E_t)
        shift = max(1, n.bit_length())
        r = self.rng.random
        span = self.span
        keys = []
        app = keys.append
        for i, t in enumerate(self.E_t):
            if t < 0:
                t = 0
            elif t >= span:
                t = span - 1
            # about a third of the records carry milliseconds; the rest are logged
            # in whole seconds, so their time is truncated before sorting
            t += self.start_ms
            if r() < 0.34:
                app(((t << 1 | 1) << shift) | i)
            else:
                app((((t - t % 1000) << 1) << shift) | i)
        keys.sort()
        self.keys, self.shift = keys, shift

    # ------------------------------------------------------------- formatting

    def formatter(self):
        """(first minute since the epoch, "YYYY-MM-DDTHH:MM:" for each minute of the span)."""
        base_min = self.start_ms // MINUTE
        n_min = (self.start_ms + self.span) // MINUTE - base_min + 2
        mins = []
        for m in range(n_min):
            d = datetime.datetime.fromtimestamp((base_min + m) * 60, datetime.timezone.utc)
            mins.append(d.strftime("%Y-%m-%dT%H:%M:"))
        return base_min, mins

    def lines(self, meta=True):
        """Yield (lines, ms list, entry list) chunks in time order (lists empty if not meta)."""
        base_min, MINS = self.formatter()
        SS = ["%02d" % i for i in range(60)]
        MS = [".%03dZ" % i for i in range(1000)]
        PORTS = [str(i) for i in range(65536)]
        shift = self.shift
        mask = (1 << shift) - 1
        E_h, E_m, entries = self.E_h, self.E_m, self.entries
        # ports from their own generator, so that lines() gives the same text every call
        r = random.Random("%s/ports" % self.args.seed).random
        keys = self.keys
        CH = 20000
        for c in range(0, len(keys), CH):
            out, mss, ents = [], [], []
            app = out.append
            for k in keys[c:c + CH]:
                i = k & mask
                t2 = k >> shift
                t = t2 >> 1
                s = t // 1000
                ei = E_h[i]
                pre, hm, post, _ = entries[ei]
                app(f"{pre}{MINS[s // 60 - base_min]}{SS[s % 60]}{MS[t % 1000] if t2 & 1 else 'Z'}"
                    f"{E_m[i]}{hm}{PORTS[1024 + int(r() * 64512)]}{post}")
                if meta:
                    mss.append(t)
                    ents.append(ei)
            yield out, mss, ents

    def timestamp_of(self, key):
        t2 = key >> self.shift
        t = t2 >> 1
        d = datetime.datetime.fromtimestamp(t // 1000, datetime.timezone.utc)
        s = d.strftime("%Y-%m-%dT%H:%M:%S")
        return s + (".%03dZ" % (t % 1000) if t2 & 1 else "Z")

    # ---------------------------------------------------------------- output

    def manifest(self):
        pos = {}
        mask = (1 << self.shift) - 1
        for k in self.keys:
            pos[k & mask] = k
        attacks = []
        for sc in self.scenarios:
            if sc["kind"] != "attack":
                continue
            ks = sorted(pos[i] for i in sc["idx"])
            h = sc["host"]
            attacks.append({"rule": sc["rule"], "host": h["ip"], "instance": h["instance"],
                            "count": len(ks), "first": self.timestamp_of(ks[0]),
                            "last": self.timestamp_of(ks[-1]), "scenario": sc["label"]})
        return {
            "generator": "build-aux/dh-generate.py",
            "seed": self.args.seed,
            "start": self.args.start,
            "hours": self.args.hours,
            "account_id": ACCOUNT,
            "region": REGION,
            "vpcs": self.vpcs,
            "attacks": attacks,
            "attack_hosts": [sc["host"]["ip"] for sc in self.scenarios if sc["kind"] == "attack"],
            "decoy_hosts": [sc["host"]["ip"] for sc in self.scenarios if sc["kind"] == "decoy"],
            "decoys": [{"host": sc["host"]["ip"], "scenario": sc["label"]}
                       for sc in self.scenarios if sc["kind"] == "decoy"],
            "benign_hosts": [h["ip"] for h in self.benign],
            "events": len(self.keys),
        }


# ---------------------------------------------------------------------- writers

def open_out(path, gz):
    raw = sys.stdout.buffer if path == "-" else open(path, "wb")
    if gz:
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6), raw
    return raw, raw


def close_out(f, raw):
    if f is not raw:
        f.close()
    if raw is not sys.stdout.buffer:
        raw.close()
    else:
        raw.flush()


def write_ndjson(g, path, gz):
    f, raw = open_out(path, gz)
    for out, _, _ in g.lines(meta=False):
        out.append("")
        f.write("\n".join(out).encode())
    close_out(f, raw)


def iso_ms(ms):
    d = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def write_cw_export(g, path, gz):
    f, raw = open_out(path, gz)
    cache = {}
    for out, mss, _ in g.lines():
        buf = []
        for line, ms in zip(out, mss):
            s = ms // 1000
            p = cache.get(s)
            if p is None:
                p = cache[s] = iso_ms(s * 1000)[:-4]
            buf.append("%s%03dZ %s\n" % (p, ms % 1000, line))
        f.write("".join(buf).encode())
    close_out(f, raw)


def cw_events(g):
    """(stream name, timestamp, ingestion time, event id, message) in time order."""
    rng = random.Random("%s/cloudwatch" % g.args.seed)
    streams = ["%s_%s" % (v, g.qlc) for v in g.vpcs]
    entries = g.entries
    seq = 0
    for out, mss, ents in g.lines():
        for line, ms, ei in zip(out, mss, ents):
            seq += 1
            # CloudWatch event ids are 56 decimal digits, increasing with time
            eid = "%d" % (ms * 10 ** 43 + seq * 10 ** 22 + rng.randrange(10 ** 22))
            yield streams[entries[ei][3]], ms, ms + rng.randrange(300, 4000), eid, line


def write_filter_log_events(g, path, gz):
    f, raw = open_out(path, gz)
    f.write(b'{\n    "events": [')
    first = True
    buf = []
    for stream, ts, ing, eid, msg in cw_events(g):
        buf.append('%s\n        {\n            "logStreamName": %s,\n'
                   '            "timestamp": %d,\n            "message": %s,\n'
                   '            "ingestionTime": %d,\n            "eventId": %s\n        }'
                   % ("" if first else ",", J(stream), ts, J(msg), ing, J(eid)))
        first = False
        if len(buf) >= 10000:
            f.write("".join(buf).encode())
            buf = []
    f.write("".join(buf).encode())
    f.write(b'\n    ],\n    "searchedLogStreams": []\n}\n')
    close_out(f, raw)


def write_firehose(g, path, gz):
    f, raw = open_out(path, gz)
    rng = random.Random("%s/firehose" % g.args.seed)
    pending = {}   # stream -> list of events
    limit = {}

    def flush(stream):
        evs = pending.pop(stream)
        doc = {"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": LOG_GROUP,
               "logStream": stream, "subscriptionFilters": [SUBSCRIPTION_FILTER],
               "logEvents": [{"id": eid, "timestamp": ts, "message": msg}
                             for ts, eid, msg in evs]}
        f.write(json.dumps(doc, separators=(",", ":")).encode())

    for stream, ts, _, eid, msg in cw_events(g):
        lst = pending.setdefault(stream, [])
        if not lst:
            limit[stream] = rng.randint(40, 500)
        lst.append((ts, eid, msg))
        if len(lst) >= limit[stream]:
            flush(stream)
    for stream in sorted(pending):
        flush(stream)
    close_out(f, raw)


def write_s3(g, root):
    vpcs = g.vpcs
    open_files = {}
    cur_hour = None

    def close_all():
        for f, raw in open_files.values():
            f.close()
            raw.close()
        open_files.clear()

    for out, mss, ents in g.lines():
        per = {}
        for line, ms, ei in zip(out, mss, ents):
            hour = ms // HOUR
            if hour != cur_hour:
                for k, v in per.items():
                    open_files[k][0].write(("\n".join(v) + "\n").encode())
                per = {}
                close_all()
                cur_hour = hour
            v = g.entries[ei][3]
            lst = per.get(v)
            if lst is None:
                lst = per[v] = []
                if v not in open_files:
                    d = datetime.datetime.fromtimestamp(hour * 3600, datetime.timezone.utc)
                    vpc = vpcs[v]
                    sub = os.path.join(root, "AWSLogs", ACCOUNT, "vpcdnsquerylogs", vpc,
                                       d.strftime("%Y"), d.strftime("%m"), d.strftime("%d"))
                    os.makedirs(sub, exist_ok=True)
                    tag = hashlib.md5(("%s/%s/%d" % (g.args.seed, vpc, hour)).encode())
                    name = "%s_vpcdnsquerylogs_%s_%s_%s.log.gz" % (
                        vpc, ACCOUNT, d.strftime("%Y%m%dT%H%MZ"), tag.hexdigest()[:8])
                    raw = open(os.path.join(sub, name), "wb")
                    open_files[v] = (gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                   mtime=0, compresslevel=6), raw)
            lst.append(line)
        for k, v in per.items():
            open_files[k][0].write(("\n".join(v) + "\n").encode())
    close_all()


# ------------------------------------------------------------------------ main

def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Generate deterministic synthetic Route 53 Resolver query logs with the "
                    "ten DNS Hunt attacks injected among benign traffic and decoys.")
    p.add_argument("--events", type=int, default=5000,
                   help="total events, approximately (benign traffic fills up to N)")
    p.add_argument("--hosts", type=int, default=12, help="benign hosts (default 12)")
    p.add_argument("--start", default="2026-03-02T08:00:00Z", help="start time, ISO 8601 UTC")
    p.add_argument("--hours", type=float, default=6.0, help="time span in hours (>= 0.5)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--shape", default="ndjson",
                   choices=("ndjson", "s3", "cw-export", "filter-log-events", "firehose"))
    p.add_argument("--gzip", action="store_true", help="gzip the output (s3 always is)")
    p.add_argument("--no-attacks", action="store_true",
                   help="leave out the attacker hosts (benign traffic and decoys only)")
    p.add_argument("-o", "--output", required=True,
                   help="output file, '-' for standard output; a directory for --shape s3")
    p.add_argument("--manifest", help="write the expected attacks and host lists here (JSON)")
    a = p.parse_args(argv)
    if a.hours < 0.5:
        p.error("--hours must be at least 0.5 (the burst scenarios last up to 15 minutes)")
    if a.hosts < 1 or a.events < 0:
        p.error("--hosts must be >= 1 and --events >= 0")
    if a.shape == "s3" and a.output == "-":
        p.error("--shape s3 needs a directory for -o")
    try:
        s = a.start.replace("Z", "+00:00")
        d = datetime.datetime.fromisoformat(s)
        if d.tzinfo is None:
            d = d.replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        p.error("--start: not an ISO 8601 time: %s" % a.start)
    a.start_ms = int(round(d.timestamp() * 1000))
    return a


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    g = Gen(a)
    g.build()
    g.sort()
    if a.shape == "ndjson":
        write_ndjson(g, a.output, a.gzip)
    elif a.shape == "cw-export":
        write_cw_export(g, a.output, a.gzip)
    elif a.shape == "filter-log-events":
        write_filter_log_events(g, a.output, a.gzip)
    elif a.shape == "firehose":
        write_firehose(g, a.output, a.gzip)
    else:
        write_s3(g, a.output)
    if a.manifest:
        with open(a.manifest, "w", encoding="ascii") as f:
            json.dump(g.manifest(), f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
