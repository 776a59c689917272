/* push-preview-page.h: the Preview page — what an activation would do, before it writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For one destination and one audience file: Sample (the default) or Full, a progress view
 * with Cancel while PushPlanner looks the members up, then the result: what the numbers are
 * (estimates from a sample, with their confidence, or exact predictions), the outcomes as a
 * chart (PushOutcomeChart), the matches by partition, why members are set aside, the
 * activation's forecast, and a table of the members with their predicted outcome and lead,
 * searchable and filtered by outcome. The member chosen in the table is shown beside it
 * (PushMemberDetail): its current Marketo values next to those that would be sent.
 *
 * Signal "closed": the user went back (see push_window_show_subpage()).
 */
#pragma once

#include <adwaita.h>

#include "marketo-client.h"
#include "push-account.h"
#include "push-member-detail.h"
#include "push-outcome-chart.h"
#include "push-preview.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_PREVIEW_PAGE (push_preview_page_get_type ())
G_DECLARE_FINAL_TYPE (PushPreviewPage, push_preview_page, PUSH, PREVIEW_PAGE, AdwBin)

/* A page for @destination (copied) and @audience. Properties: "running" (read-only),
 * "preview" (read-only, nullable). */
GtkWidget        *push_preview_page_new             (PushDestination   *destination,
                                                     GFile             *audience);

/* Where the lookups go: a client of the main thread; or, without one, the page gets a client
 * for @account from the application it runs in (push_connection_client_async()). */
void              push_preview_page_set_client      (PushPreviewPage   *self,
                                                     MarketoClient     *client);
void              push_preview_page_set_account     (PushPreviewPage   *self,
                                                     PushAccount       *account);
/* Where previews are kept (nullable: not kept). */
/* How to read the audience file (default: detected). */
void              push_preview_page_set_audience_format (PushPreviewPage    *self,
                                                     PushAudienceFormat  format,
                                                     char                delimiter);
void              push_preview_page_set_store       (PushPreviewPage   *self,
                                                     PushStore         *store);
/* See push_planner_set_partition_rule(). */
void              push_preview_page_set_partition_rule (PushPreviewPage *self,
                                                     gboolean           partition_rule);
/* Sample mode's seed (default: a fresh one each time). */
void              push_preview_page_set_seed        (PushPreviewPage   *self,
                                                     guint32            seed);

/* Starts a preview in @mode (as the mode buttons and Preview do); cancels one that runs. */
void              push_preview_page_start           (PushPreviewPage   *self,
                                                     PushPreviewMode    mode);
void              push_preview_page_cancel          (PushPreviewPage   *self);
gboolean          push_preview_page_get_running     (PushPreviewPage   *self);
/* Shows @preview (a stored one, say) as the result. */
void              push_preview_page_set_preview     (PushPreviewPage   *self,
                                                     PushPreview       *preview);
PushPreview      *push_preview_page_get_preview     (PushPreviewPage   *self);

/* The parts, for tests. */
PushOutcomeChart *push_preview_page_get_chart       (PushPreviewPage   *self);
PushMemberDetail *push_preview_page_get_detail      (PushPreviewPage   *self);
/* The members the table shows after the search and the outcome filter. */
GListModel       *push_preview_page_get_shown       (PushPreviewPage   *self);
/* Shows only the members with @outcome (-1: all) / matching @text. */
void              push_preview_page_set_filter      (PushPreviewPage   *self,
                                                     int                outcome,
                                                     const char        *text);
/* Selects audience row @row_number in the table (shown in the detail); FALSE when the table
 * does not show it. */
gboolean          push_preview_page_select_row      (PushPreviewPage   *self,
                                                     guint64            row_number);

/* The window's hook: installs "win.preview-destination" on @window_class (a PushWindow), with
 * a "(ss)" parameter: a destination id and an audience file path. It opens this page over
 * the overview and starts a Sample preview. */
void              push_preview_page_install_window_action (GtkWidgetClass *window_class);

G_END_DECLS
