/* bench-audience.c: how fast the core reads a large audience file, and in how much memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: bench-audience [ROWS]     (default 1,000,000 rows, about 150 MB)
 *
 * Generates a realistic CSV into a temporary directory, then, with the file in the page
 * cache, times (best of 3) `wc -l` on it as a floor reference and the core's sequential read
 * (PushAudienceReader: parsing, UTF-8 checks and the SHA-256 fingerprint, as a preview or a
 * run does), and the same read with every row mapped to its Marketo lead JSON and validated
 * (PushLeadBuilder: the mapping and per-value type checks the validator's scan and the
 * activation use), against the lead schema an in-process sandbox serves through Describe2.
 * That second pass is a run's sending pass: the file was fingerprinted by the first one, so
 * it is only checked for changes (size, mtime), not hashed again.
 * Then times the first pass of the UI's row model and its random access. Peak RSS
 * is the process's high-water mark (VmHWM), which includes every phase. The file is deleted
 * at the end. The last line is machine-readable:
 *   RESULT mb_per_s=<x> rows_per_s=<x> peak_rss_mb=<x> wc_ratio=<x>
 * where mb_per_s and rows_per_s are those of the full read + map + validate pass and
 * wc_ratio = its time / the time of `wc -l` (1.0 would be as fast as wc).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "marketo-client.h"
#include "marketo-sandbox.h"
#include "push-audience.h"
#include "push-lead-builder.h"
#include "push-mapping.h"

#define DEFAULT_ROWS 1000000
#define RUNS         3

static const char * const first_names[] = {
  "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
  "Åsa", "Jürgen", "Zoë", "Łukasz", "Søren", "Inés", "Chloé", "Björn", "Nikolaj", "Mei",
};
static const char * const last_names[] = {
  "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson",
  "Allen", "Dijkstra", "Lindqvist", "Müller", "O'Brien", "Kowalski", "Nørgaard", "García",
  "Dubois", "Andersson", "Petersen", "Wang",
};
static const char * const companies[] = {
  "Acme Corp", "\"Globex, Inc.\"", "Initech", "Umbrella Health", "Nordwind Logistik GmbH",
  "\"Stark, Wayne & Partners\"", "Soylent Foods", "Hooli", "Vandelay Industries",
  "Massive Dynamic", "Wonka Confectionery", "\"Bluth \"\"Banana\"\" Stand\"",
};
static const char * const cities[] = {
  "Oslo", "Zürich", "São Paulo", "Kraków", "Lyon", "Austin", "Melbourne", "Osaka", "Göteborg",
  "Toronto", "Cape Town", "Reykjavík", "Dublin", "Milano", "Seattle", "Porto",
};
static const char * const countries[] = {
  "NO", "CH", "BR", "PL", "FR", "US", "AU", "JP", "SE", "CA", "ZA", "IS", "IE", "IT", "US", "PT",
};
static const char * const tiers[] = { "bronze", "silver", "gold", "platinum" };
static const char * const domains[] = {
  "example.com", "example.org", "mail.example.net", "corp.example.co.uk",
};
static const char * const notes[] = {
  "", "", "", "Prefers email", "VIP since 2019", "Asked for a catalogue",
  "\"Moved to new address, update CRM\"", "\"Called twice, no answer\"",
  "\"Said \"\"great service\"\", wants follow-up\"", "\"Allergic to nuts; notes: \"\"see file\"\"\"",
};

static double
now_seconds (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* VmHWM, this image's own high-water mark: getrusage()'s ru_maxrss survives execve(), so
 * under `meson test` it would report the Python parent that forked us. */
static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  struct rusage usage;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "\nVmHWM:")) != NULL)
    return g_ascii_strtoull (line + strlen ("\nVmHWM:"), NULL, 10) / 1024.0;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;   /* KiB on Linux */
}

static guint64
generate (const char *path,
          guint       n_rows)
{
  g_autoptr(GString) chunk = g_string_sized_new (1024 * 1024 + 4096);
  GRand *rand = g_rand_new_with_seed (20240601);
  FILE *out = fopen (path, "wb");
  guint64 size = 0;
  char *ascii_first[G_N_ELEMENTS (first_names)];
  char *ascii_last[G_N_ELEMENTS (last_names)];
  guint i;

  if (out == NULL)
    g_error ("cannot create %s: %s", path, g_strerror (errno));

  /* E-mail addresses are ASCII (Marketo refuses others; a CRM export holds valid ones), so
   * the names are folded for them: "Zoë Nørgaard" → zoe.norgaard42@… */
  for (i = 0; i < G_N_ELEMENTS (first_names); i++)
    {
      g_autofree char *folded = g_str_to_ascii (first_names[i], "C");
      ascii_first[i] = g_ascii_strdown (folded, -1);
    }
  for (i = 0; i < G_N_ELEMENTS (last_names); i++)
    {
      g_autofree char *folded = g_str_to_ascii (last_names[i], "C");
      ascii_last[i] = g_ascii_strdown (folded, -1);
    }

  g_string_append (chunk, "email,first_name,last_name,company,city,country,phone,"
                          "customer_number,loyalty_tier,lifetime_value,last_purchase_date,notes\n");
  for (i = 0; i < n_rows; i++)
    {
      guint first_i = g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names));
      guint last_i = g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names));
      const char *first = first_names[first_i];
      const char *last = last_names[last_i];
      guint city = g_rand_int_range (rand, 0, G_N_ELEMENTS (cities));

      g_string_append_printf (chunk,
                              "%s.%s%u@%s,%s,%s,%s,%s,%s,+%u %03u %04u %04u,CUST-%08u,%s,"
                              "%u.%02u,20%02u-%02u-%02u,%s\n",
                              ascii_first[first_i], ascii_last[last_i], i,
                              domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (domains))],
                              first, last,
                              companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))],
                              cities[city], countries[city],
                              g_rand_int_range (rand, 1, 99), g_rand_int_range (rand, 100, 999),
                              g_rand_int_range (rand, 0, 9999), g_rand_int_range (rand, 0, 9999),
                              i + 10000,
                              tiers[g_rand_int_range (rand, 0, G_N_ELEMENTS (tiers))],
                              g_rand_int_range (rand, 0, 25000), g_rand_int_range (rand, 0, 100),
                              g_rand_int_range (rand, 15, 25), g_rand_int_range (rand, 1, 13),
                              g_rand_int_range (rand, 1, 29),
                              notes[g_rand_int_range (rand, 0, G_N_ELEMENTS (notes))]);
      if (chunk->len >= 1024 * 1024)
        {
          if (fwrite (chunk->str, 1, chunk->len, out) != chunk->len)
            g_error ("cannot write %s: %s", path, g_strerror (errno));
          size += chunk->len;
          g_string_truncate (chunk, 0);
        }
    }
  if (fwrite (chunk->str, 1, chunk->len, out) != chunk->len || fclose (out) != 0)
    g_error ("cannot write %s: %s", path, g_strerror (errno));
  size += chunk->len;

  for (i = 0; i < G_N_ELEMENTS (first_names); i++)
    g_free (ascii_first[i]);
  for (i = 0; i < G_N_ELEMENTS (last_names); i++)
    g_free (ascii_last[i]);
  g_rand_free (rand);
  return size;
}

static double
time_wc (const char *path)
{
  const char *argv[] = { "wc", "-l", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  double start = now_seconds ();
  double elapsed;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("wc -l failed: %s", error->message);
  elapsed = now_seconds () - start;
  return elapsed;
}

typedef struct {
  double  seconds;
  guint64 rows;
  guint64 bad_rows;
  guint64 value_bytes;
  guint64 rejected_rows;   /* map + validate: rows that could not become a lead */
  guint64 issues;          /* map + validate: values left out for not fitting their field */
} ReadResult;

static void
schema_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The lead schema (Describe2) of a freshly seeded sandbox, fetched over HTTP like the app. */
static MarketoLeadSchema *
fetch_schema (void)
{
  g_autoptr(MarketoSandbox) sandbox = marketo_sandbox_new ();
  g_autoptr(MarketoClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  MarketoLeadSchema *schema;

  g_object_set (sandbox, "lead-count", 10, NULL);
  if (!marketo_sandbox_start (sandbox, 0, &error))
    g_error ("sandbox: %s", error->message);
  endpoint = marketo_sandbox_dup_endpoint (sandbox);
  client = marketo_client_new (endpoint, marketo_sandbox_get_client_id (sandbox),
                               marketo_sandbox_get_client_secret (sandbox), &error);
  if (client == NULL)
    g_error ("client: %s", error->message);
  marketo_client_describe_leads2_async (client, NULL, schema_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  schema = marketo_client_describe_leads2_finish (client, result, &error);
  if (schema == NULL)
    g_error ("describe2: %s", error->message);
  marketo_sandbox_stop (sandbox);
  return schema;
}

/* Every column but the free-text notes, as a marketer would map this file. */
static PushMapping *
make_mapping (void)
{
  static const struct { const char *column, *field; } rows[] = {
    { "first_name", "firstName" }, { "last_name", "lastName" }, { "company", "company" },
    { "city", "city" }, { "country", "country" }, { "phone", "phone" },
    { "customer_number", "customerNumber" }, { "loyalty_tier", "loyaltyTier" },
    { "lifetime_value", "lifetimeValue" }, { "last_purchase_date", "lastPurchaseDate" },
  };
  PushMapping *mapping = push_mapping_new ();

  push_mapping_set_identity_column (mapping, "email");
  push_mapping_set_identity_field (mapping, "email");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    push_mapping_add_row (mapping, rows[i].column, rows[i].field);
  return mapping;
}

/* One sequential pass. With @schema, every row is also mapped to its lead JSON and its values
 * checked against the fields' types (map + validate); without, the values are only touched so
 * that the parse can't be optimised away. */
static ReadResult
time_read (const char              *path,
           const MarketoLeadSchema *schema)
{
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(PushLeadBuilder) builder = NULL;
  g_autoptr(PushMapping) mapping = NULL;
  g_autoptr(GString) lead = g_string_sized_new (1024);
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  ReadResult result = { 0 };
  double start = now_seconds ();

  reader = push_audience_reader_new_for_path (path, PUSH_AUDIENCE_FORMAT_AUTO, 0);
  /* The sending pass of a run: its first pass already fingerprinted the file. */
  if (schema != NULL)
    push_audience_reader_set_fingerprint (reader, FALSE);
  if (!push_audience_reader_open (reader, NULL, &error))
    g_error ("open: %s", error->message);

  if (schema != NULL)
    {
      mapping = make_mapping ();
      builder = push_lead_builder_new (mapping, schema,
                                       push_audience_reader_get_columns (reader, NULL),
                                       PUSH_LEAD_BUILDER_NONE, &error);
      if (builder == NULL)
        g_error ("lead builder: %s", error->message);
    }

  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    {
      if (builder != NULL)
        {
          const PushLeadIssue *issues;
          guint n_issues = 0;

          g_string_truncate (lead, 0);
          if (!push_lead_builder_append_lead (builder, row, lead))
            result.rejected_rows++;
          issues = push_lead_builder_get_issues (builder, &n_issues);
          if (n_issues > 0 && result.issues == 0)
            {
              g_autofree char *what = push_lead_issue_describe (&issues[0], row->number);
              g_printerr ("first value that does not fit its field: %s\n", what);
            }
          result.issues += n_issues;
          result.value_bytes += lead->len;
        }
      else
        {
          for (guint i = 0; i < row->n_values; i++)
            result.value_bytes += row->values[i].length;
        }
    }
  if (error != NULL)
    g_error ("read: %s", error->message);

  result.seconds = now_seconds () - start;
  result.rows = push_audience_reader_get_row_count (reader);
  result.bad_rows = push_audience_reader_get_bad_row_count (reader);
  if ((push_audience_reader_get_fingerprint (reader) == NULL) != (schema != NULL))
    g_error ("a fingerprint only where one was asked for");
  return result;
}

static void
bench_row_model (const char *path,
                 guint64     n_rows)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PushAudienceRowModel) model = push_audience_row_model_new (file, 0, 0);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  double start, load_seconds, access_seconds;
  guint n_items, i;
  const guint n_access = 2000;

  start = now_seconds ();
  if (!push_audience_row_model_load (model, NULL, &error))
    g_error ("row model: %s", error->message);
  load_seconds = now_seconds () - start;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (n_items != n_rows)
    g_error ("row model has %u items, the reader found %" G_GUINT64_FORMAT, n_items, n_rows);

  start = now_seconds ();
  for (i = 0; i < n_access; i++)
    {
      guint position = g_rand_int_range (rand, 0, n_items);
      g_autoptr(PushAudienceRecord) record = g_list_model_get_item (G_LIST_MODEL (model),
                                                                    position);

      if (push_audience_record_get_number (record) != (guint64) position + 1)
        g_error ("row model returned the wrong row");
    }
  access_seconds = now_seconds () - start;

  g_print ("row model: first pass %.2f s for %u rows; %u random get_item() calls, "
           "%.0f us each (%u blocks decoded)\n",
           load_seconds, n_items, n_access, access_seconds * 1e6 / n_access,
           push_audience_row_model_get_blocks_decoded (model));
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint64 n_rows = DEFAULT_ROWS;
  guint64 size;
  double best_wc = G_MAXDOUBLE;
  ReadResult best = { .seconds = G_MAXDOUBLE };
  ReadResult best_parse = { .seconds = G_MAXDOUBLE };
  g_autoptr(MarketoLeadSchema) schema = NULL;
  double mb_per_s, rows_per_s, wc_ratio, start;
  int run;

  if (argc > 1 && !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXUINT, &n_rows, &error))
    g_error ("usage: bench-audience [ROWS]: %s", error->message);

  dir = g_dir_make_tmp ("bench-audience-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "audience.csv", NULL);

  start = now_seconds ();
  size = generate (path, (guint) n_rows);
  g_print ("generated %" G_GUINT64_FORMAT " rows, %.1f MB in %.1f s: %s\n",
           n_rows, size / 1e6, now_seconds () - start, path);

  schema = fetch_schema ();

  time_wc (path);   /* warm the page cache */
  for (run = 0; run < RUNS; run++)
    {
      double wc = time_wc (path);
      ReadResult parse = time_read (path, NULL);
      ReadResult full = time_read (path, schema);

      g_print ("run %d: wc -l %.3f s, read %.3f s, read + map + validate %.3f s "
               "(%" G_GUINT64_FORMAT " rows, %" G_GUINT64_FORMAT " with problems, "
               "%" G_GUINT64_FORMAT " values left out, %.0f MB of lead JSON)\n",
               run + 1, wc, parse.seconds, full.seconds, full.rows, full.bad_rows,
               full.issues, full.value_bytes / 1e6);
      if (parse.rows != n_rows || parse.bad_rows != 0 || full.rows != n_rows ||
          full.rejected_rows != 0 || full.issues != 0)
        g_error ("expected %" G_GUINT64_FORMAT " clean rows that all map to leads", n_rows);
      best_wc = MIN (best_wc, wc);
      if (parse.seconds < best_parse.seconds)
        best_parse = parse;
      if (full.seconds < best.seconds)
        best = full;
    }

  mb_per_s = size / 1e6 / best.seconds;
  rows_per_s = best.rows / best.seconds;
  wc_ratio = best.seconds / best_wc;
  g_print ("read only (parse + UTF-8 + SHA-256 fingerprint), best of %d: %.1f MB/s, %.0f rows/s\n",
           RUNS, size / 1e6 / best_parse.seconds, best_parse.rows / best_parse.seconds);
  g_print ("read + map + validate (lead JSON for 11 fields, type checks; no second SHA-256, "
           "as in a run's sending pass), best of %d: "
           "%.1f MB/s, %.0f rows/s; wc -l: %.1f MB/s\n",
           RUNS, mb_per_s, rows_per_s, size / 1e6 / best_wc);

  bench_row_model (path, best.rows);

  g_unlink (path);
  g_rmdir (dir);

  g_print ("RESULT mb_per_s=%.1f rows_per_s=%.0f peak_rss_mb=%.1f wc_ratio=%.2f\n",
           mb_per_s, rows_per_s, peak_rss_mb (), wc_ratio);
  return 0;
}
