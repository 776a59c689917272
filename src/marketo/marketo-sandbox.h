/* marketo-sandbox.h: a simulated Marketo instance served on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton; the sandbox's owner grows it): the functions and properties
 * below are used by the app ("Try with the sandbox") and the CLI. Add freely; change what is
 * here only with everyone.
 *
 * The sandbox serves from a thread of its own with its own GMainContext, so a client may call
 * it from any thread, including one that blocks. Its public API is thread-safe.
 *
 * Properties (all read/write, set before start unless noted):
 *   "client-id", "client-secret"   credentials it accepts (random ones are made if unset)
 *   "seed" (guint64), "lead-count" (guint)  deterministic seeding of the lead database
 *   "state-file" (string, nullable) keep the lead database in this file (NULL: memory only);
 *                                   the file never holds the client secret
 *   "window-seconds" (double, default 20), "window-calls" (guint, default 100)
 *   "max-concurrency" (guint, default 10), "daily-quota" (guint, default 50000)
 *   "token-lifetime" (guint seconds, default 3600)
 *   "latency-base-ms", "latency-per-record-ms" (double, default 0)
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MARKETO_TYPE_SANDBOX (marketo_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (MarketoSandbox, marketo_sandbox, MARKETO, SANDBOX, GObject)

MarketoSandbox *marketo_sandbox_new              (void);

/* Listens on 127.0.0.1:@port (0 = any free port) and starts serving. */
gboolean        marketo_sandbox_start            (MarketoSandbox  *self,
                                                  guint16          port,
                                                  GError         **error);
/* Stops serving; saves the lead database when a state file is set. Safe to call twice. */
void            marketo_sandbox_stop             (MarketoSandbox  *self);

guint16         marketo_sandbox_get_port         (MarketoSandbox  *self);
/* "http://127.0.0.1:PORT" — what an account's endpoint is set to. */
char           *marketo_sandbox_dup_endpoint     (MarketoSandbox  *self);
const char     *marketo_sandbox_get_client_id    (MarketoSandbox  *self);
const char     *marketo_sandbox_get_client_secret (MarketoSandbox *self);

G_END_DECLS
