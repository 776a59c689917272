/* push-cli-activate.h: "audience-push-cli activate" and "audience-push-cli runs"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * activate --destination NAME --audience FILE [--json] [--yes] [--list-folder ID]
 * activate --resume RUN_ID [--audience FILE] [--json] [--yes]
 *   Exit status: 0 completed; 3 completed, but members were rejected by Marketo or set aside;
 *   4 paused (daily quota) or cancelled (SIGINT/SIGTERM), or not started because the forecast
 *   needs more calls than remain today and nobody confirmed: resumable, or run again with
 *   --yes; 1 failed (including a pre-flight check with errors); 2 wrong usage.
 *
 * runs list [--json] | runs show RUN_ID [--json] | runs export RUN_ID --output FILE
 */
#pragma once

#include "push-cli-common.h"

G_BEGIN_DECLS

/* The exit statuses beyond push-cli-common.h's. */
#define PUSH_CLI_EXIT_COMPLETED_WITH_REJECTIONS 3
#define PUSH_CLI_EXIT_RESUMABLE                 4

int  push_cli_activate_run  (const char  *path,
                             int          argc,
                             char       **argv);
int  push_cli_runs_run      (const char  *path,
                             int          argc,
                             char       **argv);

G_END_DECLS
