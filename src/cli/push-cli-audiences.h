/* push-cli-audiences.h: "audience-push-cli audiences …"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "push-audience-reader.h"
#include "push-cli-common.h"

G_BEGIN_DECLS

/* The "audiences" command group: inspect. */
int                 push_cli_audiences_run         (const char   *path,
                                                    int           argc,
                                                    char        **argv);

/* A reader for @file_path (not opened yet), from the raw values of --format (csv, jsonl,
 * auto; NULL: auto) and --delimiter (one of , ; | or a tab, also written "tab" or "\t";
 * NULL: sniffed). Bad option values are PUSH_CLI_ERROR_USAGE errors. */
/* --format and --delimiter, checked (NULL: detected); a wrong value is a usage error. */
gboolean            push_cli_parse_audience_format (const char          *format,
                                                    const char          *delimiter,
                                                    PushAudienceFormat  *out_format,
                                                    char                *out_delimiter,
                                                    GError             **error);
PushAudienceReader *push_cli_audience_reader_new   (const char   *file_path,
                                                    const char   *format,
                                                    const char   *delimiter,
                                                    GError      **error);
/* push_audience_reader_open(), with the file's name at the start of any error message. */
gboolean            push_cli_audience_reader_open  (PushAudienceReader *reader,
                                                    const char         *file_path,
                                                    GError            **error);

G_END_DECLS
