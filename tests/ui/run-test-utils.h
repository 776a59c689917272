/* run-test-utils.h: what the run tests share: the app's sandbox, a destination, an audience
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "push-application.h"
#include "push-destination.h"

G_BEGIN_DECLS

/* Starts the application's own sandbox ("Try with the sandbox": its secret goes to the
 * session's keyring) and waits for it; @latency_ms per call, @per_record_ms per record.
 * Returns the Sandbox account (transfer none). */
PushAccount     *run_test_start_sandbox     (PushApplication *app,
                                             double           latency_ms,
                                             double           per_record_ms);

/* A Profile only / Create or update destination into the account, identity "Email" ->
 * email, "First Name" -> firstName, "Last Name" -> lastName, with @alerts; saved in the
 * application's destinations. */
PushDestination *run_test_add_destination   (PushApplication *app,
                                             PushAccount     *account,
                                             const char      *name,
                                             PushAlertFlags   alerts);

/**
 * RunTestAudience:
 * @n_existing: rows whose e-mail is a seeded lead of the sandbox (updated)
 * @n_new: rows with a new e-mail (created)
 * @n_invalid: rows with an e-mail that is not one (set aside)
 * @n_repeated: rows repeating the e-mail of an earlier new row (duplicates)
 */
typedef struct {
  guint n_existing;
  guint n_new;
  guint n_invalid;
  guint n_repeated;
} RunTestAudience;

/* Writes the audience as @name.csv in the user data directory; returns its path. */
char            *run_test_write_audience    (PushApplication       *app,
                                             const char            *name,
                                             const RunTestAudience *audience);
/* The e-mail of new row @n (0-based), as run_test_write_audience() writes it. */
char            *run_test_new_email         (guint                  n);

G_END_DECLS
