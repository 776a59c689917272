/* push-cli-accounts.h: "audience-push-cli accounts …"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "push-cli-common.h"

G_BEGIN_DECLS

/* The "accounts" command group: add, list, test, remove. */
int  push_cli_accounts_run  (const char  *path,
                             int          argc,
                             char       **argv);

G_END_DECLS
