/* fuzz-loader.c: the rule loader, as `fivewhys check` drives it.
 *
 * The input is written to a rule file and loaded after a small, fixed
 * motivations file (so that rulesets can compile); the library is compiled
 * and, when that succeeds, its examples run as tests and its questions are
 * linted. Every diagnostic must be one non-empty UTF-8 message; nothing may
 * crash, leak, hang, or read another file (the loader has no reason to open
 * anything but the two files named here, which the harness cannot check, but
 * the external-entity seeds in the corpus point at files that do not exist
 * under a sandbox and at /etc/passwd, whose content must never show up in a
 * diagnostic).
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fuzz-common.h"

static const char motivations[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                  "<motivations lang=\"en\">\n"
                                  "  <concept id=\"family\">family, kids, children, wife, husband</concept>\n"
                                  "  <motivation id=\"family\" label=\"Love of family\" schwartz=\"benevolence\">\n"
                                  "    <description>For the people they love.</description>\n"
                                  "    <framing>Talk about the family.</framing>\n"
                                  "    <pattern>~family</pattern>\n"
                                  "    <example>it's for the kids</example>\n"
                                  "  </motivation>\n"
                                  "  <motivation id=\"health\" label=\"Health\" schwartz=\"security\">\n"
                                  "    <description>To stay well.</description>\n"
                                  "    <framing>Talk about health.</framing>\n"
                                  "    <pattern>[health healthy]</pattern>\n"
                                  "  </motivation>\n"
                                  "  <motivation id=\"security\" label=\"Security\" schwartz=\"security\">\n"
                                  "    <description>To stop worrying.</description>\n"
                                  "    <framing>Make the risk concrete.</framing>\n"
                                  "    <pattern>peace of mind</pattern>\n"
                                  "    <regex>\\bsafe(ty)?\\b</regex>\n"
                                  "  </motivation>\n"
                                  "  <nonanswer><pattern>[dunno]</pattern><example>dunno</example></nonanswer>\n"
                                  "  <reprompt>Why is that?</reprompt>\n"
                                  "</motivations>\n";

static char *dir;
static char *motivations_path;
static char *rules_path;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_fatal_warnings ();
  dir = g_dir_make_tmp ("fw-fuzz-loader.XXXXXX", NULL);
  FUZZ_REQUIRE (dir != NULL, "cannot make a temporary folder");
  motivations_path = g_build_filename (dir, "motivations.xml", NULL);
  rules_path = g_build_filename (dir, "input.xml", NULL);
  FUZZ_REQUIRE (g_file_set_contents (motivations_path, motivations, -1, NULL), "cannot write %s", motivations_path);
  return 0;
}

/* Whether @data holds @marker: the input itself may spell the marker (the
 * fuzzer learns it from the check below), and a diagnostic that quotes the
 * input then holds it without any file having been read. */
static gboolean
input_holds (const uint8_t *data, size_t size, const char *marker)
{
  size_t n = strlen (marker);
  for (size_t i = 0; i + n <= size; i++)
    if (memcmp (data + i, marker, n) == 0)
      return TRUE;
  return FALSE;
}

static void
check_diagnostics (FwLibrary *library, gboolean marker_in_input)
{
  const GPtrArray *diags = fw_library_get_diagnostics (library);
  for (guint i = 0; i < diags->len; i++)
    {
      const FwDiagnostic *d = g_ptr_array_index (diags, i);
      FUZZ_ASSERT (d->message != NULL && d->message[0] != '\0', "empty diagnostic");
      FUZZ_ASSERT (g_utf8_validate (d->message, -1, NULL), "diagnostic is not UTF-8: %s", d->message);
      FUZZ_ASSERT (marker_in_input || strstr (d->message, "root:x:0:0") == NULL, "a local file leaked: %s",
                   d->message);
      FUZZ_ASSERT (d->line >= 0, "negative line %d", d->line);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FILE *f = fopen (rules_path, "wb");
  FUZZ_REQUIRE (f != NULL, "cannot write %s", rules_path);
  FUZZ_REQUIRE (fwrite (data, 1, size, f) == size && fclose (f) == 0, "cannot write %s", rules_path);

  FwLibrary *library = fw_library_new ();
  GError *error = NULL;
  FUZZ_REQUIRE (fw_library_add_path (library, motivations_path, &error), "cannot load %s", motivations_path);
  if (!fw_library_add_path (library, rules_path, &error))
    g_clear_error (&error);
  if (fw_library_compile (library, &error))
    {
      fw_library_run_examples (library);
      fw_library_lint_questions (library);
      /* Every rung the loader kept must be reachable by the getters. */
      for (guint r = 0; r < fw_library_get_n_rulesets (library); r++)
        {
          FwRuleset *ruleset = fw_library_get_ruleset (library, r);
          FUZZ_ASSERT (fw_library_find_ruleset (library, fw_ruleset_get_id (ruleset)) == ruleset,
                       "ruleset '%s' not found by id", fw_ruleset_get_id (ruleset));
        }
    }
  g_clear_error (&error);
  check_diagnostics (library, input_holds (data, size, "root:x:0:0"));
  fw_library_free (library);
  return 0;
}
