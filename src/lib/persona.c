/* persona.c: the customers practice mode plays.
 *
 * A <persona> file names a ruleset (its need) and a hidden path down it:
 * rung ids from the need to a motivation, each with the customer's
 * phrasings. The loader (loader.c) validates the file against the schema
 * and hands the root element here; paths are checked against the rulesets
 * when the library compiles, since the ruleset may be loaded after the
 * persona. This file also holds practice mode's share of the library (its
 * personas and question classes) and the hooks the library calls.
 */
#include "config.h"

#include <string.h>

#include <libxml/tree.h>

#include "practice-private.h"

/* ---- XML helpers, shared with questions.c -------------------------------- */

gboolean
fw_practice_xml_is (xmlNodePtr node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

/* The element's text, trimmed, with runs of white space folded to one, as
 * the rule loader reads it. */
char *
fw_practice_xml_text (xmlNodePtr node)
{
  xmlChar *raw = xmlNodeGetContent (node);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  for (const char *p = (const char *) raw; p != NULL && *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  xmlFree (raw);
  return g_string_free (out, FALSE);
}

char *
fw_practice_xml_attr (xmlNodePtr node, const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  char *copy = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  return copy;
}

FwPlace
fw_practice_xml_place (const char *file, xmlNodePtr node)
{
  FwPlace place = { file, (int) xmlGetLineNo (node) };
  return place;
}

/* ---- names ------------------------------------------------------------------ */

static const char *const reply_names[FW_REPLY_N] = {
  "closed", "leading", "pitch", "hangup", "empathy", "summary", "off-topic", "hold", "timeout",
};

const char *
fw_reply_kind_to_string (FwReplyKind kind)
{
  return (guint) kind < FW_REPLY_N ? reply_names[kind] : NULL;
}

gboolean
fw_reply_kind_from_string (const char *name, FwReplyKind *kind)
{
  for (guint i = 0; i < FW_REPLY_N; i++)
    if (g_strcmp0 (name, reply_names[i]) == 0)
      {
        *kind = (FwReplyKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
fw_temperament_to_string (FwTemperament temperament)
{
  switch (temperament)
    {
    case FW_TEMPERAMENT_OPEN: return "open";
    case FW_TEMPERAMENT_GUARDED: return "guarded";
    case FW_TEMPERAMENT_BUSY: return "busy";
    }
  return NULL;
}

/* What each temperament does unless the persona says otherwise. An open
 * customer answers a probe at once and tells two rungs when warm; a guarded
 * one starts cool and answers probes only once acknowledged; a busy one
 * answers at once but has few turns and little patience. */
static FwWarmth
temperament_warmth (FwTemperament temperament)
{
  static const FwWarmth table[] = {
    [FW_TEMPERAMENT_OPEN] = { .start = 1, .reveal = 0, .open_up = 3, .leave = -4, .pitches = 3, .turns = 25 },
    [FW_TEMPERAMENT_GUARDED] = { .start = -1, .reveal = 1, .open_up = 4, .leave = -5, .pitches = 2, .turns = 25 },
    [FW_TEMPERAMENT_BUSY] = { .start = 0, .reveal = 0, .open_up = 2, .leave = -3, .pitches = 2, .turns = 10 },
  };
  return table[temperament];
}

/* ---- the practice rules of a library ------------------------------------- */

FwPracticeRules *
fw_practice_rules_get (FwLibrary *library)
{
  if (library->practice == NULL)
    {
      FwPracticeRules *rules = g_new0 (FwPracticeRules, 1);
      rules->personas = g_ptr_array_new_with_free_func (fw_persona_free);
      rules->persona_by_id = g_hash_table_new (g_str_hash, g_str_equal);
      rules->questions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fw_questions_free);
      library->practice = rules;
    }
  return library->practice;
}

void
fw_practice_rules_free (FwPracticeRules *rules)
{
  if (rules == NULL)
    return;
  g_hash_table_unref (rules->persona_by_id);
  g_ptr_array_unref (rules->personas);
  g_hash_table_unref (rules->questions);
  g_free (rules);
}

/* Called by the loader for a <persona> or <questions> root. */
void
fw_practice_load_xml (FwLibrary *library, const char *file, xmlNodePtr root)
{
  if (fw_practice_xml_is (root, "persona"))
    fw_persona_load (library, file, root);
  else
    fw_questions_load (library, file, root);
}

/* Called by fw_library_compile once the rulesets are resolved and before
 * the vocabularies freeze: checks every persona's path and compiles the
 * question patterns. */
void
fw_practice_compile (FwLibrary *library)
{
  if (library->practice == NULL)
    return;
  FwPracticeRules *rules = library->practice;
  for (guint i = 0; i < rules->personas->len; i++)
    fw_persona_check (library, g_ptr_array_index (rules->personas, i));
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, rules->questions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    fw_questions_compile (library, value);
}

/* Called by fw_library_run_examples: question examples and persona
 * phrasings as tests. Returns the number of errors recorded. */
guint
fw_practice_run_examples (FwLibrary *library, FwScratch *scratch)
{
  if (library->practice == NULL)
    return 0;
  FwPracticeRules *rules = library->practice;
  guint errors = 0;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, rules->questions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    errors += fw_questions_run_examples (library, scratch, value);
  for (guint i = 0; i < rules->personas->len; i++)
    errors += fw_persona_run_examples (library, g_ptr_array_index (rules->personas, i));
  return errors;
}

/* ---- loading --------------------------------------------------------------- */

static void
step_free (gpointer data)
{
  FwPersonaStep *step = data;
  g_free (step->rung_id);
  g_ptr_array_unref (step->says);
  g_free (step);
}

void
fw_persona_free (gpointer data)
{
  FwPersona *persona = data;
  if (persona == NULL)
    return;
  g_free (persona->id);
  g_free (persona->need_id);
  g_free (persona->name);
  g_free (persona->description);
  g_ptr_array_unref (persona->openings);
  g_ptr_array_unref (persona->steps);
  for (guint r = 0; r < FW_REPLY_N; r++)
    g_ptr_array_unref (persona->replies[r]);
  g_free (persona);
}

static FwTemperament
temperament_from_string (const char *name)
{
  if (g_strcmp0 (name, "guarded") == 0)
    return FW_TEMPERAMENT_GUARDED;
  if (g_strcmp0 (name, "busy") == 0)
    return FW_TEMPERAMENT_BUSY;
  return FW_TEMPERAMENT_OPEN;
}

/* Reads an integer attribute the schema has checked into @out. */
static void
int_attr (xmlNodePtr node, const char *name, int *out)
{
  g_autofree char *value = fw_practice_xml_attr (node, name);
  if (value != NULL)
    *out = (int) g_ascii_strtoll (value, NULL, 10);
}

static void
load_warmth (FwLibrary *library, const char *file, FwPersona *persona, xmlNodePtr node)
{
  FwWarmth *w = &persona->warmth;
  int pitches = (int) w->pitches, turns = (int) w->turns;
  int_attr (node, "start", &w->start);
  int_attr (node, "reveal", &w->reveal);
  int_attr (node, "open-up", &w->open_up);
  int_attr (node, "leave", &w->leave);
  int_attr (node, "pitches", &pitches);
  int_attr (node, "turns", &turns);
  w->pitches = (guint) pitches;
  w->turns = (guint) turns;
  int line = (int) xmlGetLineNo (node);
  if (w->start > FW_WARMTH_MAX)
    fw_library_diag (library, FW_SEVERITY_ERROR, file, line,
                     "persona '%s': start=\"%d\" is above the most a customer warms up (%d)", persona->id,
                     w->start, FW_WARMTH_MAX);
  if (w->leave >= w->start)
    fw_library_diag (library, FW_SEVERITY_ERROR, file, line,
                     "persona '%s': leave=\"%d\" is not below start=\"%d\": the customer would hang up before the first question",
                     persona->id, w->leave, w->start);
  if (w->open_up < w->reveal)
    fw_library_diag (library, FW_SEVERITY_ERROR, file, line,
                     "persona '%s': open-up=\"%d\" is below reveal=\"%d\": a customer tells two rungs only once they tell one",
                     persona->id, w->open_up, w->reveal);
  if (w->reveal > FW_WARMTH_MAX)
    fw_library_diag (library, FW_SEVERITY_ERROR, file, line,
                     "persona '%s': reveal=\"%d\" is above the most a customer warms up (%d): no probe would ever work",
                     persona->id, w->reveal, FW_WARMTH_MAX);
}

void
fw_persona_load (FwLibrary *library, const char *file, xmlNodePtr root)
{
  FwPracticeRules *rules = fw_practice_rules_get (library);
  g_autofree char *id = fw_practice_xml_attr (root, "id");
  FwPersona *seen = g_hash_table_lookup (rules->persona_by_id, id);
  if (seen != NULL)
    {
      fw_library_diag (library, FW_SEVERITY_ERROR, file, (int) xmlGetLineNo (root),
                       "duplicate persona id '%s': already defined at %s:%d", id, seen->place.file,
                       seen->place.line);
      return;
    }
  FwPersona *persona = g_new0 (FwPersona, 1);
  persona->id = g_steal_pointer (&id);
  persona->need_id = fw_practice_xml_attr (root, "need");
  persona->name = fw_practice_xml_attr (root, "name");
  g_autofree char *temperament = fw_practice_xml_attr (root, "temperament");
  persona->temperament = temperament_from_string (temperament);
  persona->warmth = temperament_warmth (persona->temperament);
  persona->openings = g_ptr_array_new_with_free_func (g_free);
  persona->steps = g_ptr_array_new_with_free_func (step_free);
  for (guint r = 0; r < FW_REPLY_N; r++)
    persona->replies[r] = g_ptr_array_new_with_free_func (g_free);
  persona->place = fw_practice_xml_place (file, root);
  g_ptr_array_add (rules->personas, persona);
  g_hash_table_insert (rules->persona_by_id, persona->id, persona);

  for (xmlNodePtr node = root->children; node != NULL; node = node->next)
    {
      if (fw_practice_xml_is (node, "description"))
        persona->description = fw_practice_xml_text (node);
      else if (fw_practice_xml_is (node, "opening"))
        g_ptr_array_add (persona->openings, fw_practice_xml_text (node));
      else if (fw_practice_xml_is (node, "warmth"))
        load_warmth (library, file, persona, node);
      else if (fw_practice_xml_is (node, "reply"))
        {
          g_autofree char *to = fw_practice_xml_attr (node, "to");
          FwReplyKind kind;
          if (fw_reply_kind_from_string (to, &kind))
            g_ptr_array_add (persona->replies[kind], fw_practice_xml_text (node));
        }
      else if (fw_practice_xml_is (node, "path"))
        {
          for (xmlNodePtr s = node->children; s != NULL; s = s->next)
            {
              if (!fw_practice_xml_is (s, "step"))
                continue;
              FwPersonaStep *step = g_new0 (FwPersonaStep, 1);
              step->rung_id = fw_practice_xml_attr (s, "rung");
              step->place = fw_practice_xml_place (file, s);
              step->says = g_ptr_array_new_with_free_func (fw_example_free);
              for (xmlNodePtr say = s->children; say != NULL; say = say->next)
                if (fw_practice_xml_is (say, "say"))
                  {
                    FwExample *example = g_new0 (FwExample, 1);
                    example->text = fw_practice_xml_text (say);
                    example->place = fw_practice_xml_place (file, say);
                    g_ptr_array_add (step->says, example);
                  }
              g_ptr_array_add (persona->steps, step);
            }
        }
    }
}

/* ---- checking the path ------------------------------------------------------ */

static gboolean
contains (const GPtrArray *rungs, FwRung *rung)
{
  for (guint i = 0; i < rungs->len; i++)
    if (g_ptr_array_index (rungs, i) == rung)
      return TRUE;
  return FALSE;
}

/* "money, refinance, fixed" (at most six), for "below it: ..." hints. */
static char *
list_ids (const GPtrArray *rungs)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < rungs->len && i < 6; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", ((FwRung *) g_ptr_array_index (rungs, i))->id);
  if (rungs->len > 6)
    g_string_append (out, ", ...");
  if (rungs->len == 0)
    g_string_append (out, "nothing");
  return g_string_free (out, FALSE);
}

/* Resolves the persona's ruleset and path. A persona whose ruleset is not
 * loaded is a warning (it cannot be practised, but the rules are fine: a
 * persona may be loaded without its need); a path that does not follow
 * the ruleset is an error at the step's line. */
void
fw_persona_check (FwLibrary *library, FwPersona *persona)
{
  persona->ruleset = fw_library_find_ruleset (library, persona->need_id);
  if (persona->ruleset == NULL)
    {
      fw_library_diag (library, FW_SEVERITY_WARNING, persona->place.file, persona->place.line,
                       "persona '%s' is for need '%s', which no loaded ruleset has: it cannot be practised",
                       persona->id, persona->need_id);
      return;
    }
  FwRuleset *ruleset = persona->ruleset;
  const GPtrArray *below = ruleset->rungs;
  FwRung *above = NULL;
  gboolean ok = TRUE;
  for (guint i = 0; i < persona->steps->len && ok; i++)
    {
      FwPersonaStep *step = g_ptr_array_index (persona->steps, i);
      g_autofree char *where = above != NULL ? g_strdup_printf ("'%s'", above->id) : g_strdup ("the need");
      g_autofree char *hint = list_ids (below);
      FwRung *rung = fw_ruleset_find_rung (ruleset, step->rung_id);
      ok = FALSE;
      if (above != NULL && above->level == FW_LEVEL_MOTIVATION)
        fw_library_diag (library, FW_SEVERITY_ERROR, step->place.file, step->place.line,
                         "persona '%s': step '%s' comes after the motivation %s: the path ends at its motivation",
                         persona->id, step->rung_id, where);
      else if (rung == NULL)
        fw_library_diag (library, FW_SEVERITY_ERROR, step->place.file, step->place.line,
                         "persona '%s': ruleset '%s' has no rung '%s' (below %s: %s)", persona->id, ruleset->id,
                         step->rung_id, where, hint);
      else if (!contains (below, rung))
        fw_library_diag (library, FW_SEVERITY_ERROR, step->place.file, step->place.line,
                         "persona '%s': rung '%s' is not below %s in ruleset '%s' (below it: %s)", persona->id,
                         step->rung_id, where, ruleset->id, hint);
      else
        {
          ok = TRUE;
          step->rung = rung;
          above = rung;
          below = rung->children;
        }
    }
  if (ok && persona->steps->len > 0)
    {
      FwPersonaStep *last = g_ptr_array_index (persona->steps, persona->steps->len - 1);
      if (last->rung->level != FW_LEVEL_MOTIVATION)
        {
          fw_library_diag (library, FW_SEVERITY_ERROR, last->place.file, last->place.line,
                           "persona '%s': the path ends at '%s' (%s): it must end at a motivation rung", persona->id,
                           last->rung->id, fw_level_to_string (last->rung->level));
          ok = FALSE;
        }
    }
  persona->path_ok = ok;
  if (!ok)
    persona->ruleset = NULL; /* not practisable */
}

/* Every phrasing of a step, answered at the step above it in an `ask`
 * session, should reach the step's rung: then the ladder the trainee
 * uncovers is the one `ask` would draw from the same words. A phrasing that
 * does not is a warning, so that a rule author who changes a pattern sees
 * which personas drift from the rules. Returns 0: these are not errors. */
guint
fw_persona_run_examples (FwLibrary *library, FwPersona *persona)
{
  if (persona->ruleset == NULL || !persona->path_ok)
    return 0;
  FwRung *parent = NULL;
  for (guint i = 0; i < persona->steps->len; i++)
    {
      FwPersonaStep *step = g_ptr_array_index (persona->steps, i);
      for (guint s = 0; s < step->says->len; s++)
        {
          FwExample *say = g_ptr_array_index (step->says, s);
          g_autoptr (FwSession) session = fw_session_new_at (library, persona->ruleset, parent, 0);
          const FwStep *answered = fw_session_answer (session, say->text);
          FwRung *got = answered->rung;
          gboolean same = got == step->rung
                          || (got != NULL && got->level == FW_LEVEL_MOTIVATION
                              && step->rung->level == FW_LEVEL_MOTIVATION && got->motivation == step->rung->motivation);
          if (same)
            continue;
          if (got == NULL)
            fw_library_diag (library, FW_SEVERITY_WARNING, say->place.file, say->place.line,
                             "persona '%s': \"%s\" does not reach rung '%s' in `ask`: no pattern matches it",
                             persona->id, say->text, step->rung->id);
          else
            fw_library_diag (library, FW_SEVERITY_WARNING, say->place.file, say->place.line,
                             "persona '%s': \"%s\" does not reach rung '%s' in `ask`: '%s' takes it (pattern '%s' at %s:%d)",
                             persona->id, say->text, step->rung->id, got->id, answered->pattern,
                             answered->pattern_file, answered->pattern_line);
        }
      parent = step->rung;
    }
  return 0;
}

/* ---- public getters ----------------------------------------------------------- */

guint
fw_library_get_n_personas (FwLibrary *library)
{
  g_return_val_if_fail (library != NULL, 0);
  return library->practice != NULL ? library->practice->personas->len : 0;
}

FwPersona *
fw_library_get_persona (FwLibrary *library, guint index)
{
  g_return_val_if_fail (index < fw_library_get_n_personas (library), NULL);
  return g_ptr_array_index (library->practice->personas, index);
}

FwPersona *
fw_library_find_persona (FwLibrary *library, const char *id)
{
  g_return_val_if_fail (library != NULL, NULL);
  if (library->practice == NULL || id == NULL)
    return NULL;
  return g_hash_table_lookup (library->practice->persona_by_id, id);
}

static gboolean
questions_have_patterns (FwQuestions *questions)
{
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    if (questions->classes[c].patterns->len > 0 || questions->classes[c].sources->len > 0)
      return TRUE;
  return FALSE;
}

gboolean
fw_library_has_questions (FwLibrary *library, const char *lang)
{
  g_return_val_if_fail (library != NULL, FALSE);
  if (library->practice == NULL)
    return FALSE;
  if (lang != NULL)
    {
      FwQuestions *questions = fw_questions_get (library, lang, FALSE);
      return questions != NULL && questions_have_patterns (questions);
    }
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, library->practice->questions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (questions_have_patterns (value))
      return TRUE;
  return FALSE;
}

const char *fw_persona_get_id (FwPersona *persona) { return persona->id; }
const char *fw_persona_get_name (FwPersona *persona) { return persona->name; }
const char *fw_persona_get_need (FwPersona *persona) { return persona->need_id; }
const char *fw_persona_get_description (FwPersona *persona) { return persona->description; }
FwTemperament fw_persona_get_temperament (FwPersona *persona) { return persona->temperament; }
FwRuleset *fw_persona_get_ruleset (FwPersona *persona) { return persona->ruleset; }
const GPtrArray *fw_persona_get_openings (FwPersona *persona) { return persona->openings; }

guint
fw_persona_get_n_rungs (FwPersona *persona)
{
  return persona->ruleset != NULL ? persona->steps->len : 0;
}

FwRung *
fw_persona_get_rung (FwPersona *persona, guint index)
{
  g_return_val_if_fail (index < fw_persona_get_n_rungs (persona), NULL);
  return ((FwPersonaStep *) g_ptr_array_index (persona->steps, index))->rung;
}
