/* prep-private.h: what the call-prep script reads from a report's history.
 * Shared by history.c (the reader) and prep.c (the script). */
#ifndef FW_PREP_PRIVATE_H
#define FW_PREP_PRIVATE_H

#include "fivewhys.h"

G_BEGIN_DECLS

/* Report files larger than this are refused before parsing. */
#define FW_MAX_REPORT_BYTES (64 * 1024 * 1024)

typedef struct {
  char **ids;   /* rung ids from the need down, NULL-terminated */
  guint n_ids;
  double count; /* notes that took this path */
} FwHistoryPath;

/* One need's counts. A count missing from the report is -1. */
typedef struct {
  char *id;
  double notes;       /* -1 when the report has no "notes" */
  gboolean has_paths;
  gboolean has_links;
  GPtrArray *paths;   /* FwHistoryPath*, most taken first, then by text */
  GHashTable *links;  /* "from>to" -> double* */
} FwNeedHistory;

struct _FwHistory {
  char *path;         /* as given, for messages */
  GHashTable *needs;  /* id -> FwNeedHistory* */
};

/* The history of need @id, lent. Fails with FW_ERROR_INPUT, naming what
 * the report lacks, when it has no entry for @id, no "notes" count for it,
 * or neither "paths" nor "links". */
const FwNeedHistory *fw_history_get_need (FwHistory *history, const char *id, GError **error);

/* Notes whose path starts with @ids (@n of them). Needs has_paths. */
double fw_need_history_prefix (const FwNeedHistory *need, const char *const *ids, guint n);

/* Notes that went from rung @from to rung @to: the "links" count, or, when
 * the report has only paths, the count of paths holding that step. */
double fw_need_history_link (const FwNeedHistory *need, const char *from, const char *to);

G_END_DECLS

#endif
