/* push-accounts-view.h: the accounts overview page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-accounts.h"

G_BEGIN_DECLS

#define PUSH_TYPE_ACCOUNTS_VIEW (push_accounts_view_get_type ())
G_DECLARE_FINAL_TYPE (PushAccountsView, push_accounts_view, PUSH, ACCOUNTS_VIEW, AdwBin)

PushAccounts *push_accounts_view_get_accounts (PushAccountsView *self);
void          push_accounts_view_set_accounts (PushAccountsView *self,
                                               PushAccounts     *accounts);

G_END_DECLS
