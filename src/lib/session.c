/* session.c: the why-ladder state machine behind ask, practice and serve.
 *
 * A session stands at the need or at a rung. Each answer is matched against
 * the rungs below the current one (children first) and the shared motivation
 * layer; a match descends (or, for a motivation, ends the ladder as
 * reached). An answer that matches nothing is a miss: the session asks again
 * in other words, never the same question twice in a row, and after
 * max_misses misses in a row it ends as stalled. It never invents a
 * motivation: only a matched pattern moves the ladder.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fw-private.h"

#define CHILD_BONUS 0.5
#define GRANDCHILD_BONUS 0.25

typedef struct {
  FwStep step;
  char *question;
  char *answer;
  char *quote;
  char *pattern;
  char *pattern_file;
  char *error;
} StepData;

struct _FwSession {
  FwLibrary *library;
  FwRuleset *ruleset;
  FwScratch *scratch;
  FwLangLayer *layer;
  guint max_misses;
  FwStatus status;
  FwRung *rung;          /* NULL at the need */
  FwMotivation *motivation;
  guint depth;
  guint misses;          /* in a row */
  guint prompt_turn;     /* how many times we asked at this rung */
  char *question;        /* the question to ask now */
  GPtrArray *steps;      /* StepData* */
};

static void
step_data_free (gpointer data)
{
  StepData *sd = data;
  g_free (sd->question);
  g_free (sd->answer);
  g_free (sd->quote);
  g_free (sd->pattern);
  g_free (sd->pattern_file);
  g_free (sd->error);
  g_strfreev (sd->step.words);
  g_free (sd->step.explain);
  g_free (sd);
}

static GPtrArray *
asks_here (FwSession *s)
{
  return s->rung != NULL ? s->rung->asks : s->ruleset->asks;
}

/* Picks the next question: the rung's own asks in turn, then the generic
 * reprompts; never the question just asked. */
static void
choose_question (FwSession *s, gboolean encourage)
{
  GPtrArray *asks = asks_here (s);
  g_autoptr (GPtrArray) pool = g_ptr_array_new ();
  if (encourage && s->layer != NULL && s->layer->encourages->len > 0)
    g_ptr_array_extend (pool, s->layer->encourages, NULL, NULL);
  else
    {
      g_ptr_array_extend (pool, asks, NULL, NULL);
      if (s->layer != NULL)
        g_ptr_array_extend (pool, s->layer->reprompts, NULL, NULL);
    }
  const char *pick = NULL;
  for (guint i = 0; i < pool->len && pick == NULL; i++)
    {
      const char *candidate = g_ptr_array_index (pool, (s->prompt_turn + i) % pool->len);
      if (g_strcmp0 (candidate, s->question) != 0)
        pick = candidate;
    }
  if (pick == NULL)
    pick = s->rung != NULL ? "Why is that important to you?" : "Why is that important to you right now?";
  if (g_strcmp0 (pick, s->question) == 0)
    pick = "And what would that give you?";
  g_free (s->question);
  s->question = g_strdup (pick);
  s->prompt_turn++;
}

FwSession *
fw_session_new (FwLibrary *library, FwRuleset *ruleset, guint max_misses)
{
  g_return_val_if_fail (library != NULL && library->compiled, NULL);
  g_return_val_if_fail (ruleset != NULL, NULL);
  FwSession *s = g_new0 (FwSession, 1);
  s->library = library;
  s->ruleset = ruleset;
  s->scratch = fw_scratch_new (library);
  s->layer = g_hash_table_lookup (library->langs, ruleset->lang);
  s->max_misses = max_misses > 0 ? max_misses : FW_DEFAULT_MAX_MISSES;
  s->status = FW_STATUS_ASKING;
  s->steps = g_ptr_array_new_with_free_func (step_data_free);
  choose_question (s, FALSE);
  s->prompt_turn = 1;
  return s;
}

FwSession *
fw_session_new_at (FwLibrary *library, FwRuleset *ruleset, FwRung *rung, guint max_misses)
{
  FwSession *s = fw_session_new (library, ruleset, max_misses);
  if (s != NULL && rung != NULL)
    {
      g_return_val_if_fail (rung->ruleset == ruleset, s);
      s->rung = rung;
      s->depth = rung->depth;
      s->prompt_turn = 0;
      g_clear_pointer (&s->question, g_free);
      choose_question (s, FALSE);
      s->prompt_turn = 1;
    }
  return s;
}

void
fw_session_free (FwSession *s)
{
  if (s == NULL)
    return;
  fw_scratch_free (s->scratch);
  g_ptr_array_unref (s->steps);
  g_free (s->question);
  g_free (s);
}

/* The rungs that may come next, with their bonuses: children, their
 * children, deeper descendants, then the motivation layer. */
static void
gather_candidates (FwSession *s, GPtrArray *rungs, GArray *bonus)
{
  GPtrArray *start = s->rung != NULL ? s->rung->children : s->ruleset->rungs;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GPtrArray) frontier = g_ptr_array_new ();
  g_ptr_array_extend (frontier, start, NULL, NULL);
  for (guint generation = 0; frontier->len > 0 && generation < FW_MAX_RULE_DEPTH; generation++)
    {
      g_autoptr (GPtrArray) next = g_ptr_array_new ();
      for (guint i = 0; i < frontier->len; i++)
        {
          FwRung *rung = g_ptr_array_index (frontier, i);
          if (g_hash_table_contains (seen, rung))
            continue;
          g_hash_table_add (seen, rung);
          if (rung->is_layer)
            continue; /* the layer comes last, once */
          double b = generation == 0 ? CHILD_BONUS : generation == 1 ? GRANDCHILD_BONUS : 0;
          g_ptr_array_add (rungs, rung);
          g_array_append_val (bonus, b);
          g_ptr_array_extend (next, rung->children, NULL, NULL);
        }
      g_ptr_array_set_size (frontier, 0);
      g_ptr_array_extend (frontier, next, NULL, NULL);
    }
  /* Layer rungs named as children keep the child bonus. */
  for (guint i = 0; i < s->ruleset->layer->len; i++)
    {
      FwRung *rung = g_ptr_array_index (s->ruleset->layer, i);
      gboolean child = FALSE;
      for (guint c = 0; c < start->len; c++)
        child = child || g_ptr_array_index (start, c) == rung;
      double b = child ? CHILD_BONUS : 0;
      g_ptr_array_add (rungs, rung);
      g_array_append_val (bonus, b);
    }
}

typedef struct {
  FwRung *rung;
  double nearness;
  char *why;
} Near;

static void
near_clear (gpointer data)
{
  g_free (((Near *) data)->why);
}

static gint
compare_near (gconstpointer a, gconstpointer b)
{
  double x = ((const Near *) a)->nearness, y = ((const Near *) b)->nearness;
  return (x < y) - (x > y);
}

/* For --explain: the two candidate rungs nearest to matching, and why they
 * did not win. */
static char *
explain_misses (FwSession *s, GPtrArray *rungs, FwRung *winner, double winner_score, const char *answer)
{
  FwDoc *doc = fw_scratch_prepare (s->scratch, s->ruleset->lang, answer, strlen (answer));
  g_autoptr (GArray) nears = g_array_new (FALSE, TRUE, sizeof (Near));
  g_array_set_clear_func (nears, near_clear);
  for (guint r = 0; r < rungs->len; r++)
    {
      FwRung *rung = g_ptr_array_index (rungs, r);
      if (rung == winner)
        continue;
      Near near = { rung, -1, NULL };
      for (guint p = 0; p < rung->patterns->len; p++)
        {
          FwPattern *pattern = g_ptr_array_index (rung->patterns, p);
          double nearness;
          char *why;
          if (!fw_scratch_may_match (s->scratch, pattern))
            {
              g_autofree char *missing = fw_scratch_missing_words (s->scratch, pattern);
              nearness = 0.9 * fw_scratch_required_share (s->scratch, pattern);
              why = g_strdup_printf ("'%s' needs the word %s", pattern->source, missing != NULL ? missing : "?");
            }
          else
            {
              FwHit hit;
              gboolean ok = fw_pattern_run (s->scratch, pattern, doc, answer, strlen (answer), &hit, NULL);
              if (ok)
                {
                  nearness = 3 + hit.score;
                  why = g_strdup_printf ("'%s' matched \"%.*s\" but scored %.2f against %.2f", pattern->source,
                                         (int) (hit.end - hit.start), answer + hit.start, hit.score, winner_score);
                }
              else if (hit.pattern != NULL && hit.negated)
                {
                  nearness = 2;
                  why = g_strdup_printf ("'%s' matched \"%.*s\" only inside a negated clause", pattern->source,
                                         (int) (hit.end - hit.start), answer + hit.start);
                }
              else if (hit.pattern != NULL && hit.forbidden)
                {
                  nearness = 2;
                  why = g_strdup_printf ("'%s' matched \"%.*s\" but its clause holds a forbidden word",
                                         pattern->source, (int) (hit.end - hit.start), answer + hit.start);
                }
              else
                {
                  nearness = 1;
                  why = pattern->raw ? g_strdup_printf ("regex '%s' does not match", pattern->source)
                                     : g_strdup_printf ("'%s' has its words here, but not in that order or within one sentence",
                                                        pattern->source);
                }
            }
          if (nearness > near.nearness)
            {
              g_free (near.why);
              near.why = why;
              near.nearness = nearness;
            }
          else
            g_free (why);
        }
      if (near.why == NULL)
        near.why = g_strdup ("has no patterns");
      g_array_append_val (nears, near);
    }
  g_array_sort (nears, compare_near);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < nears->len && i < 2; i++)
    {
      Near *near = &g_array_index (nears, Near, i);
      g_string_append_printf (out, "%s%s: %s", i > 0 ? "\n" : "", near->rung->id, near->why);
    }
  return g_string_free (out, FALSE);
}

const FwStep *
fw_session_answer (FwSession *s, const char *answer)
{
  g_return_val_if_fail (s != NULL, NULL);
  g_return_val_if_fail (answer != NULL, NULL);
  StepData *sd = g_new0 (StepData, 1);
  sd->question = g_strdup (s->question != NULL ? s->question : "");
  /* Answers are kept and quoted as valid UTF-8. */
  sd->answer = g_utf8_make_valid (answer, -1);
  sd->step.question = sd->question;
  sd->step.answer = sd->answer;
  g_ptr_array_add (s->steps, sd);
  if (s->status != FW_STATUS_ASKING)
    {
      sd->step.kind = FW_STEP_NO_MATCH;
      return &sd->step;
    }
  gsize answer_len = strlen (answer);
  if (answer_len > FW_ANSWER_MAX_BYTES)
    {
      /* Matching is linear in the answer, but no one says this much in one
       * answer: it is a miss, said to the caller, rather than the time. */
      sd->error = g_strdup_printf ("answer of %" G_GSIZE_FORMAT " bytes is longer than the limit of %d: not matched",
                                   answer_len, FW_ANSWER_MAX_BYTES);
      sd->step.error = sd->error;
      sd->step.kind = FW_STEP_NO_MATCH;
      if (++s->misses >= s->max_misses)
        {
          s->status = FW_STATUS_STALLED;
          g_clear_pointer (&s->question, g_free);
        }
      else
        choose_question (s, FALSE);
      return &sd->step;
    }

  g_autoptr (GPtrArray) rungs = g_ptr_array_new ();
  g_autoptr (GArray) bonus = g_array_new (FALSE, FALSE, sizeof (double));
  gather_candidates (s, rungs, bonus);
  FwHit hit;
  g_autoptr (GError) error = NULL;
  gsize len = strlen (sd->answer);
  int index = fw_match_rungs (s->scratch, rungs, (double *) bonus->data, s->ruleset->lang, sd->answer, len,
                              &hit, &error);
  if (error != NULL)
    {
      sd->error = g_strdup (error->message);
      sd->step.error = sd->error;
    }
  if (index >= 0)
    {
      FwRung *rung = g_ptr_array_index (rungs, index);
      sd->step.kind = rung->is_layer ? FW_STEP_JUMP : FW_STEP_DESCEND;
      sd->step.rung = rung;
      sd->step.score = hit.score;
      sd->quote = g_strndup (sd->answer + hit.start, hit.end - hit.start);
      sd->step.evidence.start = hit.start;
      sd->step.evidence.end = hit.end;
      sd->step.evidence.text = sd->quote;
      sd->pattern = g_strdup (hit.pattern->source);
      sd->pattern_file = g_strdup (hit.pattern->place.file);
      sd->step.pattern = sd->pattern;
      sd->step.pattern_file = sd->pattern_file;
      sd->step.pattern_line = hit.pattern->place.line;
      FwDoc *doc = fw_scratch_prepare (s->scratch, s->ruleset->lang, sd->answer, len);
      GPtrArray *words = g_ptr_array_new ();
      fw_hit_words (s->scratch, doc, &hit, words);
      g_ptr_array_add (words, NULL);
      sd->step.words = (char **) g_ptr_array_free (words, FALSE);
      sd->step.explain = explain_misses (s, rungs, rung, hit.score, sd->answer);

      s->rung = rung;
      s->depth++;
      s->misses = 0;
      s->prompt_turn = 0;
      if (rung->level == FW_LEVEL_MOTIVATION)
        {
          s->motivation = rung->motivation;
          s->status = FW_STATUS_REACHED;
          g_clear_pointer (&s->question, g_free);
        }
      else
        choose_question (s, FALSE);
      return &sd->step;
    }

  /* Nothing matched: a non-answer, or just a miss. */
  FwHit none;
  gboolean nonanswer = TRUE; /* an empty or blank answer is no answer */
  for (guint i = 0; i < len && nonanswer; i++)
    nonanswer = g_ascii_isspace (sd->answer[i]);
  if (!nonanswer && s->layer != NULL)
    nonanswer = fw_match_patterns (s->scratch, s->layer->nonanswer_patterns, s->ruleset->lang, sd->answer, len,
                                   &none, NULL);
  sd->step.kind = nonanswer ? FW_STEP_NON_ANSWER : FW_STEP_NO_MATCH;
  sd->step.explain = explain_misses (s, rungs, NULL, 0, sd->answer);
  s->misses++;
  if (s->misses >= s->max_misses)
    {
      s->status = FW_STATUS_STALLED;
      g_clear_pointer (&s->question, g_free);
    }
  else
    choose_question (s, nonanswer);
  return &sd->step;
}

void
fw_session_end (FwSession *s)
{
  if (s->status == FW_STATUS_ASKING)
    {
      s->status = FW_STATUS_ENDED;
      g_clear_pointer (&s->question, g_free);
    }
}

const char *fw_session_get_question (FwSession *s) { return s->question; }
FwStatus fw_session_get_status (FwSession *s) { return s->status; }
FwRuleset *fw_session_get_ruleset (FwSession *s) { return s->ruleset; }
guint fw_session_get_depth (FwSession *s) { return s->depth; }
FwRung *fw_session_get_rung (FwSession *s) { return s->rung; }
FwMotivation *fw_session_get_motivation (FwSession *s) { return s->motivation; }
guint fw_session_get_n_steps (FwSession *s) { return s->steps->len; }

const FwStep *
fw_session_get_step (FwSession *s, guint index)
{
  g_return_val_if_fail (index < s->steps->len, NULL);
  return &((StepData *) g_ptr_array_index (s->steps, index))->step;
}

static const char *
step_kind_name (FwStepKind kind)
{
  switch (kind)
    {
    case FW_STEP_DESCEND: return "descend";
    case FW_STEP_JUMP: return "jump";
    case FW_STEP_NO_MATCH: return "no-match";
    case FW_STEP_NON_ANSWER: return "non-answer";
    }
  return "unknown";
}

char *
fw_session_to_json (FwSession *s, gboolean explain)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "need");
  json_builder_add_string_value (b, s->ruleset->id);
  json_builder_set_member_name (b, "depth");
  json_builder_add_int_value (b, s->depth);
  json_builder_set_member_name (b, "motivation");
  if (s->motivation != NULL)
    json_builder_add_string_value (b, s->motivation->id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, fw_status_to_string (s->status));
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->steps->len; i++)
    {
      const FwStep *step = fw_session_get_step (s, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "question");
      json_builder_add_string_value (b, step->question);
      json_builder_set_member_name (b, "answer");
      json_builder_add_string_value (b, step->answer);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, step_kind_name (step->kind));
      json_builder_set_member_name (b, "rung");
      if (step->rung != NULL)
        json_builder_add_string_value (b, step->rung->id);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "level");
      if (step->rung != NULL)
        json_builder_add_string_value (b, fw_level_to_string (step->rung->level));
      else
        json_builder_add_null_value (b);
      if (step->error != NULL)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, step->error);
        }
      json_builder_set_member_name (b, "evidence");
      if (step->rung != NULL)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "start");
          json_builder_add_int_value (b, step->evidence.start);
          json_builder_set_member_name (b, "end");
          json_builder_add_int_value (b, step->evidence.end);
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, step->evidence.text);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      if (explain)
        {
          json_builder_set_member_name (b, "pattern");
          if (step->pattern != NULL)
            json_builder_add_string_value (b, step->pattern);
          else
            json_builder_add_null_value (b);
          if (step->pattern != NULL)
            {
              json_builder_set_member_name (b, "pattern_at");
              g_autofree char *at = g_strdup_printf ("%s:%d", step->pattern_file, step->pattern_line);
              json_builder_add_string_value (b, at);
              json_builder_set_member_name (b, "score");
              json_builder_add_double_value (b, step->score);
            }
          json_builder_set_member_name (b, "words");
          json_builder_begin_array (b);
          for (guint w = 0; step->words != NULL && step->words[w] != NULL; w++)
            json_builder_add_string_value (b, step->words[w]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "nearest");
          json_builder_begin_array (b);
          if (step->explain != NULL && *step->explain != '\0')
            {
              g_auto (GStrv) lines = g_strsplit (step->explain, "\n", -1);
              for (guint l = 0; lines[l] != NULL; l++)
                json_builder_add_string_value (b, lines[l]);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* ---- examples as tests ------------------------------------------------------ */

/* The rung an answer given at @parent (NULL: the need) reaches. */
static FwRung *
reach (FwLibrary *library, FwScratch *scratch, FwRuleset *ruleset, FwRung *parent, const char *text,
       FwHit *hit)
{
  FwSession s = { 0 };
  s.library = library;
  s.ruleset = ruleset;
  s.rung = parent;
  g_autoptr (GPtrArray) rungs = g_ptr_array_new ();
  g_autoptr (GArray) bonus = g_array_new (FALSE, FALSE, sizeof (double));
  gather_candidates (&s, rungs, bonus);
  int index = fw_match_rungs (scratch, rungs, (double *) bonus->data, ruleset->lang, text, strlen (text), hit, NULL);
  return index >= 0 ? g_ptr_array_index (rungs, index) : NULL;
}

static gboolean
same_outcome (FwRung *want, FwRung *got)
{
  if (got == want)
    return TRUE;
  /* A motivation rung reached through the shared layer is the same end. */
  return got != NULL && want->level == FW_LEVEL_MOTIVATION && got->is_layer && got->motivation == want->motivation;
}

static guint
check_rung_examples (FwLibrary *library, FwScratch *scratch, FwRuleset *ruleset, FwRung *rung)
{
  guint errors = 0;
  for (guint e = 0; e < rung->examples->len; e++)
    {
      FwExample *ex = g_ptr_array_index (rung->examples, e);
      FwHit hit;
      FwRung *got = reach (library, scratch, ruleset, rung->parent, ex->text, &hit);
      if (same_outcome (rung, got))
        continue;
      gboolean sibling = got != NULL && !got->is_layer && got->parent == rung->parent;
      /* Did the rung match at all? */
      FwHit own;
      g_autoptr (GPtrArray) only = g_ptr_array_new ();
      g_ptr_array_add (only, rung);
      gboolean matched = fw_match_rungs (scratch, only, NULL, ruleset->lang, ex->text, strlen (ex->text), &own, NULL) >= 0;
      if (got != NULL && matched && sibling)
        fw_library_diag (library, FW_SEVERITY_WARNING, ex->place.file, ex->place.line,
                         "rung '%s' is shadowed: its example \"%s\" is taken by sibling '%s' (pattern '%s' at line %d)",
                         rung->id, ex->text, got->id, hit.pattern->source, hit.pattern->place.line);
      else
        {
          errors++;
          if (got == NULL)
            fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                             "example \"%s\" does not reach rung '%s': no pattern matches it", ex->text, rung->id);
          else
            fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                             "example \"%s\" does not reach rung '%s': '%s' takes it (pattern '%s' at %s:%d)",
                             ex->text, rung->id, got->id, hit.pattern->source, hit.pattern->place.file,
                             hit.pattern->place.line);
        }
    }
  for (guint e = 0; e < rung->counterexamples->len; e++)
    {
      FwExample *ex = g_ptr_array_index (rung->counterexamples, e);
      FwHit hit;
      FwRung *got = reach (library, scratch, ruleset, rung->parent, ex->text, &hit);
      if (got == rung)
        {
          errors++;
          fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                           "counterexample \"%s\" reaches rung '%s' (pattern '%s' at line %d)", ex->text, rung->id,
                           hit.pattern->source, hit.pattern->place.line);
        }
    }
  return errors;
}

guint
fw_library_run_examples (FwLibrary *library)
{
  g_return_val_if_fail (library->compiled, 0);
  g_autoptr (FwScratch) scratch = fw_scratch_new (library);
  guint errors = 0;
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *ruleset = g_ptr_array_index (library->rulesets, i);
      for (guint e = 0; e < ruleset->need_examples->len; e++)
        {
          FwExample *ex = g_ptr_array_index (ruleset->need_examples, e);
          FwRuleset *got = fw_library_match_need (library, scratch, ex->text);
          if (got != ruleset)
            {
              errors++;
              fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                               "need example \"%s\" is not recognised as '%s'%s%s", ex->text, ruleset->id,
                               got != NULL ? ": it selects " : ": no need pattern matches it",
                               got != NULL ? got->id : "");
            }
        }
      for (guint e = 0; e < ruleset->need_counterexamples->len; e++)
        {
          FwExample *ex = g_ptr_array_index (ruleset->need_counterexamples, e);
          if (fw_library_match_need (library, scratch, ex->text) == ruleset)
            {
              errors++;
              fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                               "need counterexample \"%s\" is recognised as '%s'", ex->text, ruleset->id);
            }
        }
      for (guint r = 0; r < ruleset->all_rungs->len; r++)
        errors += check_rung_examples (library, scratch, ruleset, g_ptr_array_index (ruleset->all_rungs, r));
    }
  for (guint i = 0; i < library->motivations->len; i++)
    {
      FwMotivation *m = g_ptr_array_index (library->motivations, i);
      for (guint pass = 0; pass < 2; pass++)
        {
          GPtrArray *list = pass == 0 ? m->examples : m->counterexamples;
          GPtrArray *langs = pass == 0 ? m->example_langs : m->counterexample_langs;
          for (guint e = 0; e < list->len; e++)
            {
              FwExample *ex = g_ptr_array_index (list, e);
              const char *lang = g_ptr_array_index (langs, e);
              GPtrArray *patterns = g_hash_table_lookup (m->patterns, lang);
              FwHit hit;
              gboolean matched = patterns != NULL
                                 && fw_match_patterns (scratch, patterns, lang, ex->text, strlen (ex->text), &hit, NULL);
              if (pass == 0 && !matched)
                {
                  errors++;
                  fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                                   "example \"%s\" does not reach motivation '%s': no pattern matches it", ex->text, m->id);
                }
              else if (pass == 1 && matched)
                {
                  errors++;
                  fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                                   "counterexample \"%s\" reaches motivation '%s' (pattern '%s' at line %d)", ex->text,
                                   m->id, hit.pattern->source, hit.pattern->place.line);
                }
            }
        }
    }
  errors += fw_practice_run_examples (library, scratch); /* questions and personas */
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, library->langs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FwLangLayer *layer = value;
      for (guint e = 0; e < layer->nonanswer_examples->len; e++)
        {
          FwExample *ex = g_ptr_array_index (layer->nonanswer_examples, e);
          FwHit hit;
          if (!fw_match_patterns (scratch, layer->nonanswer_patterns, layer->lang, ex->text, strlen (ex->text), &hit, NULL))
            {
              errors++;
              fw_library_diag (library, FW_SEVERITY_ERROR, ex->place.file, ex->place.line,
                               "non-answer example \"%s\" is not recognised as a non-answer", ex->text);
            }
        }
    }
  return errors;
}
