/* fwbench: in-process figures that the command line cannot give.
 * Not a test: prints figures and never fails on timing.
 *
 *   fwbench load [--repeat N] [RULES...]
 *       Loads and compiles the rule library N times (default 5) and prints
 *       the best and the median wall time, and the time of the first note
 *       analyzed with it.
 *   fwbench ask [--answers N] [--transcripts DIR] [RULES...]
 *       Replays the drills of corpora/transcripts/train (need text, then the
 *       customer's answers) through the session API until N answers
 *       (default 10000) have been given, and prints the time per answer:
 *       mean, median, 99th percentile and worst.
 *
 * RULES default to the shipped library (what `fivewhys` finds on its own).
 * Built by bench/run.sh against the build tree's libfivewhys; it uses the
 * public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <glib.h>

#include "fivewhys.h"

static FwLibrary *
load (char **paths, GError **error)
{
  g_auto (GStrv) defaults = NULL;
  if (paths == NULL || paths[0] == NULL)
    paths = defaults = fw_default_rule_paths ();
  FwLibrary *library = fw_library_new ();
  for (guint i = 0; paths[i] != NULL; i++)
    if (!fw_library_add_path (library, paths[i], error))
      {
        fw_library_free (library);
        return NULL;
      }
  if (!fw_library_compile (library, error))
    {
      fw_library_free (library);
      return NULL;
    }
  return library;
}

/* CPU time of this thread in microseconds: on a machine shared with other
 * work, wall time also counts the time the thread waited for a core. */
static gint64
cpu_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static int
cmd_load (int repeat, char **paths)
{
  double *ms = g_new (double, repeat);
  double *cpu = g_new (double, repeat);
  double first_note = 0;
  for (int i = 0; i < repeat; i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 cpu_start = cpu_us ();
      FwLibrary *library = load (paths, &error);
      cpu[i] = (cpu_us () - cpu_start) / 1000.0;
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      if (library == NULL)
        {
          fprintf (stderr, "fwbench: %s\n", error->message);
          return 1;
        }
      if (i == 0)
        {
          /* The first note pays for whatever the library left to first use. */
          const char *note = "Called John re a home loan. They need the money to buy a bigger place, "
                             "the kids need their own rooms. Follow up Thurs.";
          FwScratch *scratch = fw_scratch_new (library);
          FwNoteResult *result = fw_note_result_new ();
          gint64 t = cpu_us ();
          fw_note_analyze (scratch, note, strlen (note), result, NULL);
          first_note = (cpu_us () - t) / 1000.0;
          fw_note_result_free (result);
          fw_scratch_free (scratch);
        }
      fw_library_free (library);
    }
  qsort (ms, repeat, sizeof *ms, compare_doubles);
  qsort (cpu, repeat, sizeof *cpu, compare_doubles);
  printf ("load+compile: cpu best %.1f ms, median %.1f ms; wall best %.1f ms, median %.1f ms (%d runs); "
          "first note after it %.2f ms cpu\n",
          cpu[0], cpu[repeat / 2], ms[0], ms[repeat / 2], repeat, first_note);
  g_free (ms);
  g_free (cpu);
  return 0;
}

typedef struct {
  char *need_text;
  GPtrArray *answers; /* char* */
} Drill;

static void
drill_free (gpointer data)
{
  Drill *d = data;
  g_free (d->need_text);
  g_ptr_array_unref (d->answers);
  g_free (d);
}

/* The value of "key": "..." on @line, unescaped enough for the corpus
 * (\" and \\ and \n), or NULL. A tiny reader: the corpus is flat JSON. */
static char *
string_after (const char **cursor, const char *end)
{
  const char *p = *cursor;
  while (p < end && *p != '"')
    p++;
  if (p >= end)
    return NULL;
  p++;
  GString *out = g_string_new (NULL);
  while (p < end && *p != '"')
    {
      if (*p == '\\' && p + 1 < end)
        {
          p++;
          switch (*p)
            {
            case 'n': g_string_append_c (out, '\n'); break;
            case 't': g_string_append_c (out, '\t'); break;
            case 'u':
              if (p + 4 < end)
                {
                  char hex[5] = { p[1], p[2], p[3], p[4], 0 };
                  g_string_append_unichar (out, (gunichar) strtoul (hex, NULL, 16));
                  p += 4;
                }
              break;
            default: g_string_append_c (out, *p); break;
            }
          p++;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  *cursor = p < end ? p + 1 : end;
  return g_string_free (out, FALSE);
}

static GPtrArray *
read_drills (const char *dir)
{
  GPtrArray *drills = g_ptr_array_new_with_free_func (drill_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return drills;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".jsonl"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *contents = NULL;
      if (!g_file_get_contents (g_ptr_array_index (names, i), &contents, NULL, NULL))
        continue;
      g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          const char *line = lines[l];
          const char *end = line + strlen (line);
          const char *need = strstr (line, "\"need_text\":");
          const char *answers = strstr (line, "\"answers\": [");
          if (need == NULL || answers == NULL)
            continue;
          Drill *drill = g_new0 (Drill, 1);
          need += strlen ("\"need_text\":");
          drill->need_text = string_after (&need, end);
          drill->answers = g_ptr_array_new_with_free_func (g_free);
          const char *p = answers + strlen ("\"answers\": [");
          const char *close = strchr (p, ']');
          while (close != NULL && p < close)
            {
              const char *q = p;
              while (q < close && *q != '"')
                q++;
              if (q >= close)
                break;
              char *answer = string_after (&q, end);
              if (answer == NULL)
                break;
              g_ptr_array_add (drill->answers, answer);
              p = q;
              close = strchr (p, ']');
            }
          g_ptr_array_add (drills, drill);
        }
    }
  return drills;
}

static int
cmd_ask (int n_answers, const char *dir, char **paths)
{
  g_autoptr (GError) error = NULL;
  FwLibrary *library = load (paths, &error);
  if (library == NULL)
    {
      fprintf (stderr, "fwbench: %s\n", error->message);
      return 1;
    }
  g_autoptr (GPtrArray) drills = read_drills (dir);
  if (drills->len == 0)
    {
      fprintf (stderr, "fwbench: no drills in %s\n", dir);
      return 1;
    }
  FwScratch *scratch = fw_scratch_new (library);
  double *us = g_new (double, n_answers);
  int given = 0;
  guint64 need_us = 0, needs = 0;
  gint64 wall_start = g_get_monotonic_time ();
  for (guint d = 0; given < n_answers; d = (d + 1) % drills->len)
    {
      Drill *drill = g_ptr_array_index (drills, d);
      gint64 t = cpu_us ();
      FwRuleset *ruleset = fw_library_match_need (library, scratch, drill->need_text);
      need_us += cpu_us () - t;
      needs++;
      if (ruleset == NULL)
        continue;
      FwSession *session = fw_session_new (library, ruleset, 0);
      for (guint a = 0; a < drill->answers->len && given < n_answers; a++)
        {
          if (fw_session_get_status (session) != FW_STATUS_ASKING)
            break;
          gint64 start = cpu_us ();
          fw_session_answer (session, g_ptr_array_index (drill->answers, a));
          us[given++] = (double) (cpu_us () - start);
        }
      fw_session_free (session);
    }
  double wall = (g_get_monotonic_time () - wall_start) / 1e6;
  double sum = 0;
  for (int i = 0; i < given; i++)
    sum += us[i];
  qsort (us, given, sizeof *us, compare_doubles);
  printf ("ask (cpu time): %d answers in %u drills: mean %.1f us, median %.0f us, p99 %.0f us, worst %.0f us per answer; "
          "need recognition %.1f us; %.2f s in all\n",
          given, drills->len, sum / given, us[given / 2], us[(int) (given * 0.99)], us[given - 1],
          (double) need_us / MAX (needs, 1), wall);
  g_free (us);
  fw_scratch_free (scratch);
  fw_library_free (library);
  return 0;
}

int
main (int argc, char **argv)
{
  int repeat = 5, answers = 10000;
  char *transcripts = NULL;
  const GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "load: runs (best and median are printed)", "N" },
    { "answers", 0, 0, G_OPTION_ARG_INT, &answers, "ask: answers to give", "N" },
    { "transcripts", 0, 0, G_OPTION_ARG_FILENAME, &transcripts, "ask: folder of drills (*.jsonl)", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("load|ask [RULES...]");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2 || repeat < 1 || answers < 1)
    {
      fprintf (stderr, "usage: fwbench load [--repeat N] [RULES...] | ask [--answers N] [--transcripts DIR] [RULES...]\n");
      return 2;
    }
  char **paths = argc > 2 ? argv + 2 : NULL;
  if (strcmp (argv[1], "load") == 0)
    return cmd_load (repeat, paths);
  if (strcmp (argv[1], "ask") == 0)
    return cmd_ask (answers, transcripts != NULL ? transcripts : "corpora/transcripts/train", paths);
  fprintf (stderr, "fwbench: unknown command '%s'\n", argv[1]);
  return 2;
}
