/* dh-event-store.h: the compact store of query-log events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-types.h"
#include "dh-str-pool.h"

G_BEGIN_DECLS

/* One record of a Route 53 Resolver query log, 40 bytes. Strings are ids in
 * the store's pool; small enumerations are ids in its atom tables. */
typedef struct
{
  gint64  time;       /* query_timestamp, µs since the epoch, UTC */
  guint32 name;       /* query_name as logged */
  guint32 host;       /* srcaddr */
  guint32 srcid;      /* srcids.instance or srcids.resolver_endpoint, or DH_STR_EMPTY */
  guint32 origin;     /* index into the origin table (account, region, VPC, ...) */
  guint32 answers;    /* index of the first answer */
  guint16 n_answers;
  guint16 qtype;      /* DhQtype or a later atom */
  guint16 srcport;
  guint8  rcode;      /* DhRcode or a later atom */
  guint8  qclass;     /* DhQclass or a later atom */
  guint8  transport;  /* DhTransport or a later atom */
  guint8  flags;      /* DhEventFlags */
} DhEvent;

typedef struct
{
  guint32 rdata;
  guint16 type;       /* qtype atom */
  guint8  qclass;     /* qclass atom */
  guint8  reserved;
} DhAnswer;

typedef struct
{
  guint32 account;
  guint32 region;
  guint32 vpc;
  guint32 version;
  guint32 interface;  /* srcids.resolver_network_interface */
} DhOrigin;

typedef struct
{
  guint32 event;
  guint32 action;
  guint32 group;
  guint32 domain_list;
} DhFirewall;

typedef struct
{
  char    *name;
  guint32  first_event;
  guint32  n_events;
  guint64  n_rejected;
  guint64  n_lines;
} DhSource;

typedef enum {
  DH_ATOMS_QTYPE,
  DH_ATOMS_RCODE,
  DH_ATOMS_QCLASS,
  DH_ATOMS_TRANSPORT,
  DH_N_ATOMS,
} DhAtomKind;

/* A text slice, as parsers find fields in a line. */
typedef struct
{
  const char *str;
  gsize       len;
} DhSlice;

typedef struct
{
  DhSlice rdata;
  DhSlice type;
  DhSlice qclass;
} DhRecordAnswer;

/* A parsed record before it enters the store. Slices point into the parser's
 * buffer; the store copies what it keeps. */
typedef struct
{
  gint64          time;
  DhSlice         version;
  DhSlice         account_id;
  DhSlice         region;
  DhSlice         vpc_id;
  DhSlice         query_name;
  DhSlice         query_type;
  DhSlice         query_class;
  DhSlice         rcode;
  DhSlice         srcaddr;
  DhSlice         srcport;
  DhSlice         transport;
  DhSlice         instance;
  DhSlice         resolver_endpoint;
  DhSlice         resolver_interface;
  DhSlice         firewall_group;
  DhSlice         firewall_action;
  DhSlice         firewall_domain_list;
  guint           n_answers;
  DhRecordAnswer *answers;
} DhRecord;

DhEventStore     *dh_event_store_new            (void);
DhEventStore     *dh_event_store_ref            (DhEventStore    *store);
void              dh_event_store_unref          (DhEventStore    *store);
guint             dh_event_store_begin_source   (DhEventStore    *store,
                                                 const char      *name);
void              dh_event_store_end_source     (DhEventStore    *store);
void              dh_event_store_add            (DhEventStore    *store,
                                                 const DhRecord  *record);
void              dh_event_store_count_rejected (DhEventStore    *store);
guint             dh_event_store_get_n_events   (DhEventStore    *store);
const DhEvent    *dh_event_store_get_events     (DhEventStore    *store);
const DhEvent    *dh_event_store_get_event      (DhEventStore    *store,
                                                 guint            index);
const DhAnswer   *dh_event_store_get_answers    (DhEventStore    *store,
                                                 const DhEvent   *event);
const DhOrigin   *dh_event_store_get_origin     (DhEventStore    *store,
                                                 guint32          origin);
const DhFirewall *dh_event_store_get_firewall   (DhEventStore    *store,
                                                 guint            index);
const char       *dh_event_store_get_string     (DhEventStore    *store,
                                                 guint32          id);
DhStrPool        *dh_event_store_get_pool       (DhEventStore    *store);
const char       *dh_event_store_get_atom       (DhEventStore    *store,
                                                 DhAtomKind       kind,
                                                 guint            atom);
gboolean          dh_event_store_lookup_atom    (DhEventStore    *store,
                                                 DhAtomKind       kind,
                                                 const char      *text,
                                                 guint           *atom);
guint             dh_event_store_get_n_sources  (DhEventStore    *store);
const DhSource   *dh_event_store_get_source     (DhEventStore    *store,
                                                 guint            index);
guint64           dh_event_store_get_n_rejected (DhEventStore    *store);
gboolean          dh_event_store_get_time_span  (DhEventStore    *store,
                                                 gint64          *first,
                                                 gint64          *last);
gsize             dh_event_store_get_memory     (DhEventStore    *store);

typedef struct _DhStoreRemap DhStoreRemap;

DhStoreRemap     *dh_store_remap_new            (DhEventStore    *dst,
                                                 DhEventStore    *src);
void              dh_store_remap_free           (DhStoreRemap    *remap);
void              dh_event_store_merge          (DhEventStore    *dst,
                                                 DhEventStore    *src,
                                                 DhStoreRemap    *remap,
                                                 guint            from,
                                                 guint            to);

DhEventStore     *dh_event_store_compact        (DhEventStore    *src,
                                                 gint64           cutoff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhEventStore, dh_event_store_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhStoreRemap, dh_store_remap_free)

G_END_DECLS
