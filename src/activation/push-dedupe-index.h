/* push-dedupe-index.h: which audience row is the last one of each dedupe value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The activation sends each dedupe value once, from the LAST row that has it; the earlier
 * rows are recorded as duplicates. A pre-pass over the file fills this index; the sending
 * pass asks it, row by row, whether the row is the last of its value.
 *
 * Memory stays bounded whatever the values: the index keeps a 64-bit hash of each normalised
 * value (push_dedupe_key_hash()) and the row number, in an open-addressing table with linear
 * probing (12 bytes a slot, at most 75 % full): about 16 MB for a million distinct values.
 * Two different values with the same 64-bit hash would be taken for one (for a million
 * values the odds are about 3 in 100 million); that would send one of the two rows only.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PushDedupeIndex PushDedupeIndex;

/* The hash of a dedupe value as the index compares them: surrounding white space is ignored
 * and ASCII letters are compared without regard to case (Marketo matches e-mail addresses
 * and other lookup values that way). */
guint64          push_dedupe_key_hash      (const char      *value,
                                            gsize            length);
/* The same normalisation as text (for comparing the values Marketo returns). */
char            *push_dedupe_key_normalize (const char      *value,
                                            gssize           length);

/* @expected: a size hint (0: small); the table grows as needed. */
PushDedupeIndex *push_dedupe_index_new     (guint64          expected);
void             push_dedupe_index_free    (PushDedupeIndex *index);
/* Makes room for @n values without growing again. */
void             push_dedupe_index_reserve (PushDedupeIndex *index,
                                            guint64          n);
/* Records @row (> 0) as the latest row of @hash; returns the row it replaces (0: new value). */
guint64          push_dedupe_index_insert  (PushDedupeIndex *index,
                                            guint64          hash,
                                            guint64          row);
/* The last row recorded for @hash, or 0. */
guint64          push_dedupe_index_lookup  (const PushDedupeIndex *index,
                                            guint64          hash);
/* Distinct values; rows inserted (values + repeats). */
guint64          push_dedupe_index_get_size (const PushDedupeIndex *index);
guint64          push_dedupe_index_get_n_inserted (const PushDedupeIndex *index);
/* Bytes allocated by the table. */
gsize            push_dedupe_index_get_memory (const PushDedupeIndex *index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushDedupeIndex, push_dedupe_index_free)

G_END_DECLS
