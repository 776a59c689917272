/* activation-test-common.h: a sandbox, a store, an account and destinations for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "marketo-sandbox.h"
#include "push-account.h"
#include "push-activation.h"
#include "push-destination.h"
#include "push-destinations.h"
#include "push-run-store.h"
#include "push-store.h"

G_BEGIN_DECLS

#define TEST_SEED        42
#define TEST_LEAD_COUNT  2000
#define TEST_FOLDER_ID   12     /* the sandbox's "Audiences" folder */

typedef struct {
  char             *tmpdir;        /* (owned) */
  char             *db_path;       /* (owned) */
  PushStore        *store;         /* (owned) */
  PushRunStore     *runs;          /* (owned) */
  PushDestinations *destinations;  /* (owned) */
  MarketoSandbox   *sandbox;       /* (owned) */
  PushAccount      *account;       /* (owned) as stored */
  gint64            list_id;       /* an existing list made for the test */
} ActFixture;

/* A sandbox seeded with TEST_SEED/TEST_LEAD_COUNT (latency @latency_ms per call), a store in
 * a temporary directory and an account pointing at the sandbox (no keyring: tests give the
 * secret to the activation). */
void             act_fixture_set_up          (ActFixture        *f,
                                              double             latency_ms);
void             act_fixture_tear_down       (ActFixture        *f);

/* A destination saved in the store: identity "Email" -> email, "First Name" -> firstName,
 * "Last Name" -> lastName, "Value" -> lifetimeValue; privacy acknowledged. With a list
 * type: the fixture's list (existing) unless @create_list, then one list per audience named
 * "{audience}" in TEST_FOLDER_ID (see act_activation_new()). */
PushDestination *act_make_destination        (ActFixture        *f,
                                              const char        *name,
                                              PushSyncType       sync_type,
                                              PushPersonAction   action,
                                              gboolean           create_list);

/* An activation with the sandbox's secret, a pacer of its own (window @window_calls per
 * @window_seconds, @in_flight at once, daily quota @daily_quota or 0 for the default), a
 * fast retry policy and the list folder. */
PushActivation  *act_activation_new          (ActFixture        *f,
                                              PushDestination   *destination,
                                              const char        *audience_path,
                                              guint              in_flight,
                                              guint              daily_quota);
PushActivation  *act_activation_resume       (ActFixture        *f,
                                              const char        *run_id,
                                              guint              in_flight);
/* A pacer the way act_activation_new() makes one. */
MarketoPacer    *act_pacer_new               (guint              in_flight,
                                              guint              daily_quota);

/* Writes @text to tmpdir/@name and returns the path. */
char            *act_write_file              (ActFixture        *f,
                                              const char        *name,
                                              const char        *text);
/* The e-mail of seeded lead N (1-based). */
char            *act_seed_email              (guint              n);

/* row number -> PushOutcomeRecord for every outcome of @run_id. */
GHashTable      *act_outcomes_by_row         (ActFixture        *f,
                                              const char        *run_id);
/* Lead ids in the list, as a set (gint64 keys, g_int64_hash). */
GHashTable      *act_list_members            (ActFixture        *f,
                                              gint64             list_id);

G_END_DECLS
