/* cmd-eval.c: fivewhys eval: runs labeled corpora (answers and whole
 * transcripts, corpora/FORMAT.md) through the engine and prints per-need
 * accuracy, a confusion table of motivations and the worst misses with
 * --explain detail, so a rule author sees what to fix. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cli-private.h"

static double opt_min_answers = -1;
static double opt_min_transcripts = -1;
static int opt_max_false = 0;
static int opt_misses = 10;

static const GOptionEntry entries[] = {
  { "min-answers", 0, 0, G_OPTION_ARG_DOUBLE, &opt_min_answers, "Exit 1 when answer accuracy is under PCT", "PCT" },
  { "min-transcripts", 0, 0, G_OPTION_ARG_DOUBLE, &opt_min_transcripts, "Exit 1 when the share of transcripts reaching an accepted motivation is under PCT", "PCT" },
  { "max-false-motivations", 0, 0, G_OPTION_ARG_INT, &opt_max_false, "Exit 1 when more than N items that must yield no motivation yield one (default 0)", "N" },
  { "misses", 0, 0, G_OPTION_ARG_INT, &opt_misses, "How many misses to show (default 10)", "N" },
  { NULL }
};

typedef struct {
  guint answers, answers_ok;
  guint transcripts, transcripts_ok;
} NeedScore;

typedef struct {
  FwLibrary *library;
  FwScratch *scratch;
  GHashTable *needs;     /* id -> NeedScore* */
  GHashTable *confusion; /* "expected\tgot" -> count */
  GPtrArray *misses;     /* char* */
  guint false_motivations;
  guint unreadable;
} Eval;

static NeedScore *
need_score (Eval *ev, const char *need)
{
  NeedScore *ns = g_hash_table_lookup (ev->needs, need);
  if (ns == NULL)
    {
      ns = g_new0 (NeedScore, 1);
      g_hash_table_insert (ev->needs, g_strdup (need), ns);
    }
  return ns;
}

static void
confuse (Eval *ev, const char *expected, const char *got)
{
  char *key = g_strdup_printf ("%s\t%s", expected != NULL ? expected : "(none)", got != NULL ? got : "(none)");
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ev->confusion, key));
  g_hash_table_insert (ev->confusion, key, GUINT_TO_POINTER (n + 1));
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static const char *
step_motivation (const FwStep *step)
{
  if (step == NULL || step->rung == NULL || fw_rung_get_motivation (step->rung) == NULL)
    return NULL;
  return fw_motivation_get_id (fw_rung_get_motivation (step->rung));
}

static void
eval_answer (Eval *ev, const char *where, JsonObject *o)
{
  const char *need = member_string (o, "need");
  const char *at = member_string (o, "at");
  const char *answer = member_string (o, "answer");
  const char *want_rung = member_string (o, "rung");
  const char *want_motivation = member_string (o, "motivation");
  FwRuleset *ruleset = need != NULL ? fw_library_find_ruleset (ev->library, need) : NULL;
  FwRung *start = ruleset != NULL && at != NULL && strcmp (at, "need") != 0 ? fw_ruleset_find_rung (ruleset, at) : NULL;
  if (ruleset == NULL || answer == NULL || (at != NULL && strcmp (at, "need") != 0 && start == NULL))
    {
      ev->unreadable++;
      g_ptr_array_add (ev->misses, g_strdup_printf ("%s: cannot evaluate: %s", where,
                                                    ruleset == NULL ? "unknown need" : answer == NULL ? "no answer" : "unknown rung in 'at'"));
      return;
    }
  NeedScore *ns = need_score (ev, need);
  g_autoptr (FwSession) session = fw_session_new_at (ev->library, ruleset, start, 0);
  const FwStep *step = fw_session_answer (session, answer);
  const char *got_rung = step->rung != NULL ? fw_rung_get_id (step->rung) : NULL;
  const char *got_motivation = step_motivation (step);
  gboolean ok = g_strcmp0 (got_rung, want_rung) == 0
                || (want_motivation != NULL && g_strcmp0 (got_motivation, want_motivation) == 0);
  ns->answers++;
  ns->answers_ok += ok;
  if (want_motivation != NULL || got_motivation != NULL)
    confuse (ev, want_motivation, got_motivation);
  if (want_rung == NULL && want_motivation == NULL && got_motivation != NULL)
    ev->false_motivations++;
  if (!ok)
    g_ptr_array_add (ev->misses,
                     g_strdup_printf ("%s: [%s at %s] \"%s\"\n      expected %s, got %s%s%s\n      %s", where, need,
                                      at != NULL ? at : "need", answer, want_rung != NULL ? want_rung : "no rung",
                                      got_rung != NULL ? got_rung : "no rung", step->pattern != NULL ? " by pattern " : "",
                                      step->pattern != NULL ? step->pattern : "",
                                      step->explain != NULL ? step->explain : ""));
}

static void
eval_transcript (Eval *ev, const char *where, JsonObject *o)
{
  const char *need = member_string (o, "need");
  const char *need_text = member_string (o, "need_text");
  JsonArray *answers = json_object_has_member (o, "answers") ? json_object_get_array_member (o, "answers") : NULL;
  JsonNode *mnode = json_object_get_member (o, "motivation");
  FwRuleset *want = need != NULL ? fw_library_find_ruleset (ev->library, need) : NULL;
  if (want == NULL || answers == NULL)
    {
      ev->unreadable++;
      g_ptr_array_add (ev->misses, g_strdup_printf ("%s: cannot evaluate: %s", where, want == NULL ? "unknown need" : "no answers"));
      return;
    }
  g_autoptr (GPtrArray) accepted = g_ptr_array_new ();
  if (mnode != NULL && JSON_NODE_HOLDS_ARRAY (mnode))
    {
      JsonArray *a = json_node_get_array (mnode);
      for (guint i = 0; i < json_array_get_length (a); i++)
        g_ptr_array_add (accepted, (gpointer) json_array_get_string_element (a, i));
    }
  else if (mnode != NULL && JSON_NODE_HOLDS_VALUE (mnode))
    g_ptr_array_add (accepted, (gpointer) json_node_get_string (mnode));

  NeedScore *ns = need_score (ev, need);
  ns->transcripts++;
  FwRuleset *got_need = need_text != NULL ? fw_library_match_need (ev->library, ev->scratch, need_text) : want;
  g_autoptr (FwSession) session = fw_session_new (ev->library, got_need != NULL ? got_need : want, 0);
  for (guint i = 0; i < json_array_get_length (answers) && fw_session_get_status (session) == FW_STATUS_ASKING; i++)
    fw_session_answer (session, json_array_get_string_element (answers, i));
  fw_session_end (session);
  FwMotivation *m = fw_session_get_motivation (session);
  const char *got = m != NULL ? fw_motivation_get_id (m) : NULL;
  gboolean motivation_ok = accepted->len == 0 ? got == NULL : FALSE;
  for (guint i = 0; i < accepted->len; i++)
    motivation_ok = motivation_ok || g_strcmp0 (g_ptr_array_index (accepted, i), got) == 0;
  gboolean ok = got_need == want && motivation_ok;
  ns->transcripts_ok += ok;
  confuse (ev, accepted->len > 0 ? g_ptr_array_index (accepted, 0) : NULL, got);
  if (accepted->len == 0 && got != NULL)
    ev->false_motivations++;
  if (!ok)
    {
      GString *ladder = g_string_new (NULL);
      for (guint i = 0; i < fw_session_get_n_steps (session); i++)
        {
          const FwStep *step = fw_session_get_step (session, i);
          g_string_append_printf (ladder, "%s%s", i > 0 ? " > " : "", step->rung != NULL ? fw_rung_get_id (step->rung) : "?");
        }
      g_ptr_array_add (ev->misses,
                       g_strdup_printf ("%s: transcript [%s] need %s; expected %s, got %s (%s): %s", where, need,
                                        got_need == want ? "recognised" : got_need != NULL ? fw_ruleset_get_id (got_need) : "not recognised",
                                        accepted->len > 0 ? (char *) g_ptr_array_index (accepted, 0) : "no motivation",
                                        got != NULL ? got : "no motivation", fw_status_to_string (fw_session_get_status (session)),
                                        ladder->str));
      g_string_free (ladder, TRUE);
    }
}

static gboolean
eval_file (Eval *ev, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  if (!g_file_get_contents (path, &data, NULL, &error))
    {
      cli_error ("%s: cannot read: %s", path, error->message);
      return FALSE;
    }
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      if (*line == '\0' || *line == '#')
        continue;
      g_autofree char *where = g_strdup_printf ("%s:%u", path, i + 1);
      g_autoptr (GError) parse_error = NULL;
      if (!json_parser_load_from_data (parser, line, -1, &parse_error) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          ev->unreadable++;
          g_ptr_array_add (ev->misses, g_strdup_printf ("%s: not a JSON object%s%s", where, parse_error != NULL ? ": " : "",
                                                        parse_error != NULL ? parse_error->message : ""));
          continue;
        }
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (o, "answers"))
        eval_transcript (ev, where, o);
      else
        eval_answer (ev, where, o);
    }
  return TRUE;
}

static void
collect (const char *path, GPtrArray *files)
{
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) (void (*) (void)) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *child = g_ptr_array_index (names, i);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) || g_str_has_suffix (child, ".jsonl"))
        collect (child, files);
    }
}

static double
pct (guint ok, guint n)
{
  return n > 0 ? 100.0 * ok / n : 100.0;
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_eval, "[CORPUS...]", entries, &argc, &argv))
    return FW_EXIT_USAGE;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  for (int i = 1; i < argc; i++)
    {
      if (!g_file_test (argv[i], G_FILE_TEST_EXISTS))
        {
          cli_error ("eval: %s: no such file or folder", argv[i]);
          return FW_EXIT_INPUT;
        }
      collect (argv[i], files);
    }
  if (argc == 1)
    {
      cli_error ("eval: name the corpora to run, e.g. 'fivewhys eval corpora/answers/test corpora/transcripts/test'");
      return FW_EXIT_USAGE;
    }
  g_autoptr (FwLibrary) library = cli_load_library ();
  if (library == NULL)
    return FW_EXIT_RULES;
  Eval ev = { 0 };
  ev.library = library;
  ev.scratch = fw_scratch_new (library);
  ev.needs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ev.confusion = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ev.misses = g_ptr_array_new_with_free_func (g_free);
  int code = FW_EXIT_OK;
  for (guint i = 0; i < files->len; i++)
    if (!eval_file (&ev, g_ptr_array_index (files, i)))
      code = FW_EXIT_INPUT;

  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (ev.needs), (GCompareFunc) g_strcmp0);
  NeedScore total = { 0 };
  printf ("%-22s %8s %8s %7s %12s %8s %7s\n", "need", "answers", "correct", "%", "transcripts", "reached", "%");
  for (GList *l = keys; l != NULL; l = l->next)
    {
      NeedScore *ns = g_hash_table_lookup (ev.needs, l->data);
      printf ("%-22s %8u %8u %6.1f%% %12u %8u %6.1f%%\n", (char *) l->data, ns->answers, ns->answers_ok,
              pct (ns->answers_ok, ns->answers), ns->transcripts, ns->transcripts_ok, pct (ns->transcripts_ok, ns->transcripts));
      total.answers += ns->answers;
      total.answers_ok += ns->answers_ok;
      total.transcripts += ns->transcripts;
      total.transcripts_ok += ns->transcripts_ok;
    }
  double answers_pct = pct (total.answers_ok, total.answers);
  double transcripts_pct = pct (total.transcripts_ok, total.transcripts);
  printf ("%-22s %8u %8u %6.1f%% %12u %8u %6.1f%%\n", "overall", total.answers, total.answers_ok, answers_pct,
          total.transcripts, total.transcripts_ok, transcripts_pct);
  printf ("motivations where none may be: %u; unreadable items: %u\n", ev.false_motivations, ev.unreadable);

  printf ("\nmotivations, expected -> got (count):\n");
  g_autoptr (GList) pairs = g_list_sort (g_hash_table_get_keys (ev.confusion), (GCompareFunc) g_strcmp0);
  for (GList *l = pairs; l != NULL; l = l->next)
    {
      g_auto (GStrv) two = g_strsplit (l->data, "\t", 2);
      printf ("  %-12s -> %-12s %4u%s\n", two[0], two[1], GPOINTER_TO_UINT (g_hash_table_lookup (ev.confusion, l->data)),
              g_strcmp0 (two[0], two[1]) == 0 ? "" : "   *");
    }
  if (ev.misses->len > 0)
    {
      printf ("\nmisses (%u, first %d):\n", ev.misses->len, opt_misses);
      for (guint i = 0; i < ev.misses->len && (int) i < opt_misses; i++)
        printf ("  %s\n", (char *) g_ptr_array_index (ev.misses, i));
    }
  if ((opt_min_answers >= 0 && answers_pct < opt_min_answers)
      || (opt_min_transcripts >= 0 && transcripts_pct < opt_min_transcripts)
      || ev.false_motivations > (guint) MAX (0, opt_max_false))
    {
      cli_error ("eval: under the thresholds (answers %.1f%%, transcripts %.1f%%, false motivations %u)", answers_pct,
                 transcripts_pct, ev.false_motivations);
      if (code == FW_EXIT_OK)
        code = FW_EXIT_PROBLEMS;
    }
  fw_scratch_free (ev.scratch);
  g_hash_table_unref (ev.needs);
  g_hash_table_unref (ev.confusion);
  g_ptr_array_unref (ev.misses);
  return code;
}

const FwCommand fw_cmd_eval = {
  "eval",
  "Measure the rules on labeled corpora: accuracy per need, motivation confusion, worst misses",
  run,
};
