/* marketo-sandbox-private.h: what the sandbox's files share (not installed, not a contract)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "marketo-sandbox.h"

G_BEGIN_DECLS

typedef struct _MarketoSandboxDb MarketoSandboxDb;

/* One REST/Asset/Bulk call, as the routes see it. The server fills the inputs; a route
 * fills exactly one answer: an envelope (reply) or a raw body (raw + raw_type). */
typedef struct {
  /* inputs */
  const char         *method;          /* effective method (GET for POST ...?_method=GET) */
  const char         *path;
  GHashTable         *params;          /* (element-type utf8 utf8) query + form, last wins */
  GPtrArray          *ids;             /* (element-type utf8) every "id" parameter value,
                                        * comma lists split */
  JsonNode           *json;            /* (nullable) the parsed JSON body */
  const char         *content_type;    /* (nullable) media type of the body */
  GBytes             *body;            /* (nullable) */
  SoupMessageHeaders *request_headers;
  gint64              now;             /* sandbox clock, µs since the Unix epoch */
  const char         *request_id;
  const char         *scope;
  guint               calls_today;
  const char         *today;           /* "YYYY-MM-DD" in US Central time */
  gboolean            partition_rule;  /* 1010 for updates across partitions */
  gint64              batch_lifetime;  /* seconds a bulk batch id stays valid */

  /* outputs */
  JsonObject         *reply;           /* (owned) (nullable) the envelope */
  GBytes             *raw;             /* (owned) (nullable) a non-envelope body */
  char               *raw_type;        /* (owned) (nullable) */
  guint               http_status;     /* 200 unless set */
  int                 code;            /* Marketo code of a failed call, else 0 */
  guint               n_input;         /* records / ids / filterValues received */
  guint               n_output;        /* records answered */
  gboolean            changed;         /* the database changed: schedule a save */
} MarketoSandboxCall;

/* marketo-sandbox-routes.c */
JsonObject *_marketo_sandbox_envelope_new   (const char         *request_id,
                                             gboolean            asset);
void        _marketo_sandbox_call_fail      (MarketoSandboxCall *call,
                                             int                 code,
                                             const char         *format,
                                             ...) G_GNUC_PRINTF (3, 4);
void        _marketo_sandbox_call_succeed   (MarketoSandboxCall *call,
                                             JsonArray          *result);
/* Answers the call; 605 and 610 included. */
void        _marketo_sandbox_route          (MarketoSandboxDb   *db,
                                             MarketoSandboxCall *call);
void        _marketo_sandbox_call_clear     (MarketoSandboxCall *call);

G_END_DECLS
