/* marketo-types-private.h: JSON → typed results, for the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "marketo-types.h"

G_BEGIN_DECLS

const char          *_marketo_json_get_string        (JsonObject *object,
                                                      const char *member);
gboolean             _marketo_json_get_int           (JsonObject *object,
                                                      const char *member,
                                                      gint64     *out_value);
gint64               _marketo_json_get_int_or        (JsonObject *object,
                                                      const char *member,
                                                      gint64      fallback);
gboolean             _marketo_json_get_bool_or       (JsonObject *object,
                                                      const char *member,
                                                      gboolean    fallback);
JsonObject          *_marketo_json_get_object        (JsonObject *object,
                                                      const char *member);
JsonArray           *_marketo_json_get_array         (JsonObject *object,
                                                      const char *member);

MarketoField        *_marketo_field_from_describe    (JsonObject *object);
MarketoField        *_marketo_field_from_describe2   (JsonObject *object);
MarketoLeadSchema   *_marketo_lead_schema_from_json  (JsonObject *object);
MarketoPartition    *_marketo_partition_from_json    (JsonObject *object);
MarketoList         *_marketo_list_from_json         (JsonObject *object);
MarketoListPage     *_marketo_list_page_new          (void);
MarketoFolder       *_marketo_folder_from_json       (JsonObject *object);
MarketoFolderPage   *_marketo_folder_page_new        (void);
MarketoLead         *_marketo_lead_from_json         (JsonObject *object);
MarketoLeadPage     *_marketo_lead_page_new          (void);
MarketoRecordResult *_marketo_record_result_from_json (JsonObject *object,
                                                       guint       index,
                                                       const char *request_id);
MarketoImportJob    *_marketo_import_job_from_json   (JsonObject *object);
MarketoUsage        *_marketo_usage_from_json        (JsonObject *object);

G_END_DECLS
