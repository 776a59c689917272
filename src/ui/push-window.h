/* push-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "push-application.h"

G_BEGIN_DECLS

#define PUSH_TYPE_WINDOW (push_window_get_type ())
G_DECLARE_FINAL_TYPE (PushWindow, push_window, PUSH, WINDOW, AdwApplicationWindow)

PushWindow *push_window_new       (PushApplication *application);
/* Shows @message (plain text) in a toast. */
void        push_window_add_toast (PushWindow      *self,
                                   const char      *message);

G_END_DECLS
