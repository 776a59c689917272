/* push-account-editor.h: adds or edits a Marketo account, with live validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-accounts.h"

G_BEGIN_DECLS

#define PUSH_TYPE_ACCOUNT_EDITOR (push_account_editor_get_type ())
G_DECLARE_FINAL_TYPE (PushAccountEditor, push_account_editor, PUSH, ACCOUNT_EDITOR, AdwBin)

/* @account: NULL to add a new account. Signals: "saved" (PushAccount *), "cancelled". */
GtkWidget    *push_account_editor_new          (PushAccounts      *accounts,
                                                PushAccount       *account);
PushAccounts *push_account_editor_get_accounts (PushAccountEditor *self);
/* The account being edited, or NULL when adding one. */
PushAccount  *push_account_editor_get_account  (PushAccountEditor *self);

G_END_DECLS
