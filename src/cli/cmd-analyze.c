/* cmd-analyze.c: fivewhys analyze: batch analysis of deal notes.
 *
 * A streaming filter: records come in from CSV, JSON Lines or plain text
 * (the reader), each is analyzed (fw_note_analyze) and goes out as one JSON
 * Lines or CSV record, in input order, whatever --jobs says. Memory stays
 * flat: a fixed pool of batches circulates between the reader (this thread),
 * the workers (one FwScratch each) and the writer, which puts batches back in
 * sequence order.
 *
 *   reader --work queue--> workers --done queue--> writer --free queue--> reader
 *
 * The writer stops writing at the first write error but keeps returning
 * batches, so nothing blocks; the reader sees the stop flag and ends.
 *
 * With --jobs 1 the same batch functions run in this thread alone, so every
 * --jobs gives the same bytes.
 *
 * A closed pipe (`| head`) is not an error: analyze stops quietly and exits
 * 0. Any other write error exits 4; with -o the temporary file is removed
 * and FILE is left as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli-private.h"
#include "jsonout-private.h"
#include "reader-private.h"

#define BATCH_RECORDS 256
#define BATCH_BYTES (512 * 1024)
#define OUT_FLUSH_BYTES (256 * 1024)
#define MAX_JOBS 256
#define PROGRESS_INTERVAL_US (250 * 1000)
#define SHRINK_ABOVE (4 * 1024 * 1024) /* buffers grown past this by one record are given back */

typedef enum {
  OUT_JSONL,
  OUT_CSV,
} OutFormat;

static char *opt_format = NULL;
static char *opt_input_format = NULL;
static char **opt_id_fields = NULL;
static char **opt_text_fields = NULL;
static char **opt_keep = NULL;
static int opt_jobs = 0;
static char *opt_output = NULL;
static gboolean opt_text_blocks = FALSE;
static gint64 opt_first_record = 1;
static gboolean opt_dump_patterns = FALSE;

static const GOptionEntry entries[] = {
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format, "Output format: jsonl (default) or csv", "FORMAT" },
  { "input-format", 0, 0, G_OPTION_ARG_STRING, &opt_input_format,
    "Input format: auto (default: by extension, else by content), csv, jsonl or text", "FORMAT" },
  { "id-field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_id_fields,
    "Column or key holding the note id (repeatable: the first present); default Id, NoteId...", "F" },
  { "text-field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_text_fields,
    "Column or key holding the note (repeatable: joined, as Subject + Body); default Subject, Title and Product when present, then the first of Body, Note, Description...", "F" },
  { "keep", 'k', 0, G_OPTION_ARG_STRING_ARRAY, &opt_keep,
    "Carry this column or key to the output, as for report --group-field (repeatable)", "F" },
  { "jobs", 'j', 0, G_OPTION_ARG_INT, &opt_jobs, "Worker threads (default: the number of cores)", "N" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    "Write to FILE, atomically (a temporary file, then rename)", "FILE" },
  { "text-blocks", 0, 0, G_OPTION_ARG_NONE, &opt_text_blocks,
    "Plain text input: one note per blank-line-separated block, not per file", NULL },
  { "first-record", 0, 0, G_OPTION_ARG_INT64, &opt_first_record,
    "Number the first record N (default 1), for shards of a larger input", "N" },
  { "dump-patterns", 0, 0, G_OPTION_ARG_NONE, &opt_dump_patterns,
    "Print the compiled PCRE2 patterns as JSON Lines and exit (for bench/run.sh)", NULL },
  { NULL }
};

/* ---- output ------------------------------------------------------------------ */

typedef struct {
  int fd;
  char *path;     /* -o FILE, or NULL for standard output */
  char *tmp_path; /* the temporary file written instead of @path */
  int error;      /* errno of the first failed write, 0 if none */
  gboolean direct; /* -o names a device or a pipe: written in place */
} Sink;

/* The temporary file to remove when a signal ends the program before
 * sink_close, so that SIGINT, SIGTERM or SIGHUP leave FILE as it was and no
 * half-written file beside it. Set while the temporary file exists. */
static const char *volatile interrupted_tmp_path;

static void
on_interrupt (int sig)
{
  const char *tmp_path = interrupted_tmp_path;
  if (tmp_path != NULL)
    unlink (tmp_path); /* async-signal-safe, as are the two calls below */
  signal (sig, SIG_DFL);
  raise (sig);
}

static gboolean
sink_open (Sink *sink, const char *path)
{
  memset (sink, 0, sizeof *sink);
  if (path == NULL || strcmp (path, "-") == 0)
    {
      sink->fd = STDOUT_FILENO;
      return TRUE;
    }
  sink->path = g_strdup (path);
  struct stat st;
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      /* A device or a pipe (/dev/stdout, a FIFO): nothing to replace
       * atomically, and no temporary file belongs next to it. */
      sink->fd = open (path, O_WRONLY | O_CLOEXEC);
      if (sink->fd < 0)
        {
          cli_error ("analyze: %s: cannot open: %s", path, g_strerror (errno));
          g_clear_pointer (&sink->path, g_free);
          return FALSE;
        }
      sink->direct = TRUE;
      return TRUE;
    }
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  sink->tmp_path = g_build_filename (dir, name, NULL);
  sink->fd = g_mkstemp_full (sink->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (sink->fd < 0)
    {
      int saved = errno;
      cli_error ("analyze: %s: cannot create a temporary file in %s: %s", path, dir, g_strerror (saved));
      g_clear_pointer (&sink->tmp_path, g_free);
      g_clear_pointer (&sink->path, g_free);
      return FALSE;
    }
  interrupted_tmp_path = sink->tmp_path;
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      struct sigaction action = { 0 }, old;
      /* A signal ignored by whoever started us (nohup, `&` in a script)
       * stays ignored. */
      if (sigaction (signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      action.sa_handler = on_interrupt;
      sigemptyset (&action.sa_mask);
      sigaction (signals[i], &action, NULL);
    }
  /* mkstemp makes the file private; give it the mode a new file gets. */
  mode_t mask = umask (0);
  umask (mask);
  if (fchmod (sink->fd, 0666 & ~mask) != 0)
    sink->error = errno;
  return TRUE;
}

/* Writes all of @len bytes, or records the error and returns FALSE. */
static gboolean
sink_write (Sink *sink, const char *data, gsize len)
{
  if (sink->error != 0)
    return FALSE;
  while (len > 0)
    {
      ssize_t n = write (sink->fd, data, MIN (len, (gsize) G_MAXSSIZE));
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          sink->error = errno;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Finishes the output: renames the temporary file over FILE, or removes
 * it when @ok is FALSE or anything failed. Returns FALSE (message printed,
 * except for a closed pipe) when the output is not complete. */
static gboolean
sink_close (Sink *sink, gboolean ok)
{
  gboolean good = ok && sink->error == 0;
  if (sink->tmp_path != NULL)
    {
      if (good && fsync (sink->fd) != 0 && errno != EINVAL)
        sink->error = errno;
      if (close (sink->fd) != 0 && sink->error == 0)
        sink->error = errno;
      good = good && sink->error == 0;
      if (good && g_rename (sink->tmp_path, sink->path) != 0)
        {
          sink->error = errno;
          good = FALSE;
        }
      if (!good)
        g_unlink (sink->tmp_path);
    }
  else if (sink->direct && close (sink->fd) != 0 && sink->error == 0)
    {
      sink->error = errno;
      good = FALSE;
    }
  if (sink->error != 0 && sink->error != EPIPE)
    cli_error ("analyze: cannot write %s: %s", sink->path != NULL ? sink->path : "standard output",
               g_strerror (sink->error));
  interrupted_tmp_path = NULL;
  g_clear_pointer (&sink->tmp_path, g_free);
  g_clear_pointer (&sink->path, g_free);
  return good;
}

/* ---- formatting ---------------------------------------------------------------- */

typedef struct {
  OutFormat format;
  char **keep;          /* the --keep names as given, for the output */
  gboolean name_inputs; /* several inputs: errors name theirs */
} Format;

static void
csv_field (GString *out, const char *value, gssize len)
{
  if (len < 0)
    len = strlen (value);
  gboolean quote = FALSE;
  for (gssize i = 0; i < len && !quote; i++)
    quote = value[i] == ',' || value[i] == '"' || value[i] == '\n' || value[i] == '\r';
  if (len > 0 && (value[0] == ' ' || value[len - 1] == ' '))
    quote = TRUE; /* readers trim spaces around unquoted fields */
  if (!quote)
    {
      g_string_append_len (out, value, len);
      return;
    }
  g_string_append_c (out, '"');
  for (gssize i = 0; i < len; i++)
    {
      if (value[i] == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, value[i]);
    }
  g_string_append_c (out, '"');
}

static void
csv_header (GString *out, const Format *format)
{
  g_string_append (out, "id,record,need,depth,motivation,chain,flags,status,error");
  for (guint i = 0; format->keep != NULL && format->keep[i] != NULL; i++)
    {
      g_string_append_c (out, ',');
      csv_field (out, format->keep[i], -1);
    }
  g_string_append (out, "\r\n");
}

/* One output record. @result is NULL for an error record (@error set). */
static void
format_record (GString *out, const Format *format, const FwRecord *record, guint64 number,
               const FwNoteResult *result, const char *error)
{
  if (format->format == OUT_CSV)
    {
      csv_field (out, record->id->str, record->id->len);
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",", number);
      if (result != NULL)
        {
          if (result->need != NULL)
            csv_field (out, fw_ruleset_get_id (result->need), -1);
          g_string_append_printf (out, ",%u,", result->depth);
          if (result->motivation != NULL)
            csv_field (out, fw_motivation_get_id (result->motivation), -1);
          g_string_append_c (out, ',');
          /* Rung ids are lower case letters, digits, '-' and '_' (the
           * schema says so): they never need quoting. */
          for (guint i = 0; i < result->n_chain; i++)
            {
              if (i > 0)
                g_string_append_c (out, '>');
              g_string_append (out, fw_rung_get_id (result->chain[i].rung));
            }
          g_string_append_c (out, ',');
          gboolean first = TRUE;
          for (guint f = 0; f < FW_NOTE_N_FLAGS; f++)
            if (result->flags & (1u << f))
              {
                if (!first)
                  g_string_append_c (out, ';');
                g_string_append (out, fw_note_flag_to_string (1u << f));
                first = FALSE;
              }
          g_string_append (out, ",ok,");
        }
      else
        {
          g_string_append (out, ",0,,,,error,");
          csv_field (out, error, -1);
        }
      for (guint i = 0; format->keep != NULL && format->keep[i] != NULL; i++)
        {
          g_string_append_c (out, ',');
          if (i < record->keep_values->len)
            {
              const GString *value = g_ptr_array_index (record->keep_values, i);
              csv_field (out, value->str, value->len);
            }
        }
      g_string_append (out, "\r\n");
      return;
    }

  FwJsonWriter w;
  fw_json_writer_init (&w, out);
  fw_json_writer_begin_object (&w);
  fw_json_writer_key (&w, "id");
  fw_json_writer_string_len (&w, record->id->str, record->id->len);
  fw_json_writer_key (&w, "record");
  fw_json_writer_uint (&w, number);
  fw_json_writer_key (&w, "need");
  fw_json_writer_string (&w, result != NULL && result->need != NULL ? fw_ruleset_get_id (result->need) : NULL);
  fw_json_writer_key (&w, "depth");
  fw_json_writer_uint (&w, result != NULL ? result->depth : 0);
  fw_json_writer_key (&w, "motivation");
  fw_json_writer_string (&w, result != NULL && result->motivation != NULL ? fw_motivation_get_id (result->motivation)
                                                                          : NULL);
  fw_json_writer_key (&w, "chain");
  fw_json_writer_begin_array (&w);
  for (guint i = 0; result != NULL && i < result->n_chain; i++)
    {
      const FwChainLink *link = &result->chain[i];
      fw_json_writer_begin_object (&w);
      fw_json_writer_key (&w, "rung");
      fw_json_writer_string (&w, fw_rung_get_id (link->rung));
      fw_json_writer_key (&w, "level");
      fw_json_writer_string (&w, fw_level_to_string (link->level));
      fw_json_writer_key (&w, "evidence");
      fw_json_writer_begin_object (&w);
      fw_json_writer_key (&w, "start");
      fw_json_writer_uint (&w, link->evidence.start);
      fw_json_writer_key (&w, "end");
      fw_json_writer_uint (&w, link->evidence.end);
      fw_json_writer_key (&w, "text");
      fw_json_writer_string (&w, link->evidence.text);
      fw_json_writer_end_object (&w);
      fw_json_writer_end_object (&w);
    }
  fw_json_writer_end_array (&w);
  fw_json_writer_key (&w, "flags");
  fw_json_writer_begin_array (&w);
  for (guint f = 0; result != NULL && f < FW_NOTE_N_FLAGS; f++)
    if (result->flags & (1u << f))
      fw_json_writer_string (&w, fw_note_flag_to_string (1u << f));
  fw_json_writer_end_array (&w);
  fw_json_writer_key (&w, "unmatched");
  fw_json_writer_begin_array (&w);
  for (guint i = 0; result != NULL && i < result->n_unmatched; i++)
    fw_json_writer_string (&w, result->unmatched[i]);
  fw_json_writer_end_array (&w);
  fw_json_writer_key (&w, "status");
  fw_json_writer_string (&w, result != NULL ? "ok" : "error");
  fw_json_writer_key (&w, "error");
  fw_json_writer_string (&w, result != NULL ? NULL : error);
  if (format->keep != NULL && format->keep[0] != NULL)
    {
      fw_json_writer_key (&w, "fields");
      fw_json_writer_begin_object (&w);
      for (guint i = 0; format->keep[i] != NULL; i++)
        {
          fw_json_writer_key (&w, format->keep[i]);
          if (i < record->keep_values->len)
            {
              const GString *value = g_ptr_array_index (record->keep_values, i);
              fw_json_writer_string_len (&w, value->str, value->len);
            }
          else
            fw_json_writer_string (&w, "");
        }
      fw_json_writer_end_object (&w);
    }
  fw_json_writer_end_object (&w);
  g_string_append_c (out, '\n');
}

/* ---- batches --------------------------------------------------------------------- */

typedef struct {
  guint64 seq;          /* position in the output */
  guint n;              /* records in use */
  FwRecord *records[BATCH_RECORDS];
  guint64 first_number; /* output number of records[0] */
  const char *input;    /* the input the records come from (one per batch), as named on the command line */
  gsize bytes;          /* note bytes, for the progress line */
  GString *out;
  guint64 n_ok, n_errors;
} Batch;

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);
  for (guint i = 0; i < BATCH_RECORDS; i++)
    batch->records[i] = fw_record_new ();
  batch->out = g_string_sized_new (64 * 1024);
  return batch;
}

static void
batch_free (gpointer data)
{
  Batch *batch = data;
  for (guint i = 0; i < BATCH_RECORDS; i++)
    fw_record_free (batch->records[i]);
  g_string_free (batch->out, TRUE);
  g_free (batch);
}

/* Empties @batch for reuse; a record that grew huge gives its memory back,
 * so that memory stays flat after one giant note. */
static void
batch_reset (Batch *batch)
{
  for (guint i = 0; i < batch->n; i++)
    if (batch->records[i]->text->allocated_len > SHRINK_ABOVE)
      {
        fw_record_free (batch->records[i]);
        batch->records[i] = fw_record_new ();
      }
  if (batch->out->allocated_len > SHRINK_ABOVE)
    {
      g_string_free (batch->out, TRUE);
      batch->out = g_string_sized_new (64 * 1024);
    }
  g_string_truncate (batch->out, 0);
  batch->n = 0;
  batch->bytes = 0;
  batch->n_ok = batch->n_errors = 0;
}

/* Per worker. */
typedef struct {
  FwScratch *scratch;
  FwNoteResult *result;
  GString *error;
} Worker;

static void
analyze_batch (Worker *worker, const Format *format, Batch *batch)
{
  for (guint i = 0; i < batch->n; i++)
    {
      FwRecord *record = batch->records[i];
      guint64 number = batch->first_number + i;
      g_autoptr (GError) error = NULL;
      if (record->error == NULL
          && fw_note_analyze (worker->scratch, record->text->str, record->text->len, worker->result, &error))
        {
          format_record (batch->out, format, record, number, worker->result, NULL);
          batch->n_ok++;
          continue;
        }
      g_string_truncate (worker->error, 0);
      if (format->name_inputs)
        g_string_append_printf (worker->error, "%s: ", batch->input);
      g_string_append_printf (worker->error, "line %" G_GUINT64_FORMAT ": %s", record->line,
                              record->error != NULL ? record->error : error->message);
      format_record (batch->out, format, record, number, NULL, worker->error->str);
      batch->n_errors++;
    }
}

/* ---- the pipeline ---------------------------------------------------------------- */

/* A blocking queue of batches. Plain pthreads rather than GAsyncQueue: GLib
 * builds its mutexes on raw futexes, which ThreadSanitizer cannot see, and
 * --jobs must stay checkable with it. */
typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t ready;
  GQueue items;
} Queue;

static void
queue_init (Queue *q)
{
  pthread_mutex_init (&q->lock, NULL);
  pthread_cond_init (&q->ready, NULL);
  g_queue_init (&q->items);
}

static void
queue_clear (Queue *q, GDestroyNotify free_item)
{
  g_queue_clear_full (&q->items, free_item);
  pthread_cond_destroy (&q->ready);
  pthread_mutex_destroy (&q->lock);
}

static void
queue_push (Queue *q, gpointer item)
{
  pthread_mutex_lock (&q->lock);
  g_queue_push_tail (&q->items, item);
  pthread_cond_signal (&q->ready);
  pthread_mutex_unlock (&q->lock);
}

static gpointer
queue_pop (Queue *q)
{
  pthread_mutex_lock (&q->lock);
  while (g_queue_is_empty (&q->items))
    pthread_cond_wait (&q->ready, &q->lock);
  gpointer item = g_queue_pop_head (&q->items);
  pthread_mutex_unlock (&q->lock);
  return item;
}

typedef struct {
  Format format;
  FwLibrary *library;
  Sink *sink;
  guint jobs;
  guint n_batches;
  Queue free_q;
  Queue work_q;
  Queue done_q;
  Batch **pending;    /* writer: batches waiting for their turn, by seq % n_batches */
  guint64 next_seq;   /* writer: the batch to write next */
  gint stop;          /* atomic: the writer failed, the reader should stop */
  /* totals, written by the writer thread (or the only thread) */
  guint64 n_written, n_ok, n_errors, bytes;
  gboolean progress;
  gint64 started, last_progress;
} Pipeline;

static Batch stop_marker; /* pushed to tell a worker or the writer to end */

static void
progress (Pipeline *p, gboolean final)
{
  gint64 now = g_get_monotonic_time ();
  if (!final && now - p->last_progress < PROGRESS_INTERVAL_US)
    return;
  p->last_progress = now;
  double seconds = MAX ((now - p->started) / 1e6, 1e-6);
  fprintf (stderr, "\rfivewhys: analyze: %" G_GUINT64_FORMAT " records, %.1f MB/s\033[K", p->n_written,
           p->bytes / 1e6 / seconds);
  if (final)
    fputs ("\r\033[K", stderr);
  fflush (stderr);
}

/* Writes @batch (the next in sequence) and counts it. */
static void
write_batch (Pipeline *p, Batch *batch)
{
  if (!g_atomic_int_get (&p->stop))
    {
      if (!sink_write (p->sink, batch->out->str, batch->out->len))
        g_atomic_int_set (&p->stop, 1);
      else
        {
          p->n_written += batch->n;
          p->n_ok += batch->n_ok;
          p->n_errors += batch->n_errors;
          p->bytes += batch->bytes;
        }
    }
  if (p->progress)
    progress (p, FALSE);
}

static gpointer
worker_main (gpointer data)
{
  Pipeline *p = data;
  Worker worker = { fw_scratch_new (p->library), fw_note_result_new (), g_string_new (NULL) };
  for (;;)
    {
      Batch *batch = queue_pop (&p->work_q);
      if (batch == &stop_marker)
        break;
      if (!g_atomic_int_get (&p->stop))
        analyze_batch (&worker, &p->format, batch);
      queue_push (&p->done_q, batch);
    }
  fw_scratch_free (worker.scratch);
  fw_note_result_free (worker.result);
  g_string_free (worker.error, TRUE);
  return NULL;
}

static gpointer
writer_main (gpointer data)
{
  Pipeline *p = data;
  for (;;)
    {
      Batch *batch = queue_pop (&p->done_q);
      if (batch == &stop_marker)
        break;
      p->pending[batch->seq % p->n_batches] = batch;
      Batch *next;
      while ((next = p->pending[p->next_seq % p->n_batches]) != NULL && next->seq == p->next_seq)
        {
          p->pending[p->next_seq % p->n_batches] = NULL;
          write_batch (p, next);
          p->next_seq++;
          batch_reset (next);
          queue_push (&p->free_q, next);
        }
    }
  return NULL;
}

/* Hands a full batch on: to the workers, or, with one job, analyzes and
 * writes it here. */
static void
dispatch (Pipeline *p, Worker *inline_worker, Batch *batch)
{
  if (inline_worker != NULL)
    {
      if (!g_atomic_int_get (&p->stop))
        analyze_batch (inline_worker, &p->format, batch);
      write_batch (p, batch);
      p->next_seq++;
      batch_reset (batch);
      queue_push (&p->free_q, batch);
      return;
    }
  queue_push (&p->work_q, batch);
}

/* ---- the command ------------------------------------------------------------------ */

static gboolean
parse_out_format (const char *name, OutFormat *format)
{
  if (name == NULL || g_ascii_strcasecmp (name, "jsonl") == 0 || g_ascii_strcasecmp (name, "ndjson") == 0
      || g_ascii_strcasecmp (name, "json") == 0)
    *format = OUT_JSONL;
  else if (g_ascii_strcasecmp (name, "csv") == 0)
    *format = OUT_CSV;
  else
    return FALSE;
  return TRUE;
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_analyze, "[FILE...]", entries, &argc, &argv))
    return FW_EXIT_USAGE;
  Format format = { 0 };
  if (!parse_out_format (opt_format, &format.format))
    {
      cli_error ("analyze: unknown output format '%s': use jsonl or csv", opt_format);
      return FW_EXIT_USAGE;
    }
  FwReaderOptions options = { 0 };
  if (opt_input_format != NULL && !fw_reader_format_from_string (opt_input_format, &options.format))
    {
      cli_error ("analyze: unknown input format '%s': use auto, csv, jsonl or text", opt_input_format);
      return FW_EXIT_USAGE;
    }
  if (opt_jobs < 0 || opt_jobs > MAX_JOBS)
    {
      cli_error ("analyze: --jobs must be between 1 and %d (0: the number of cores)", MAX_JOBS);
      return FW_EXIT_USAGE;
    }
  if (opt_first_record < 0)
    {
      cli_error ("analyze: --first-record must be 0 or more");
      return FW_EXIT_USAGE;
    }
  options.id_fields = (const char *const *) opt_id_fields;
  options.text_fields = (const char *const *) opt_text_fields;
  options.keep_fields = (const char *const *) opt_keep;
  options.text_blocks = opt_text_blocks;
  format.keep = opt_keep;

  /* Inputs: every FILE must open before anything is written. */
  g_autoptr (GPtrArray) inputs = g_ptr_array_new ();
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (inputs, argv[i]);
  if (inputs->len == 0)
    g_ptr_array_add (inputs, "-");
  format.name_inputs = inputs->len > 1;
  for (guint i = 0; i < inputs->len; i++)
    {
      const char *path = g_ptr_array_index (inputs, i);
      if (strcmp (path, "-") == 0)
        continue;
      int fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        {
          cli_error ("analyze: %s: cannot open: %s", path, g_strerror (errno));
          return FW_EXIT_INPUT;
        }
      close (fd);
    }

  g_autoptr (FwLibrary) library = cli_load_library ();
  if (library == NULL)
    return FW_EXIT_RULES;
  if (opt_dump_patterns)
    {
      g_autofree char *dump = fw_library_patterns_to_jsonl (library);
      if (fputs (dump, stdout) == EOF || fflush (stdout) != 0)
        {
          cli_error ("analyze: cannot write standard output: %s", g_strerror (errno));
          return FW_EXIT_INPUT;
        }
      return FW_EXIT_OK;
    }

  /* A closed pipe shows up as EPIPE from write(), handled as a quiet stop. */
  signal (SIGPIPE, SIG_IGN);
  Sink sink;
  if (!sink_open (&sink, opt_output))
    return FW_EXIT_INPUT;

  Pipeline p = { 0 };
  p.format = format;
  p.library = library;
  p.sink = &sink;
  p.jobs = opt_jobs > 0 ? (guint) opt_jobs : MAX (1u, MIN ((guint) g_get_num_processors (), (guint) MAX_JOBS));
  p.n_batches = 2 * p.jobs + 2;
  queue_init (&p.free_q);
  queue_init (&p.work_q);
  queue_init (&p.done_q);
  p.pending = g_new0 (Batch *, p.n_batches);
  p.progress = isatty (STDERR_FILENO);
  p.started = p.last_progress = g_get_monotonic_time ();
  for (guint i = 0; i < (p.jobs > 1 ? p.n_batches : 1); i++)
    queue_push (&p.free_q, batch_new ());

  Worker inline_worker = { 0 };
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  GThread *writer = NULL;
  if (p.jobs == 1)
    {
      inline_worker.scratch = fw_scratch_new (library);
      inline_worker.result = fw_note_result_new ();
      inline_worker.error = g_string_new (NULL);
    }
  else
    {
      for (guint i = 0; i < p.jobs; i++)
        g_ptr_array_add (threads, g_thread_new ("analyze", worker_main, &p));
      writer = g_thread_new ("analyze-writer", writer_main, &p);
    }

  if (format.format == OUT_CSV)
    {
      GString *header = g_string_new (NULL);
      csv_header (header, &format);
      if (!sink_write (&sink, header->str, header->len))
        g_atomic_int_set (&p.stop, 1);
      g_string_free (header, TRUE);
    }

  int code = FW_EXIT_OK;
  guint64 number = (guint64) opt_first_record;
  guint64 seq = 0;
  guint64 n_read = 0;
  for (guint i = 0; i < inputs->len && !g_atomic_int_get (&p.stop) && code == FW_EXIT_OK; i++)
    {
      const char *path = g_ptr_array_index (inputs, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwReader) reader = strcmp (path, "-") == 0 ? fw_reader_new_for_fd (STDIN_FILENO, "-", &options, &error)
                                                            : fw_reader_new_for_path (path, &options, &error);
      if (reader == NULL)
        {
          cli_error ("analyze: %s", error->message);
          code = FW_EXIT_INPUT;
          break;
        }
      Worker *inline_w = p.jobs == 1 ? &inline_worker : NULL;
      Batch *batch = NULL;
      for (;;)
        {
          if (batch == NULL)
            {
              batch = queue_pop (&p.free_q);
              batch->seq = seq++;
              batch->first_number = number;
              batch->input = path; /* argv: outlives the reader, which workers may outlast */
            }
          if (!fw_reader_next (reader, batch->records[batch->n], &error))
            break;
          batch->bytes += batch->records[batch->n]->text->len;
          batch->n++;
          number++;
          n_read++;
          if (batch->n == BATCH_RECORDS || batch->bytes >= BATCH_BYTES)
            {
              dispatch (&p, inline_w, batch);
              batch = NULL;
              if (g_atomic_int_get (&p.stop))
                break;
            }
        }
      if (batch != NULL)
        /* The last, partial batch; an empty one keeps the sequence whole. */
        dispatch (&p, inline_w, batch);
      if (error != NULL)
        {
          cli_error ("analyze: %s", error->message);
          code = FW_EXIT_INPUT;
        }
    }

  if (p.jobs > 1)
    {
      for (guint i = 0; i < threads->len; i++)
        queue_push (&p.work_q, &stop_marker);
      for (guint i = 0; i < threads->len; i++)
        g_thread_join (g_ptr_array_index (threads, i));
      queue_push (&p.done_q, &stop_marker);
      g_thread_join (writer);
    }
  else
    {
      fw_scratch_free (inline_worker.scratch);
      fw_note_result_free (inline_worker.result);
      g_string_free (inline_worker.error, TRUE);
    }
  if (p.progress)
    progress (&p, TRUE);

  gboolean pipe_closed = sink.error == EPIPE;
  /* Totals when every record read was written and kept: also after an
   * input failed half way on standard output (they say how far it got),
   * but not when -o threw the file away. */
  gboolean kept = sink.error == 0 && (code == FW_EXIT_OK || (sink.tmp_path == NULL && n_read > 0));
  if (!sink_close (&sink, code == FW_EXIT_OK) && code == FW_EXIT_OK && !pipe_closed)
    code = FW_EXIT_INPUT;
  if (kept && sink.error == 0) /* a closed pipe (EPIPE) is an error too: quiet */
    {
      /* in == ok + errors */
      g_warn_if_fail (p.n_written == n_read && n_read == p.n_ok + p.n_errors);
      fprintf (stderr, "fivewhys: analyze: %" G_GUINT64_FORMAT " records read, %" G_GUINT64_FORMAT " ok, %"
               G_GUINT64_FORMAT " errors\n", n_read, p.n_ok, p.n_errors);
    }

  queue_clear (&p.work_q, NULL);
  queue_clear (&p.done_q, NULL);
  queue_clear (&p.free_q, batch_free);
  g_free (p.pending);
  return code;
}

const FwCommand fw_cmd_analyze = {
  "analyze",
  "Analyze deal notes from a CRM export (CSV, JSON Lines, text): need, depth, motivation per note",
  run,
};
