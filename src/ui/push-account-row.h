/* push-account-row.h: one account in the overview, with its "Test connection" action
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "push-account.h"

G_BEGIN_DECLS

#define PUSH_TYPE_ACCOUNT_ROW (push_account_row_get_type ())
G_DECLARE_FINAL_TYPE (PushAccountRow, push_account_row, PUSH, ACCOUNT_ROW, GtkListBoxRow)

GtkWidget   *push_account_row_new             (PushAccount    *account);
PushAccount *push_account_row_get_account     (PushAccountRow *self);
/* Runs "Test connection" and shows its outcome under the row. */
void         push_account_row_test_connection (PushAccountRow *self);

G_END_DECLS
