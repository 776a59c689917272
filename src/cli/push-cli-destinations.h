/* push-cli-destinations.h: "audience-push-cli destinations …"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "push-cli-common.h"

G_BEGIN_DECLS

/* The "destinations" command group: add, list, show, export, import, remove. */
int  push_cli_destinations_run  (const char  *path,
                                 int          argc,
                                 char       **argv);

G_END_DECLS
