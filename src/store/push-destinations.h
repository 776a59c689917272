/* push-destinations.h: the saved destinations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of PushDestination sorted by name, backed by the store's destinations table
 * (each destination kept as its versioned JSON document, the same format as an export).
 * Writes are small local transactions, so the API is synchronous; use it from the thread
 * that created the list (the UI's main thread, or the CLI). The list holds its own copies:
 * change a destination by passing an edited copy to push_destinations_update().
 */
#pragma once

#include <gio/gio.h>

#include "push-destination.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_DESTINATIONS (push_destinations_get_type ())
G_DECLARE_FINAL_TYPE (PushDestinations, push_destinations, PUSH, DESTINATIONS, GObject)

PushDestinations *push_destinations_new              (PushStore        *store,
                                                      GError          **error);
PushStore        *push_destinations_get_store        (PushDestinations *self);

/* (transfer none) (nullable) Names compare without regard to case. */
PushDestination  *push_destinations_find_by_name     (PushDestinations *self,
                                                      const char       *name);
PushDestination  *push_destinations_find_by_id       (PushDestinations *self,
                                                      const char       *id);
guint             push_destinations_count_for_account (PushDestinations *self,
                                                      const char       *account_id);
/* NULL-terminated names of every destination but @except_id (may be NULL). */
char            **push_destinations_dup_names        (PushDestinations *self,
                                                      const char       *except_id);

/* NULL when @name is usable for a destination other than @except_id, else a translated
 * sentence. */
char             *push_destinations_check_name       (PushDestinations *self,
                                                      const char       *name,
                                                      const char       *except_id);

/* The account must exist; the name must be usable. The list keeps a copy. */
gboolean          push_destinations_add              (PushDestinations *self,
                                                      PushDestination  *destination,
                                                      GError          **error);
gboolean          push_destinations_update           (PushDestinations *self,
                                                      PushDestination  *destination,
                                                      GError          **error);
gboolean          push_destinations_remove           (PushDestinations *self,
                                                      const char       *id,
                                                      GError          **error);

G_END_DECLS
