/* push-cli-preview.h: "audience-push-cli preview"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * preview --destination NAME --audience FILE [--full] [--json] [--seed N] [--sample-size N]
 *         [--partition-rule] [--no-save]
 *   What an activation would do to every member, before anything is written: the counts (in
 *   Sample mode the estimates with their confidence intervals), why members are set aside,
 *   the matches by partition, and the activation's forecast. With --json, one JSON object on
 *   stdout with the per-member predictions. Only read calls reach Marketo. Exit status: 0
 *   done; 1 failed (including a destination with errors); 2 wrong usage; 4 cancelled
 *   (SIGINT/SIGTERM).
 */
#pragma once

#include "push-cli-common.h"

G_BEGIN_DECLS

int  push_cli_preview_run  (const char  *path,
                            int          argc,
                            char       **argv);

G_END_DECLS
