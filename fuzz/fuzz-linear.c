/* fuzz-linear.c: catches work that grows faster than the input.
 *
 * The input (a note or answer fragment, NULs made spaces) is repeated
 * SMALL and BIG times and each text goes through fw_note_analyze and, as
 * one answer, through a session of the ruleset the first byte picks. The
 * texts differ in length by BIG / SMALL = 8; linear work takes about 8 times
 * as long on the big one. The run fails when the big one costs more than
 * SLACK times that per byte, as quadratic work (which would take 64 times
 * as long) does. CPU time of this thread is measured, best of a few runs,
 * and only once the big text costs enough to be measured reliably.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "fuzz-common.h"

#define SMALL 8
#define BIG 64
#define SLACK 3.0             /* allowed growth of the cost per byte */
#define MEASURABLE_NS 4000000 /* 4 ms: below this, timer noise dominates */
#define MAX_UNIT 1024         /* x BIG stays under FW_ANSWER_MAX_BYTES: answers are timed too */

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

static gint64
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static gint64
cost (FwRuleset *ruleset, const char *text, gsize len, guint runs)
{
  gint64 best = G_MAXINT64;
  for (guint r = 0; r < runs; r++)
    {
      gint64 start = now_ns ();
      GError *error = NULL;
      FUZZ_ASSERT (fw_note_analyze (scratch, text, len, result, &error), "analyze failed: %s",
                   error != NULL ? error->message : "?");
      FwSession *session = fw_session_new (library, ruleset, 0);
      fw_session_answer (session, text);
      fw_session_free (session);
      best = MIN (best, now_ns () - start);
    }
  return best;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 2 || size > MAX_UNIT)
    return 0;
  FwRuleset *ruleset = fw_library_get_ruleset (library, data[0] % fw_library_get_n_rulesets (library));
  gsize unit = size - 1;
  GString *small = g_string_sized_new (unit * SMALL + 1);
  GString *big = g_string_sized_new (unit * BIG + 1);
  for (guint i = 0; i < BIG; i++)
    {
      gsize at = big->len;
      g_string_append_len (big, (const char *)data + 1, unit);
      for (gsize j = at; j < big->len; j++)
        if (big->str[j] == '\0')
          big->str[j] = ' ';
    }
  g_string_append_len (small, big->str, unit * SMALL);

  gint64 t_small = cost (ruleset, small->str, small->len, 3);
  gint64 t_big = cost (ruleset, big->str, big->len, 1);
  if (t_big >= MEASURABLE_NS && (double)t_big > SLACK * (BIG / SMALL) * MAX (t_small, 1))
    {
      /* Timers lie now and then: measure again before calling it. */
      t_small = cost (ruleset, small->str, small->len, 3);
      t_big = cost (ruleset, big->str, big->len, 2);
      FUZZ_ASSERT ((double)t_big <= SLACK * (BIG / SMALL) * MAX (t_small, 1),
                   "worse than linear: %zu bytes took %.2f ms, %zu bytes %.2f ms (%.1fx for %dx the text)",
                   (size_t)small->len, t_small / 1e6, (size_t)big->len, t_big / 1e6, (double)t_big / MAX (t_small, 1),
                   BIG / SMALL);
    }
  g_string_free (small, TRUE);
  g_string_free (big, TRUE);
  return 0;
}
