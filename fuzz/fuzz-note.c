/* fuzz-note.c: the chain builder on deal notes, as `fivewhys analyze` drives
 * it: the input is one note, bytes as read (invalid UTF-8 and NULs
 * included). Checked: every link's evidence lies inside the note and quotes
 * it, the chain goes from the need down without repeating a rung, the depth
 * counts the links, and the unmatched phrases are valid UTF-8.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

static FwLibrary *library;
static FwScratch *scratch;
static FwNoteResult *result;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_fatal_warnings ();
  library = fuzz_shipped_library ();
  scratch = fw_scratch_new (library);
  result = fw_note_result_new ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The reader hands notes over without NULs; the library must cope anyway. */
  const char *text = (const char *)data;
  GError *error = NULL;
  gboolean ok = fw_note_analyze (scratch, text, size, result, &error);
  FUZZ_ASSERT (ok && error == NULL, "a note under the size limit failed: %s", error ? error->message : "?");
  FUZZ_ASSERT (result->n_chain == 0 || result->need != NULL, "a chain without a need");
  for (guint i = 0; i < result->n_chain; i++)
    {
      const FwChainLink *link = &result->chain[i];
      FUZZ_ASSERT (link->rung != NULL, "a link without a rung");
      FUZZ_ASSERT (link->evidence.start <= link->evidence.end && link->evidence.end <= size,
                   "evidence [%zu, %zu) outside a note of %zu bytes", (size_t)link->evidence.start,
                   (size_t)link->evidence.end, size);
      FUZZ_ASSERT (memcmp (link->evidence.text, text + link->evidence.start, link->evidence.end - link->evidence.start)
                       == 0,
                   "evidence text is not the span it names");
      for (guint j = 0; j < i; j++)
        FUZZ_ASSERT (result->chain[j].rung != link->rung, "rung '%s' twice in the chain", fw_rung_get_id (link->rung));
    }
  FUZZ_ASSERT (result->depth <= result->n_chain, "depth %u over %u links", result->depth, result->n_chain);
  for (guint i = 0; i < result->n_unmatched; i++)
    FUZZ_ASSERT (result->unmatched[i] != NULL && g_utf8_validate (result->unmatched[i], -1, NULL),
                 "unmatched phrase %u is not UTF-8", i);
  FUZZ_ASSERT (result->unmatched[result->n_unmatched] == NULL, "unmatched not NULL-terminated");
  return 0;
}
