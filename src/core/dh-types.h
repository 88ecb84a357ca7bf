/* dh-types.h: forward typedefs and the enums shared by the core, the CLI and the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DhStrPool    DhStrPool;
typedef struct _DhEventStore DhEventStore;
typedef struct _DhReader     DhReader;
typedef struct _DhRuleBook   DhRuleBook;
typedef struct _DhAlertSet   DhAlertSet;

typedef enum {
  DH_SEVERITY_LOW = 1,
  DH_SEVERITY_MEDIUM,
  DH_SEVERITY_HIGH,
} DhSeverity;

/* The analyst's verdict on an alert (the window sets it; reports show it). */
typedef enum {
  DH_TRIAGE_NEW,
  DH_TRIAGE_INVESTIGATING,
  DH_TRIAGE_BENIGN,
  DH_TRIAGE_ESCALATED,
  DH_N_TRIAGE_STATES,
} DhTriageState;

/* Seeded atoms: the store's atom tables start with these values in this order,
 * so rules can compare against constants. Anything else a log carries is
 * appended after them and keeps its raw text. */
typedef enum {
  DH_RCODE_NOERROR,
  DH_RCODE_NXDOMAIN,
  DH_RCODE_SERVFAIL,
  DH_RCODE_REFUSED,
  DH_RCODE_FORMERR,
  DH_RCODE_NOTIMP,
  DH_RCODE_YXDOMAIN,
  DH_RCODE_NXRRSET,
  DH_RCODE_NOTAUTH,
  DH_RCODE_NOTZONE,
  DH_RCODE_N_SEEDED,
} DhRcode;

typedef enum {
  DH_QTYPE_A,
  DH_QTYPE_AAAA,
  DH_QTYPE_CNAME,
  DH_QTYPE_PTR,
  DH_QTYPE_MX,
  DH_QTYPE_TXT,
  DH_QTYPE_NS,
  DH_QTYPE_SOA,
  DH_QTYPE_SRV,
  DH_QTYPE_NULL,
  DH_QTYPE_ANY,
  DH_QTYPE_AXFR,
  DH_QTYPE_IXFR,
  DH_QTYPE_HTTPS,
  DH_QTYPE_SVCB,
  DH_QTYPE_CAA,
  DH_QTYPE_DS,
  DH_QTYPE_DNSKEY,
  DH_QTYPE_N_SEEDED,
} DhQtype;

typedef enum {
  DH_TRANSPORT_UDP,
  DH_TRANSPORT_TCP,
  DH_TRANSPORT_N_SEEDED,
} DhTransport;

typedef enum {
  DH_QCLASS_IN,
  DH_QCLASS_CH,
  DH_QCLASS_HS,
  DH_QCLASS_N_SEEDED,
} DhQclass;

typedef enum {
  DH_EVENT_SRCID_INSTANCE = 1 << 0,
  DH_EVENT_SRCID_RESOLVER = 1 << 1,
  DH_EVENT_FIREWALL       = 1 << 2,
} DhEventFlags;

G_END_DECLS
