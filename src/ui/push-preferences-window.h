/* push-preferences-window.h: Preferences, with the accounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-application.h"

G_BEGIN_DECLS

#define PUSH_TYPE_PREFERENCES_WINDOW (push_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PushPreferencesWindow, push_preferences_window,
                      PUSH, PREFERENCES_WINDOW, AdwPreferencesWindow)

PushPreferencesWindow *push_preferences_window_new          (PushApplication       *application,
                                                             GtkWindow             *parent);
/* Presents the account editor for a new account, or for @account. */
void                   push_preferences_window_add_account  (PushPreferencesWindow *self);
void                   push_preferences_window_edit_account (PushPreferencesWindow *self,
                                                             PushAccount           *account);

G_END_DECLS
