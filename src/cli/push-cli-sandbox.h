/* push-cli-sandbox.h: "audience-push-cli sandbox"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "push-cli-common.h"

G_BEGIN_DECLS

/* Runs a MarketoSandbox in the foreground until SIGINT or SIGTERM. */
int  push_cli_sandbox_run  (const char  *path,
                            int          argc,
                            char       **argv);

G_END_DECLS
