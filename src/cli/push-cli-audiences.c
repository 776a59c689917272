/* push-cli-audiences.c: "audience-push-cli audiences inspect"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inspecting reads the file once, row by row, through PushAudienceReader: whatever its size,
 * only one row and the reader's bounded problem list are in memory at a time.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-cli-audiences.h"

static const char * const file_arg[] = { N_("FILE"), NULL };

gboolean
push_cli_parse_audience_format (const char          *format,
                                const char          *delimiter,
                                PushAudienceFormat  *out_format,
                                char                *out_delimiter,
                                GError             **error)
{
  PushAudienceFormat audience_format = PUSH_AUDIENCE_FORMAT_AUTO;
  char separator = 0;

  if (format == NULL || g_ascii_strcasecmp (format, "auto") == 0)
    audience_format = PUSH_AUDIENCE_FORMAT_AUTO;
  else if (g_ascii_strcasecmp (format, "csv") == 0)
    audience_format = PUSH_AUDIENCE_FORMAT_CSV;
  else if (g_ascii_strcasecmp (format, "jsonl") == 0)
    audience_format = PUSH_AUDIENCE_FORMAT_JSONL;
  else
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   /* Translators: do not translate the values csv, jsonl, auto */
                   _("--format must be csv, jsonl or auto, not \"%s\""), format);
      return FALSE;
    }

  if (delimiter != NULL)
    {
      if (g_str_equal (delimiter, ",") || g_str_equal (delimiter, ";") ||
          g_str_equal (delimiter, "|") || g_str_equal (delimiter, "\t"))
        separator = delimiter[0];
      else if (g_ascii_strcasecmp (delimiter, "tab") == 0 || g_str_equal (delimiter, "\\t"))
        separator = '\t';
      else
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                       /* Translators: do not translate the values */
                       _("--delimiter must be one of , ; | or tab, not \"%s\""), delimiter);
          return FALSE;
        }
      if (audience_format == PUSH_AUDIENCE_FORMAT_JSONL)
        {
          g_set_error_literal (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                               _("--delimiter applies to CSV files only, not to --format jsonl"));
          return FALSE;
        }
    }

  *out_format = audience_format;
  *out_delimiter = separator;
  return TRUE;
}

PushAudienceReader *
push_cli_audience_reader_new (const char  *file_path,
                              const char  *format,
                              const char  *delimiter,
                              GError     **error)
{
  PushAudienceFormat audience_format;
  char separator;

  g_return_val_if_fail (file_path != NULL, NULL);

  if (!push_cli_parse_audience_format (format, delimiter, &audience_format, &separator, error))
    return NULL;
  return push_audience_reader_new_for_path (file_path, audience_format, separator);
}

gboolean
push_cli_audience_reader_open (PushAudienceReader  *reader,
                               const char          *file_path,
                               GError             **error)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_READER (reader), FALSE);

  if (push_audience_reader_open (reader, NULL, error))
    return TRUE;

  g_prefix_error (error, "%s: ", file_path);
  return FALSE;
}

/* "," or "tab", as a person writes it; NULL for JSON Lines. */
static const char *
describe_delimiter (PushAudienceReader *reader)
{
  if (push_audience_reader_get_format (reader) != PUSH_AUDIENCE_FORMAT_CSV)
    return NULL;

  switch (push_audience_reader_get_delimiter (reader))
    {
    case '\t':
      return "tab";
    case ';':
      return ";";
    case '|':
      return "|";
    case ',':
    default:
      return ",";
    }
}

static const char *
format_nick (PushAudienceFormat format)
{
  switch (format)
    {
    case PUSH_AUDIENCE_FORMAT_CSV:
      return "csv";
    case PUSH_AUDIENCE_FORMAT_JSONL:
      return "jsonl";
    case PUSH_AUDIENCE_FORMAT_AUTO:
    default:
      return "auto";
    }
}

static const char *
problem_kind_nick (PushAudienceProblemKind kind)
{
  GEnumClass *klass = g_type_class_ref (PUSH_TYPE_AUDIENCE_PROBLEM_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
}

static void
print_inspect_json (const char         *file_path,
                    PushAudienceReader *reader)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  PushAudienceFingerprint *fingerprint = push_audience_reader_get_fingerprint (reader);
  GPtrArray *problems = push_audience_reader_get_problems (reader);
  const char * const *columns;
  const char *delimiter = describe_delimiter (reader);
  guint n_columns = 0;

  columns = push_audience_reader_get_columns (reader, &n_columns);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file_path);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, format_nick (push_audience_reader_get_format (reader)));
  json_builder_set_member_name (builder, "delimiter");
  if (delimiter != NULL)
    {
      char raw[2] = { push_audience_reader_get_delimiter (reader), '\0' };

      json_builder_add_string_value (builder, raw);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "had_bom");
  json_builder_add_boolean_value (builder, push_audience_reader_get_had_bom (reader));
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_columns; i++)
    json_builder_add_string_value (builder, columns[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, (gint64) push_audience_reader_get_row_count (reader));
  json_builder_set_member_name (builder, "bad_rows");
  json_builder_add_int_value (builder, (gint64) push_audience_reader_get_bad_row_count (reader));

  json_builder_set_member_name (builder, "fingerprint");
  if (fingerprint != NULL)
    {
      g_autofree char *text = push_audience_fingerprint_to_string (fingerprint);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) fingerprint->size);
      json_builder_set_member_name (builder, "mtime");
      json_builder_add_int_value (builder, fingerprint->mtime);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, fingerprint->hash);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "problem_count");
  json_builder_add_int_value (builder, (gint64) push_audience_reader_get_problem_count (reader));
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const PushAudienceProblem *problem = g_ptr_array_index (problems, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, (gint64) problem->row);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, (gint64) problem->line);
      json_builder_set_member_name (builder, "column");
      json_builder_add_int_value (builder, problem->column);
      json_builder_set_member_name (builder, "column_name");
      if (problem->column > 0 && problem->column <= n_columns)
        json_builder_add_string_value (builder, columns[problem->column - 1]);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, problem_kind_nick (problem->kind));
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, problem->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  push_cli_print_json (node, TRUE);
}

static void
print_inspect (const char         *file_path,
               PushAudienceReader *reader)
{
  PushAudienceFingerprint *fingerprint = push_audience_reader_get_fingerprint (reader);
  GPtrArray *problems = push_audience_reader_get_problems (reader);
  guint64 n_problems = push_audience_reader_get_problem_count (reader);
  g_autofree char *rows = push_audience_format_count (push_audience_reader_get_row_count (reader));
  g_autofree char *bad_rows = NULL;
  const char * const *columns;
  guint n_columns = 0;

  columns = push_audience_reader_get_columns (reader, &n_columns);
  bad_rows = push_audience_format_count (push_audience_reader_get_bad_row_count (reader));

  g_print ("%s\n", file_path);
  g_print ("  %s ", _("Format:"));
  if (push_audience_reader_get_format (reader) == PUSH_AUDIENCE_FORMAT_CSV)
    /* Translators: the placeholder is a delimiter: “,” “;” “|” or “tab” */
    g_print (_("CSV, delimiter \"%s\""), describe_delimiter (reader));
  else
    g_print ("%s", _("JSON Lines"));
  if (push_audience_reader_get_had_bom (reader))
    g_print (" %s", _("(with a byte order mark)"));
  g_print ("\n");

  g_print ("  %s %u\n", _("Columns:"), n_columns);
  for (guint i = 0; i < n_columns; i++)
    g_print ("    %u. %s\n", i + 1, *columns[i] != '\0' ? columns[i] : _("(no name)"));

  g_print ("  %s ", _("Rows:"));
  /* Translators: a count of rows, then how many of them have a problem */
  g_print (_("%s (%s with problems)"), rows, bad_rows);
  g_print ("\n");

  if (fingerprint != NULL)
    {
      g_autofree char *size = push_audience_format_count (fingerprint->size);

      g_print ("  %s ", _("Size:"));
      /* Translators: a size in bytes, like “1,234,567 bytes” */
      g_print (_("%s bytes"), size);
      g_print ("\n  %s sha256:%s\n", _("Fingerprint:"), fingerprint->hash);
    }

  if (n_problems == 0)
    {
      g_print ("  %s %s\n", _("Problems:"), _("none"));
      return;
    }

  g_print ("  %s %" G_GUINT64_FORMAT "\n", _("Problems:"), n_problems);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const PushAudienceProblem *problem = g_ptr_array_index (problems, i);

      g_print ("    %s\n", problem->message);
    }
  if (problems != NULL && n_problems > problems->len)
    {
      g_autofree char *more = push_audience_format_count (n_problems - problems->len);

      g_print ("    ");
      /* Translators: the placeholder is a count of problems not listed */
      g_print (_("… and %s more"), more);
      g_print ("\n");
    }
}

static int
audiences_inspect (const char  *path,
                   int          argc,
                   char       **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *delimiter = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("The file's format: csv, jsonl or auto (default: from the name, then the content)"),
      N_("FORMAT") },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter,
      N_("The CSV delimiter: , ; | or tab (default: guessed from the first lines)"),
      N_("CHARACTER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the findings as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const PushAudienceRow *row;
  const char *file_path;

  context = push_cli_option_context_new (path, _("FILE"),
                                         N_("Read an audience file (CSV or JSON Lines) to the "
                                            "end and tell its format, columns, row count, "
                                            "fingerprint and the problems found in it."),
                                         entries);
  g_option_context_set_description (context,
                                    _("The file is streamed: a file of millions of rows is read "
                                      "with little memory. The exit status is 0 when the file "
                                      "could be read, even if some rows have problems."));
  if (!push_cli_parse_options (context, path, &argc, &argv, file_arg, &error))
    return push_cli_report_error (path, error);
  file_path = argv[1];

  reader = push_cli_audience_reader_new (file_path, format, delimiter, &error);
  if (reader == NULL)
    return push_cli_report_error (path, error);
  if (!push_cli_audience_reader_open (reader, file_path, &error))
    return push_cli_report_error (path, error);

  while (push_audience_reader_next_row (reader, &row, NULL, &error))
    ;
  if (error != NULL)
    {
      g_prefix_error (&error, "%s: ", file_path);
      return push_cli_report_error (path, error);
    }

  if (json)
    print_inspect_json (file_path, reader);
  else
    print_inspect (file_path, reader);

  return PUSH_CLI_EXIT_OK;
}

static const PushCliCommand audiences_commands[] = {
  { "inspect", N_("Check an audience file and describe it"), audiences_inspect },
  { NULL, NULL, NULL }
};

int
push_cli_audiences_run (const char  *path,
                        int          argc,
                        char       **argv)
{
  return push_cli_dispatch (path, N_("Look at audience files before sending them."),
                            audiences_commands, argc, argv);
}
