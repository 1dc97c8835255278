/* fuzz-common.h: what the libFuzzer harnesses of fuzz/ share.
 *
 * Each harness is one fuzz-*.c with LLVMFuzzerTestOneInput(); the build
 * (configure --enable-fuzzing, clang) links it against the library's
 * convenience archive, so private entry points (the pattern compiler, the
 * readers) are reachable. fuzz/README.md says how to run them.
 */
#ifndef FW_FUZZ_COMMON_H
#define FW_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "fivewhys.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

/* The rule folder the harnesses compile: $FW_FUZZ_RULES, else the source
 * tree's rules/. */
static inline const char *
fuzz_rules_dir (void)
{
  const char *env = g_getenv ("FW_FUZZ_RULES");
  return env != NULL && *env != '\0' ? env : FW_SOURCE_RULES_DIR;
}

/* A harness precondition that does not hold is a broken setup, not a
 * finding: say so and stop. */
#define FUZZ_REQUIRE(cond, ...)                                                                                        \
  do                                                                                                                   \
    {                                                                                                                  \
      if (!(cond))                                                                                                     \
        {                                                                                                              \
          fprintf (stderr, "fuzz setup: " __VA_ARGS__);                                                                \
          fputc ('\n', stderr);                                                                                        \
          exit (2);                                                                                                    \
        }                                                                                                              \
    }                                                                                                                  \
  while (0)

/* An invariant the library promises: a broken one is a finding. */
#define FUZZ_ASSERT(cond, ...)                                                                                         \
  do                                                                                                                   \
    {                                                                                                                  \
      if (!(cond))                                                                                                     \
        {                                                                                                              \
          fprintf (stderr, "fuzz invariant broken (%s:%d): ", __FILE__, __LINE__);                                     \
          fprintf (stderr, __VA_ARGS__);                                                                               \
          fputc ('\n', stderr);                                                                                        \
          abort ();                                                                                                    \
        }                                                                                                              \
    }                                                                                                                  \
  while (0)

/* Compiles the shipped rule folder once; aborts the run when it does not
 * compile, since then nothing the harness finds means anything. */
static inline FwLibrary *
fuzz_shipped_library (void)
{
  FwLibrary *library = fw_library_new ();
  GError *error = NULL;
  FUZZ_REQUIRE (fw_library_add_path (library, fuzz_rules_dir (), &error), "%s",
                error != NULL ? error->message : "cannot read the rules");
  FUZZ_REQUIRE (fw_library_compile (library, &error), "the rules in %s do not compile: %s", fuzz_rules_dir (),
                error != NULL ? error->message : "?");
  return library;
}

/* GLib's g_return_if_fail and g_warning are programming errors the fuzzer
 * must see: make every critical or warning fatal. */
static inline void
fuzz_fatal_warnings (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("fivewhys", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("GLib", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("Json", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

#endif
