/* bench-normalize: throughput of fw_normalize () on English prose.
 * Not a test: prints MB/s and never fails on timing.
 *
 *   bench-normalize FILE...   (the files are repeated to about 50 MB)
 *
 * Two runs: the whole text as one document, and the text cut into
 * paragraph-sized answers (blank-line separated) through one reused doc,
 * which is how a batch run uses the normalizer. Each figure is the best of
 * five runs, timed in CPU time of this process, so that a busy machine
 * disturbs it less. */
#include <stdio.h>
#include <time.h>
#include <string.h>
#include "fivewhys.h"
#include "normalize-private.h"

#define TARGET_BYTES (50 * 1024 * 1024)

static gint64
cpu_usec (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FILE...\n", argv[0]);
      return 2;
    }
  GString *one = g_string_new (NULL);
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      gsize n;
      g_autoptr (GError) error = NULL;
      if (!g_file_get_contents (argv[i], &contents, &n, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      g_string_append_len (one, contents, n);
      g_string_append (one, "\n\n");
    }
  GString *text = g_string_sized_new (TARGET_BYTES + one->len);
  while (text->len < TARGET_BYTES)
    g_string_append_len (text, one->str, one->len);

  g_autoptr (GError) error = NULL;
  FwVocab *vocab = fw_vocab_new ();
  FwNormalizer *normalizer = fw_normalizer_new ("en", vocab, &error);
  FwDoc *doc = fw_doc_new ();

  /* warm-up: fill the cache and size the buffers */
  fw_normalize (normalizer, text->str, text->len, doc);

  double mb = text->len / 1e6;
  gint64 best = G_MAXINT64;
  for (int run = 0; run < 5; run++)
    {
      gint64 t0 = cpu_usec ();
      fw_normalize (normalizer, text->str, text->len, doc);
      best = MIN (best, cpu_usec () - t0);
    }
  printf ("one document: %.1f MB, %u tokens, %.0f MB/s\n", mb, doc->tokens->len, mb / (best / 1e6));

  guint64 tokens = 0, answers = 0;
  best = G_MAXINT64;
  for (int run = 0; run < 5; run++)
    {
      tokens = answers = 0;
      gint64 t0 = cpu_usec ();
      const char *p = text->str, *end = text->str + text->len;
      while (p < end)
        {
          const char *q = strstr (p, "\n\n");
          if (q == NULL)
            q = end;
          fw_normalize (normalizer, p, q - p, doc);
          tokens += doc->tokens->len;
          answers++;
          p = q + (q < end ? 2 : 0);
        }
      best = MIN (best, cpu_usec () - t0);
    }
  printf ("paragraphs:   %.1f MB, %" G_GUINT64_FORMAT " answers, %" G_GUINT64_FORMAT " tokens, %.0f MB/s\n",
          mb, answers, tokens, mb / (best / 1e6));

  fw_doc_free (doc);
  fw_normalizer_free (normalizer);
  fw_vocab_free (vocab);
  g_string_free (text, TRUE);
  g_string_free (one, TRUE);
  return 0;
}
