/* fuzz-answer.c: the matcher on answers, as `fivewhys ask` drives it.
 *
 * The shipped rules (fuzz_rules_dir()) are compiled once. The first byte of
 * the input picks a ruleset; the rest is split at newlines into answers (at
 * most 12), which go to one session in turn; the first answer is also tried
 * as a stated need. Checked: evidence lies inside its answer and quotes it,
 * depth never exceeds the steps taken, a reached session has a motivation,
 * and the session's JSON is valid UTF-8.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

#define MAX_ANSWERS 12

static FwLibrary *library;
static FwScratch *scratch;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_fatal_warnings ();
  library = fuzz_shipped_library ();
  FUZZ_REQUIRE (fw_library_get_n_rulesets (library) > 0, "no rulesets in %s", fuzz_rules_dir ());
  scratch = fw_scratch_new (library);
  return 0;
}

static void
check_step (const FwStep *step)
{
  gsize len = strlen (step->answer);
  FUZZ_ASSERT (g_utf8_validate (step->answer, -1, NULL), "answer kept as invalid UTF-8");
  if (step->rung == NULL)
    {
      FUZZ_ASSERT (step->kind == FW_STEP_NO_MATCH || step->kind == FW_STEP_NON_ANSWER,
                   "a step without a rung that moved");
      return;
    }
  FUZZ_ASSERT (step->kind == FW_STEP_DESCEND || step->kind == FW_STEP_JUMP, "a rung on a miss");
  FUZZ_ASSERT (step->evidence.start <= step->evidence.end && step->evidence.end <= len,
               "evidence [%zu, %zu) outside an answer of %zu bytes", (size_t)step->evidence.start,
               (size_t)step->evidence.end, (size_t)len);
  FUZZ_ASSERT (strlen (step->evidence.text) == step->evidence.end - step->evidence.start
                   && memcmp (step->evidence.text, step->answer + step->evidence.start,
                              step->evidence.end - step->evidence.start)
                          == 0,
               "evidence text is not the span it names");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  guint n = fw_library_get_n_rulesets (library);
  FwRuleset *ruleset = fw_library_get_ruleset (library, data[0] % n);
  char *text = g_strndup ((const char *)data + 1, size - 1); /* a line reader stops at NUL too */
  char **answers = g_strsplit (text, "\n", MAX_ANSWERS + 1);

  if (answers[0] != NULL)
    (void)fw_library_match_need (library, scratch, answers[0]);

  FwSession *session = fw_session_new (library, ruleset, 0);
  for (guint i = 0; answers[i] != NULL && i < MAX_ANSWERS; i++)
    {
      if (fw_session_get_status (session) != FW_STATUS_ASKING)
        break;
      const FwStep *step = fw_session_answer (session, answers[i]);
      FUZZ_ASSERT (step != NULL, "no step recorded");
      check_step (step);
    }
  fw_session_end (session);
  FwStatus status = fw_session_get_status (session);
  FUZZ_ASSERT (status != FW_STATUS_ASKING, "a session still asking after it ended");
  FUZZ_ASSERT (fw_session_get_depth (session) <= fw_session_get_n_steps (session), "deeper than the steps taken");
  FUZZ_ASSERT ((status == FW_STATUS_REACHED) == (fw_session_get_motivation (session) != NULL),
               "status and motivation disagree");
  char *json = fw_session_to_json (session, TRUE);
  FUZZ_ASSERT (json != NULL && g_utf8_validate (json, -1, NULL), "session JSON is not UTF-8");
  g_free (json);
  fw_session_free (session);
  g_strfreev (answers);
  g_free (text);
  return 0;
}
