/* cmd-report.c: fivewhys report: aggregates `fivewhys analyze` records, and
 * merges report JSON partials, into one report (text, JSON, HTML, DOT, SVG).
 *
 * Inputs are JSON Lines: analyze records and partials (`report --format
 * json` output, one line each) in any mix, from files or standard input.
 * Since merging partials is exact and associative, this is the reduce step
 * of a map/reduce: `analyze | report --format json` per shard, then one
 * `report` over all the shards' partials. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "cli-private.h"

/* Unreadable lines are named one by one up to this many; then counted. */
#define SHOW_UNREADABLE 10

static char *opt_format = NULL;
static char *opt_group_field = NULL;
static int opt_min_link = -1;
static char *opt_output = NULL;

static const GOptionEntry entries[] = {
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
    "text (default), json (the mergeable partial), html, dot (the hierarchical value map) or svg (the map through Graphviz's dot)",
    "FORMAT" },
  { "group-field", 'g', 0, G_OPTION_ARG_STRING, &opt_group_field,
    "Count notes per value of this field of the records (carried by 'analyze --keep F'), e.g. OwnerName", "F" },
  { "min-link", 0, 0, G_OPTION_ARG_INT, &opt_min_link,
    "Value map cut-off: links in fewer notes are left out (default: 3% of the need's analyzed notes, at least 2)", "N" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "Write to FILE (replaced atomically) instead of standard output",
    "FILE" },
  { NULL }
};

/* What was read, for the totals line on standard error. */
typedef struct {
  guint64 records;
  guint64 record_errors;
  guint64 partials;
  guint64 unreadable;
} Totals;

/* Reads every line of @in into @report. Unreadable lines are named (the
 * first SHOW_UNREADABLE) and counted; returns FALSE after printing why on a
 * read error or a partial that cannot be merged (exit FW_EXIT_INPUT). */
static gboolean
read_input (FwReport *report, FILE *in, const char *name, Totals *totals)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  guint64 number = 0;
  gboolean ok = TRUE;
  while ((n = getline (&line, &cap, in)) >= 0)
    {
      number++;
      g_autoptr (GError) error = NULL;
      FwReportLine kind;
      guint64 errors = fw_report_get_n_errors (report);
      if (fw_report_add_line (report, line, n, &kind, &error))
        {
          if (kind == FW_REPORT_LINE_RECORD)
            {
              totals->records++;
              totals->record_errors += fw_report_get_n_errors (report) - errors;
            }
          else if (kind == FW_REPORT_LINE_PARTIAL)
            totals->partials++;
          continue;
        }
      if (!g_error_matches (error, FW_ERROR, FW_ERROR_INPUT))
        {
          cli_error ("%s:%" G_GUINT64_FORMAT ": %s", name, number, error->message);
          ok = FALSE;
          break;
        }
      if (++totals->unreadable <= SHOW_UNREADABLE)
        cli_error ("%s:%" G_GUINT64_FORMAT ": %s", name, number, error->message);
    }
  if (ok && ferror (in))
    {
      cli_error ("%s: cannot read: %s", name, g_strerror (errno));
      ok = FALSE;
    }
  free (line);
  return ok;
}

static void
say_dot_missing (void)
{
  cli_error ("report: --format svg needs the 'dot' program of Graphviz, which is not installed "
             "(Debian: apt-get install graphviz); --format dot writes the map to render elsewhere");
}

/* Runs Graphviz's `dot -Tsvg` on @dot_text (argument vector, no shell).
 * Returns the SVG, or NULL after printing why. */
static char *
render_svg (const char *dot_text)
{
  g_autofree char *program = g_find_program_in_path ("dot");
  if (program == NULL)
    {
      say_dot_missing ();
      return NULL;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) dot = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                  &error, program, "-Tsvg", NULL);
  if (dot == NULL)
    {
      cli_error ("report: cannot run %s: %s", program, error->message);
      return NULL;
    }
  g_autoptr (GBytes) input = g_bytes_new_static (dot_text, strlen (dot_text));
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  if (!g_subprocess_communicate (dot, input, NULL, &out, &err, &error))
    {
      cli_error ("report: cannot run %s: %s", program, error->message);
      return NULL;
    }
  if (!g_subprocess_get_if_exited (dot) || g_subprocess_get_exit_status (dot) != 0)
    {
      gsize len = 0;
      const char *text = err != NULL ? g_bytes_get_data (err, &len) : NULL;
      g_autofree char *first = g_strndup (text != NULL ? text : "", len);
      first[strcspn (first, "\n")] = '\0';
      cli_error ("report: %s failed%s%s", program, *first ? ": " : "", first);
      return NULL;
    }
  gsize len = 0;
  const char *svg = g_bytes_get_data (out, &len);
  return g_strndup (svg != NULL ? svg : "", len);
}

static const char *
plural (guint64 n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_report, "[FILE...]", entries, &argc, &argv))
    return FW_EXIT_USAGE;
  FwReportFormat format = FW_REPORT_FORMAT_TEXT;
  gboolean svg = FALSE;
  const char *name = opt_format != NULL ? opt_format : "text";
  if (strcmp (name, "text") == 0)
    format = FW_REPORT_FORMAT_TEXT;
  else if (strcmp (name, "json") == 0)
    format = FW_REPORT_FORMAT_JSON;
  else if (strcmp (name, "html") == 0)
    format = FW_REPORT_FORMAT_HTML;
  else if (strcmp (name, "dot") == 0)
    format = FW_REPORT_FORMAT_DOT;
  else if (strcmp (name, "svg") == 0)
    {
      format = FW_REPORT_FORMAT_DOT;
      svg = TRUE;
    }
  else
    {
      cli_error ("report: unknown format '%s': use text, json, html, dot or svg", name);
      return FW_EXIT_USAGE;
    }
  if (opt_min_link != -1 && opt_min_link < 1)
    {
      cli_error ("report: --min-link must be 1 or more");
      return FW_EXIT_USAGE;
    }
  if (opt_group_field != NULL && *opt_group_field == '\0')
    {
      cli_error ("report: --group-field needs a field name");
      return FW_EXIT_USAGE;
    }

  g_autofree char *dot_program = svg ? g_find_program_in_path ("dot") : NULL;
  if (svg && dot_program == NULL)
    {
      say_dot_missing ();
      return FW_EXIT_INPUT;
    }

  g_autoptr (FwReport) report = fw_report_new (opt_group_field);
  Totals totals = { 0 };
  const char *stdin_only[] = { "-", NULL };
  char **files = argc > 1 ? argv + 1 : (char **) stdin_only;
  for (guint i = 0; files[i] != NULL; i++)
    {
      gboolean is_stdin = strcmp (files[i], "-") == 0;
      FILE *in = is_stdin ? stdin : fopen (files[i], "r");
      if (in == NULL)
        {
          cli_error ("%s: cannot read: %s", files[i], g_strerror (errno));
          return FW_EXIT_INPUT;
        }
      gboolean ok = read_input (report, in, is_stdin ? "standard input" : files[i], &totals);
      if (!is_stdin)
        fclose (in);
      if (!ok)
        return FW_EXIT_INPUT;
    }
  if (totals.unreadable > SHOW_UNREADABLE)
    cli_error ("... and %" G_GUINT64_FORMAT " more unreadable lines", totals.unreadable - SHOW_UNREADABLE);
  cli_error ("report: %" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " ok, %" G_GUINT64_FORMAT " %s), %" G_GUINT64_FORMAT
             " %s, %" G_GUINT64_FORMAT " unreadable %s",
             totals.records, plural (totals.records, "record", "records"), totals.records - totals.record_errors,
             totals.record_errors, plural (totals.record_errors, "error", "errors"), totals.partials,
             plural (totals.partials, "partial", "partials"), totals.unreadable,
             plural (totals.unreadable, "line", "lines"));

  g_autofree char *text = fw_report_render (report, format, opt_min_link > 0 ? (guint) opt_min_link : 0);
  if (svg)
    {
      char *rendered = render_svg (text);
      if (rendered == NULL)
        return FW_EXIT_INPUT;
      g_free (text);
      text = rendered;
    }
  if (!cli_write_output (opt_output, text, strlen (text)))
    return FW_EXIT_INPUT;
  return FW_EXIT_OK;
}

const FwCommand fw_cmd_report = {
  "report",
  "Aggregate analyze records and merge report partials: needs, depth, motivations, groups, value map",
  run,
};
