/* cmd-graph.c: fivewhys graph: the rule trees as a Graphviz DOT graph, or
 * as SVG through Graphviz's dot program when it is installed. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli-private.h"

static char *opt_format = NULL;
static char *opt_need = NULL;
static char *opt_output = NULL;

static const GOptionEntry entries[] = {
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format, "dot (default) or svg (needs Graphviz's dot program)", "FORMAT" },
  { "need", 'n', 0, G_OPTION_ARG_STRING, &opt_need, "Only the ruleset for this need (\"home loan\") or ruleset id", "TEXT" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "Write to FILE (replaced atomically) instead of standard output", "FILE" },
  { NULL }
};

/* Runs `dot -Tsvg` on @dot_text (through a temporary file, with an argument
 * vector: no shell). Returns the SVG, or NULL after printing why. */
static char *
render_svg (const char *dot_text)
{
  g_autofree char *program = g_find_program_in_path ("dot");
  if (program == NULL)
    {
      cli_error ("graph: --format svg needs the 'dot' program of Graphviz, which is not installed "
                 "(Debian: apt-get install graphviz); --format dot writes the graph to render elsewhere");
      return NULL;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *input = NULL;
  int fd = g_file_open_tmp ("fivewhys-graph-XXXXXX.dot", &input, &error);
  if (fd < 0)
    {
      cli_error ("graph: cannot write a temporary file for dot: %s", error->message);
      return NULL;
    }
  gsize len = strlen (dot_text);
  gsize done = 0;
  while (done < len)
    {
      ssize_t n = write (fd, dot_text + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
  int saved = errno;
  if (close (fd) != 0 && done == len)
    {
      done = 0;
      saved = errno;
    }
  if (done != len)
    {
      g_unlink (input);
      cli_error ("graph: cannot write a temporary file for dot: %s", g_strerror (saved));
      return NULL;
    }

  char *argv[] = { program, (char *) "-Tsvg", input, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gboolean ran = g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, &err, &status, &error);
  g_unlink (input);
  if (!ran)
    {
      cli_error ("graph: cannot run %s: %s", program, error->message);
      return NULL;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_auto (GStrv) lines = g_strsplit (err != NULL ? err : "", "\n", 2);
      cli_error ("graph: %s failed (%s)%s%s", program, error->message, lines[0] != NULL && *lines[0] ? ": " : "",
                 lines[0] != NULL ? lines[0] : "");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Loads @file (a rule file or folder) with the -r paths or, when those
 * have no motivations, the default ones. */
static FwLibrary *
load_file (const char *file)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new ();
  g_ptr_array_add (paths, (gpointer) file);
  for (guint i = 0; cli_rule_paths != NULL && cli_rule_paths[i] != NULL; i++)
    g_ptr_array_add (paths, cli_rule_paths[i]);
  g_ptr_array_add (paths, NULL);
  gboolean read_ok;
  g_autoptr (FwLibrary) library = cli_open_library ((char **) paths->pdata, &read_ok);
  g_autoptr (GError) error = NULL;
  if (!read_ok || !fw_library_compile (library, &error))
    {
      cli_print_diagnostics (library, FALSE);
      cli_error ("%s: the rules could not be loaded%s%s; 'fivewhys check %s' shows every problem", file,
                 error != NULL ? ": " : "", error != NULL ? error->message : "", file);
      return NULL;
    }
  return g_steal_pointer (&library);
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_graph, "[FILE]", entries, &argc, &argv))
    return FW_EXIT_USAGE;
  if (argc > 2)
    {
      cli_error ("graph: one rule file at most (got '%s' and '%s')", argv[1], argv[2]);
      return FW_EXIT_USAGE;
    }
  const char *file = argc == 2 ? argv[1] : NULL;
  if (file != NULL && opt_need != NULL)
    {
      cli_error ("graph: give --need TEXT or a rule FILE, not both");
      return FW_EXIT_USAGE;
    }
  gboolean svg = FALSE;
  if (opt_format != NULL && strcmp (opt_format, "svg") == 0)
    svg = TRUE;
  else if (opt_format != NULL && strcmp (opt_format, "dot") != 0)
    {
      cli_error ("graph: unknown format '%s': use dot or svg", opt_format);
      return FW_EXIT_USAGE;
    }

  g_autoptr (FwLibrary) library = file != NULL ? load_file (file) : cli_load_library ();
  if (library == NULL)
    return FW_EXIT_RULES;
  g_autoptr (GPtrArray) rulesets = g_ptr_array_new ();
  if (file != NULL)
    {
      for (guint i = 0; i < fw_library_get_n_rulesets (library); i++)
        {
          FwRuleset *r = fw_library_get_ruleset (library, i);
          if (g_str_has_prefix (fw_ruleset_get_file (r), file))
            g_ptr_array_add (rulesets, r);
        }
      if (rulesets->len == 0)
        {
          cli_error ("graph: %s holds no <ruleset> to draw", file);
          return FW_EXIT_RULES;
        }
    }
  else if (opt_need != NULL)
    {
      g_autoptr (FwScratch) scratch = fw_scratch_new (library);
      FwRuleset *r = fw_library_match_need (library, scratch, opt_need);
      if (r == NULL)
        {
          cli_error ("graph: no ruleset recognises the need '%s'", opt_need);
          cli_print_known_needs (library, stderr);
          return FW_EXIT_USAGE;
        }
      g_ptr_array_add (rulesets, r);
    }

  g_autofree char *dot = fw_graph_dot (library, rulesets);
  g_autofree char *svg_text = NULL;
  if (svg)
    {
      svg_text = render_svg (dot);
      if (svg_text == NULL)
        return FW_EXIT_INPUT;
    }
  const char *out = svg ? svg_text : dot;
  if (!cli_write_output (opt_output, out, strlen (out)))
    return FW_EXIT_INPUT;
  return FW_EXIT_OK;
}

const FwCommand fw_cmd_graph = {
  "graph",
  "The rule trees as a Graphviz graph (DOT, or SVG through dot) for rule authors",
  run,
};
