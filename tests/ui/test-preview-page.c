/* test-preview-page.c: the Preview page, its chart and its member detail, on Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real widgets on the display tests/run-headless.sh provides, the real planner and client
 * against the in-process sandbox on 127.0.0.1. The chart is drawn in the light and the dark
 * style (AdwStyleManager color-scheme) and checked pixel by pixel for contrast against the
 * page; screenshots go to the test log directory. The window's hook is driven through the
 * running application with its own Sandbox account (keyring included).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "marketo-client.h"
#include "marketo-sandbox.h"
#include "push-preview-page.h"
#include "push-window.h"
#include "test-utils.h"
#include "ui-test-utils.h"

#define SEED       11
#define LEAD_COUNT 1200

/* The system data directories (icons, MIME types), which the isolated test directories hide. */
static char *system_data_dirs;

typedef struct {
  MarketoSandbox  *sandbox;
  MarketoClient   *client;
  PushDestination *destination;
  char            *tmpdir;
  char            *audience;
  guint64          changed_row;    /* a member whose first name would change */
  guint64          unchanged_row;  /* a member whose values are Marketo's already */
  guint64          new_row;        /* a member who would be created */
  guint64          twin_row;       /* two leads have its e-mail */
} Fixture;

static char *
lead_string (JsonObject *lead,
             const char *field)
{
  JsonNode *node = json_object_get_member (lead, field);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (json_node_get_string (node));
}

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("Email,First Name,Last Name,Value\n");
  g_autoptr(MarketoPacer) pacer = marketo_pacer_new ();
  g_autofree char *endpoint = NULL;
  guint64 row = 0;
  PushMapping *mapping;

  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
  f->sandbox = marketo_sandbox_new ();
  g_object_set (f->sandbox, "seed", (guint64) SEED, "lead-count", (guint) LEAD_COUNT,
                "window-seconds", 2.0, NULL);
  g_assert_true (marketo_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = marketo_sandbox_dup_endpoint (f->sandbox);
  f->client = marketo_client_new (endpoint, marketo_sandbox_get_client_id (f->sandbox),
                                  marketo_sandbox_get_client_secret (f->sandbox), &error);
  g_assert_no_error (error);
  marketo_pacer_set_limits (pacer, 90, 2.0, 5);
  marketo_client_set_pacer (f->client, pacer);

  f->destination = push_destination_new ();
  push_destination_set_name (f->destination, "Loyalty update");
  /* Not stored: any account id will do for the check. */
  push_destination_set_account_id (f->destination, "5f0c7a5e-2a58-4d55-9d3c-6c4f8f1e0a11");
  push_destination_set_sync_type (f->destination, PUSH_SYNC_TYPE_PROFILE_ONLY);
  push_destination_set_person_action (f->destination, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  push_destination_set_list_target_kind (f->destination, PUSH_LIST_TARGET_NONE);
  push_destination_set_dedupe_field (f->destination, "email");
  mapping = push_destination_get_mapping (f->destination);
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_set_identity_field (mapping, "email");
  push_mapping_add_row (mapping, "First Name", "firstName");
  push_mapping_add_row (mapping, "Last Name", "lastName");
  push_mapping_add_row (mapping, "Value", "lifetimeValue");

  /* Seeded leads: every third keeps Marketo's values, the others get a new first name. */
  for (guint n = 1; n <= 600; n++)
    {
      g_autoptr(GPtrArray) leads = NULL;
      g_autofree char *email = marketo_sandbox_seed_email (SEED, n);
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      g_autofree char *value = NULL;
      JsonObject *lead;

      leads = marketo_sandbox_find_leads (f->sandbox, "email", email);
      g_assert_cmpuint (leads->len, ==, 1);
      lead = g_ptr_array_index (leads, 0);
      first = lead_string (lead, "firstName");
      last = lead_string (lead, "lastName");
      value = lead_string (lead, "lifetimeValue");
      row++;
      if (n % 3 == 0)
        {
          g_string_append_printf (csv, "%s,%s,%s,%s\n", email, first, last, value);
          if (f->unchanged_row == 0)
            f->unchanged_row = row;
        }
      else
        {
          g_string_append_printf (csv, "%s,Renamed%u,%s,%s\n", email, n, last, value);
          if (f->changed_row == 0)
            f->changed_row = row;
        }
      if (n == 10)
        {
          g_autofree char *twin = marketo_sandbox_seed_email (SEED, 1000);

          g_string_append (csv, ",Nobody,Here,1\n");
          g_string_append (csv, "someone@example.com,Bad,Value,plenty\n");
          g_string_append_printf (csv, "%s,Twin,Person,2\n", twin);
          row += 3;
          f->twin_row = row;
        }
    }
  for (guint i = 0; i < 300; i++)
    {
      g_string_append_printf (csv, "new.%u@preview.example.com,New,Person%u,%u.5\n", i, i, i);
      if (f->new_row == 0)
        f->new_row = row + 1;
      row++;
    }
  /* The changed member again, later: its first row is a duplicate. */
  {
    g_autofree char *email = marketo_sandbox_seed_email (SEED, 1);

    g_string_append_printf (csv, "%s,Renamed1,Again,1\n", email);
    f->changed_row = 2;  /* lead 2: changed, and not repeated */
  }

  f->tmpdir = push_test_make_tmpdir ();
  f->audience = g_build_filename (f->tmpdir, "loyalty.csv", NULL);
  g_file_set_contents (f->audience, csv->str, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f)
{
  marketo_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->client);
  g_clear_object (&f->destination);
  push_test_rm_rf (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->audience, g_free);
}

static PushPreviewPage *
present_page (Fixture    *f,
              GtkWindow **out_window)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->audience);
  GtkWidget *window = adw_window_new ();
  GtkWidget *page = push_preview_page_new (f->destination, file);

  push_preview_page_set_client (PUSH_PREVIEW_PAGE (page), f->client);
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 820);
  gtk_window_present (GTK_WINDOW (window));
  push_ui_test_wait_until (gtk_widget_get_mapped (page));
  *out_window = GTK_WINDOW (window);
  return PUSH_PREVIEW_PAGE (page);
}

/* ---- Pixels --------------------------------------------------------------------------- */

typedef struct {
  guchar *pixels;
  gsize   stride;
  int     width;
  int     height;
} Picture;

static void
picture_clear (Picture *picture)
{
  g_clear_pointer (&picture->pixels, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Picture, picture_clear)

/* The window as it is drawn now. */
static void
render_window (GtkWindow *window,
               Picture   *picture)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  picture->width = gtk_widget_get_width (widget);
  picture->height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), picture->width, picture->height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, picture->width,
                                                              picture->height));
  picture->stride = picture->width * 4;
  picture->pixels = g_malloc (picture->stride * picture->height);
  gdk_texture_download (texture, picture->pixels, picture->stride);
}

/* Relative luminance (WCAG) of the pixel at x, y (cairo's ARGB32, opaque here). */
static double
luminance_at (const Picture *picture,
              int            x,
              int            y)
{
  const guchar *p = picture->pixels + y * picture->stride + x * 4;
  double rgb[3] = { p[2] / 255.0, p[1] / 255.0, p[0] / 255.0 };

  for (guint i = 0; i < 3; i++)
    rgb[i] = rgb[i] <= 0.03928 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

static double
contrast (double a,
          double b)
{
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}

/* Draws the page in @scheme and checks that every bar stands out from the page; returns the
 * page's luminance and the first bar's colour. */
static double
check_style (GtkWindow         *window,
             PushOutcomeChart  *chart,
             AdwColorScheme     scheme,
             const char        *screenshot,
             GdkRGBA           *first_color)
{
  g_auto(Picture) picture = { 0 };
  double page_luminance = -1;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  push_ui_test_spin (300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (chart));
  push_ui_test_screenshot (GTK_WIDGET (window), screenshot);
  render_window (window, &picture);

  for (guint i = 0; i < push_outcome_chart_get_n_bars (chart); i++)
    {
      graphene_rect_t area;
      GdkRGBA color;
      double bx, by, gx, gy, count;
      double bar, gap, ratio;

      push_outcome_chart_get_bar (chart, i, &count, NULL, NULL);
      g_assert_true (push_outcome_chart_get_bar_area (chart, i, &area, &color));
      if (i == 0)
        *first_color = color;
      if (count == 0)
        continue;
      /* The bar's middle, and the gap just above the row (the page itself). */
      g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (chart), GTK_WIDGET (window),
                                                       area.origin.x,
                                                       area.origin.y + area.size.height / 2,
                                                       &bx, &by));
      g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (chart), GTK_WIDGET (window),
                                                       area.origin.x + 1, area.origin.y - 6,
                                                       &gx, &gy));
      gap = luminance_at (&picture, (int) gx, (int) gy);
      /* The bar's most distinct pixel along its middle line (its ends are rounded). */
      bar = gap;
      for (int x = (int) bx; x < (int) (bx + area.size.width) && x < picture.width; x++)
        if (contrast (luminance_at (&picture, x, (int) by), gap) > contrast (bar, gap))
          bar = luminance_at (&picture, x, (int) by);
      page_luminance = gap;
      ratio = contrast (bar, gap);
      g_test_message ("bar %u (%s): contrast %.2f against the page", i,
                      push_outcome_get_label (push_outcome_chart_get_bar (chart, i, NULL, NULL,
                                                                          NULL)), ratio);
      /* Clearly apart from the page; the main colours (accent, success, error) at 3:1, the
       * non-text contrast WCAG asks for. */
      g_assert_cmpfloat (ratio, >=, 1.4);
      if (i == 0)
        g_assert_cmpfloat (ratio, >=, 3.0);
    }
  return page_luminance;
}

/* ---- Tests ---------------------------------------------------------------------------- */

static void
test_full (void)
{
  Fixture f = { 0 };
  GtkWindow *window = NULL;
  PushPreviewPage *page;
  PushPreview *preview;
  PushOutcomeChart *chart;
  PushMemberDetail *detail;
  const PushRunCounts *counts;
  GtkWidget *label;
  GdkRGBA light_color, dark_color;
  double light, dark;
  guint n_changed;

  fixture_set_up (&f);
  page = present_page (&f, &window);

  push_preview_page_start (page, PUSH_PREVIEW_MODE_FULL);
  g_assert_true (push_preview_page_get_running (page));
  push_ui_test_wait_until (!push_preview_page_get_running (page));
  preview = push_preview_page_get_preview (page);
  g_assert_nonnull (preview);
  g_assert_false (push_preview_is_estimate (preview));
  counts = push_preview_get_counts (preview);
  g_assert_cmpuint (counts->members, ==, 904);
  g_assert_cmpuint (counts->updated, ==, 600);
  g_assert_cmpuint (counts->created, ==, 300);
  g_assert_cmpuint (counts->rejected, ==, 1);
  g_assert_cmpuint (counts->set_aside, ==, 2);
  g_assert_cmpuint (counts->duplicates, ==, 1);

  /* The chart: a bar per outcome the destination can give, with the preview's numbers. */
  chart = push_preview_page_get_chart (page);
  g_assert_cmpuint (push_outcome_chart_get_n_bars (chart), ==, 5);
  for (guint i = 0; i < push_outcome_chart_get_n_bars (chart); i++)
    {
      double count, low, high;
      PushOutcome outcome = push_outcome_chart_get_bar (chart, i, &count, &low, &high);
      guint64 expected = outcome == PUSH_OUTCOME_UPDATED ? 600 :
                         outcome == PUSH_OUTCOME_CREATED ? 300 :
                         outcome == PUSH_OUTCOME_REJECTED ? 1 :
                         outcome == PUSH_OUTCOME_SET_ASIDE ? 2 :
                         outcome == PUSH_OUTCOME_DUPLICATE ? 1 : G_MAXUINT64;

      g_assert_cmpfloat (count, ==, (double) expected);
      g_assert_cmpfloat (low, ==, high);
    }
  g_assert_nonnull (strstr (push_outcome_chart_get_description (chart), "Updated: 600"));

  /* The table: every member; filtered by outcome; searched. */
  g_assert_cmpuint (g_list_model_get_n_items (push_preview_page_get_shown (page)), ==, 904);
  push_preview_page_set_filter (page, PUSH_OUTCOME_CREATED, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (push_preview_page_get_shown (page)), ==, 300);
  push_preview_page_set_filter (page, PUSH_OUTCOME_CREATED, "new.12");
  /* new.12@, new.120@ … new.129@ */
  g_assert_cmpuint (g_list_model_get_n_items (push_preview_page_get_shown (page)), ==, 11);
  push_preview_page_set_filter (page, PUSH_OUTCOME_REJECTED, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (push_preview_page_get_shown (page)), ==, 1);
  push_preview_page_set_filter (page, -1, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (push_preview_page_get_shown (page)), ==, 904);

  /* A member whose first name would change: highlighted, the rest not. */
  detail = push_preview_page_get_detail (page);
  g_assert_true (push_preview_page_select_row (page, f.changed_row));
  g_assert_nonnull (push_member_detail_get_member (detail));
  g_assert_cmpuint (push_member_detail_get_n_changed (detail), ==, 1);
  g_assert_true (push_member_detail_is_changed (detail, "firstName"));
  g_assert_false (push_member_detail_is_changed (detail, "email"));
  g_assert_false (push_member_detail_is_changed (detail, "lifetimeValue"));
  label = push_member_detail_get_value_label (detail, "firstName", TRUE);
  g_assert_true (gtk_widget_has_css_class (label, "changed"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Renamed2");
  label = push_member_detail_get_value_label (detail, "firstName", FALSE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "Renamed2");
  g_assert_false (gtk_widget_has_css_class (push_member_detail_get_value_label (detail, "lastName",
                                                                               TRUE),
                                            "changed"));
  push_ui_test_screenshot (GTK_WIDGET (window), "preview-member-detail-changed.png");

  /* One whose values are Marketo's already. */
  g_assert_true (push_preview_page_select_row (page, f.unchanged_row));
  g_assert_cmpuint (push_member_detail_get_n_changed (detail), ==, 0);

  /* A new person: everything sent is new. */
  g_assert_true (push_preview_page_select_row (page, f.new_row));
  n_changed = push_member_detail_get_n_changed (detail);
  g_assert_cmpuint (n_changed, ==, 4);

  /* The twins: rejected with 1007, both ids in the table's lead column. */
  g_assert_true (push_preview_page_select_row (page, f.twin_row));
  g_assert_cmpint (push_preview_member_get_outcome (push_member_detail_get_member (detail)), ==,
                   PUSH_OUTCOME_REJECTED);
  g_assert_nonnull (strstr (push_preview_member_get_lead_text (push_member_detail_get_member (detail)),
                            "also"));

  /* Readable in both styles; the colours come from the theme. */
  g_assert_true (push_preview_page_select_row (page, f.changed_row));
  light = check_style (window, chart, ADW_COLOR_SCHEME_FORCE_LIGHT, "preview-page-light.png",
                       &light_color);
  dark = check_style (window, chart, ADW_COLOR_SCHEME_FORCE_DARK, "preview-page-dark.png",
                      &dark_color);
  g_test_message ("page luminance: light %.3f, dark %.3f", light, dark);
  g_assert_cmpfloat (light, >, 0.7);
  g_assert_cmpfloat (dark, <, 0.1);
  g_assert_false (gdk_rgba_equal (&light_color, &dark_color));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (window);
  fixture_tear_down (&f);
}

static void
test_sample (void)
{
  Fixture f = { 0 };
  GtkWindow *window = NULL;
  PushPreviewPage *page;
  PushPreview *preview;
  PushOutcomeChart *chart;
  gboolean has_interval = FALSE;

  fixture_set_up (&f);
  page = present_page (&f, &window);
  push_preview_page_set_seed (page, 4242);

  push_preview_page_start (page, PUSH_PREVIEW_MODE_SAMPLE);
  push_ui_test_wait_until (!push_preview_page_get_running (page));
  preview = push_preview_page_get_preview (page);
  g_assert_nonnull (preview);
  g_assert_true (push_preview_is_estimate (preview));
  /* 901 members sent: 2400.91 / (1 + 2399.91 / 901) = 655.2 -> 656 */
  g_assert_cmpuint (push_preview_get_n_looked_up (preview), ==, 656);
  g_assert_cmpuint (g_list_model_get_n_items (push_preview_page_get_shown (page)), ==, 656 + 3);

  chart = push_preview_page_get_chart (page);
  /* The outcomes a Create or update profile sync can give, and no others. */
  g_assert_cmpuint (push_outcome_chart_get_n_bars (chart), ==, 5);
  for (guint i = 0; i < push_outcome_chart_get_n_bars (chart); i++)
    {
      double count, low, high;
      PushOutcome outcome = push_outcome_chart_get_bar (chart, i, &count, &low, &high);

      g_assert_cmpfloat (low, <=, count);
      g_assert_cmpfloat (count, <=, high);
      if (outcome == PUSH_OUTCOME_UPDATED)
        {
          /* The truth, 600, is inside. */
          g_assert_cmpfloat (low, <=, 600);
          g_assert_cmpfloat (high, >=, 600);
          has_interval = low < high;
        }
      if (outcome == PUSH_OUTCOME_SET_ASIDE)
        g_assert_cmpfloat (low, ==, high);
    }
  g_assert_true (has_interval);
  g_assert_nonnull (strstr (push_outcome_chart_get_description (chart), "about"));
  push_ui_test_screenshot (GTK_WIDGET (window), "preview-page-sample.png");

  gtk_window_destroy (window);
  fixture_tear_down (&f);
}

/* ---- The window's hook, in the running application ------------------------------------ */

typedef struct {
  PushApplication *app;
  gboolean         done;
  PushAccount     *account;
} SandboxStart;

static void
sandbox_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SandboxStart *start = user_data;
  g_autoptr(GError) error = NULL;

  start->account = push_application_start_sandbox_finish (PUSH_APPLICATION (source), result,
                                                          &error);
  g_assert_no_error (error);
  start->done = TRUE;
}

static void
window_hook (PushApplication *app,
             gpointer         data)
{
  GtkWidget *window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  SandboxStart start = { app, FALSE, NULL };
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(GString) csv = g_string_new ("email\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = push_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "hook.csv", NULL);
  MarketoSandbox *sandbox;
  GtkWidget *subpage;
  PushPreview *preview;
  guint64 seed = 0;

  push_application_start_sandbox_async (app, NULL, sandbox_started_cb, &start);
  push_ui_test_wait_until (start.done);
  sandbox = push_application_get_sandbox (app);
  g_object_get (sandbox, "seed", &seed, NULL);

  push_destination_set_name (destination, "Hook");
  push_destination_set_account_id (destination, push_account_get_id (start.account));
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_ONLY);
  push_destination_set_existing_list (destination, 1188, "Newsletter Subscribers");
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
  push_destination_set_dedupe_field (destination, "email");
  push_mapping_set_identity_column (push_destination_get_mapping (destination), "email");
  push_mapping_set_identity_field (push_destination_get_mapping (destination), "email");
  g_assert_true (push_destinations_add (push_application_get_destinations (app), destination,
                                        &error));
  g_assert_no_error (error);
  for (guint n = 1; n <= 40; n++)
    {
      g_autofree char *email = marketo_sandbox_seed_email (seed, n);

      g_string_append_printf (csv, "%s\n", email);
    }
  g_string_append (csv, "nobody.at.all@preview.example.com\n");
  g_file_set_contents (path, csv->str, -1, &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (window, "win.preview-destination", "(ss)",
                                             push_destination_get_id (destination), path));
  push_ui_test_wait_until (PUSH_IS_PREVIEW_PAGE (push_window_get_subpage (PUSH_WINDOW (window))));
  subpage = push_window_get_subpage (PUSH_WINDOW (window));
  push_ui_test_wait_until (!push_preview_page_get_running (PUSH_PREVIEW_PAGE (subpage)) &&
                           push_preview_page_get_preview (PUSH_PREVIEW_PAGE (subpage)) != NULL);
  preview = push_preview_page_get_preview (PUSH_PREVIEW_PAGE (subpage));
  g_assert_cmpint (push_preview_get_mode (preview), ==, PUSH_PREVIEW_MODE_SAMPLE);
  g_assert_cmpuint (push_preview_get_n_members (preview), ==, 41);
  /* 41 members: the sample is all of them, so nothing is an estimate. */
  g_assert_false (push_preview_is_estimate (preview));
  g_assert_cmpuint (push_preview_get_counts (preview)->not_found, ==, 1);
  g_assert_cmpuint (push_preview_get_counts (preview)->added, ==, 40);
  /* Kept in the application's database. */
  g_assert_nonnull (push_preview_get_id (preview));
  push_ui_test_screenshot (window, "preview-window-hook.png");

  /* Back closes it. */
  push_ui_test_click (push_ui_test_get (subpage, GTK_TYPE_BUTTON, "back_button"));
  push_ui_test_wait_until (push_window_get_subpage (PUSH_WINDOW (window)) == NULL);

  /* Closed another way (here: another page shown) while it connects, it stops: no API calls
   * for a page nobody sees, and no preview arriving later. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_assert_true (gtk_widget_activate_action (window, "win.preview-destination", "(ss)",
                                             push_destination_get_id (destination), path));
  subpage = g_object_ref (push_window_get_subpage (PUSH_WINDOW (window)));
  g_assert_true (PUSH_IS_PREVIEW_PAGE (subpage));
  g_assert_true (push_preview_page_get_running (PUSH_PREVIEW_PAGE (subpage)));
  push_window_show_page (PUSH_WINDOW (window), "destinations");
  g_assert_null (push_window_get_subpage (PUSH_WINDOW (window)));
  g_assert_false (push_preview_page_get_running (PUSH_PREVIEW_PAGE (subpage)));
  push_ui_test_spin (500);
  g_assert_null (push_preview_page_get_preview (PUSH_PREVIEW_PAGE (subpage)));
  g_object_unref (subpage);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  g_clear_object (&start.account);
  push_test_rm_rf (tmpdir);
}

static void
test_window_hook (void)
{
  if (!push_test_require_keyring ())
    return;
  push_ui_test_run_app (window_hook, NULL);
}

int
main (int   argc,
      char *argv[])
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");

  system_data_dirs = g_strdup (data_dirs != NULL && *data_dirs != '\0' ?
                               data_dirs : "/usr/local/share:/usr/share");
  if (!push_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/preview-page/full", test_full);
  g_test_add_func ("/preview-page/sample", test_sample);
  g_test_add_func ("/preview-page/window-hook", test_window_hook);

  return g_test_run ();
}
