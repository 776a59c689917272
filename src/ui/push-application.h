/* push-application.h: the Audience Push application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "marketo-sandbox.h"
#include "push-accounts.h"
#include "push-audiences.h"
#include "push-destinations.h"
#include "push-instance-cache.h"

G_BEGIN_DECLS

typedef struct _PushPreferencesWindow PushPreferencesWindow;

#define PUSH_TYPE_APPLICATION (push_application_get_type ())
G_DECLARE_FINAL_TYPE (PushApplication, push_application, PUSH, APPLICATION, AdwApplication)

PushApplication       *push_application_new                 (void);

/* The accounts of the database opened at startup; NULL when it could not be opened, and
 * push_application_get_store_error() then says why. */
PushAccounts          *push_application_get_accounts        (PushApplication      *self);
const GError          *push_application_get_store_error     (PushApplication      *self);
/* The database and the lists kept in it; all NULL when the database could not be opened. */
PushStore             *push_application_get_store           (PushApplication      *self);
PushDestinations      *push_application_get_destinations    (PushApplication      *self);
PushAudiences         *push_application_get_audiences       (PushApplication      *self);
/* The sandbox's sample audience, copied into the data directory and listed the first time;
 * (transfer none) the list's entry. */
PushAudienceEntry     *push_application_ensure_sample_audience (PushApplication    *self,
                                                              GError            **error);
PushInstanceCache     *push_application_get_instance_cache  (PushApplication      *self);

/* The running in-process sandbox, or NULL. */
MarketoSandbox        *push_application_get_sandbox         (PushApplication      *self);

/* Starts the sandbox (creating the Sandbox account the first time) unless it runs already;
 * concurrent calls share one start. Finishes with the Sandbox account (transfer full). */
void                   push_application_start_sandbox_async  (PushApplication     *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
PushAccount           *push_application_start_sandbox_finish (PushApplication     *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Stops the sandbox if it runs (also done at shutdown). */
void                   push_application_stop_sandbox         (PushApplication     *self);

/* Presents the preferences window (one per application) and returns it. */
PushPreferencesWindow *push_application_present_preferences  (PushApplication     *self);

G_END_DECLS
