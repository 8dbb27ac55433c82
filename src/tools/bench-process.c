/* bench-process.c: time one whole run of a program, spawn to exit
 *
 * The program runs under bench-run (bench-run.c), which forks it, waits
 * for it and reports the time from fork to exit and the peak resident
 * memory that wait4() gives: forked from the benchmark itself, the program
 * would inherit the benchmark's database cache in that figure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* memfd_create() */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "chartroom-bench"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

/* The first line the program wrote on stderr: why it failed. */
static char *
read_first_line (int fd)
{
  char buffer[1024];
  ssize_t n;
  char *newline;

  if (lseek (fd, 0, SEEK_SET) < 0)
    return NULL;
  n = read (fd, buffer, sizeof buffer - 1);
  if (n <= 0)
    return NULL;
  buffer[n] = '\0';
  newline = strchr (buffer, '\n');
  if (newline != NULL)
    *newline = '\0';
  return g_strstrip (g_strdup (buffer));
}

static gboolean
set_errno_error (GError     **error,
                 const char  *what,
                 int          saved_errno)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

/**
 * bench_find_program:
 * @name: the program's file name
 * @build_path: where meson builds it
 *
 * Returns: (transfer full) (nullable): the program installed next to this
 *   one, or the one in the build tree
 */
char *
bench_find_program (const char *name,
                    const char *build_path)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  if (g_file_test (build_path, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (build_path);
  return NULL;
}

/**
 * bench_run_process:
 * @argv: the program (an absolute path) and its arguments
 * @envp: the environment of the program
 * @timeout_s: the program is killed after this long
 * @run: (out): the time from fork to exit and the peak resident memory
 *
 * Runs a program with stdin and stdout on /dev/null. Fails unless it exits
 * with status 0; the error then holds the first line of its stderr.
 */
gboolean
bench_run_process (const char * const *argv,
                   const char * const *envp,
                   guint               timeout_s,
                   BenchProcessRun    *run,
                   GError            **error)
{
  posix_spawn_file_actions_t actions;
  g_autoptr(GPtrArray) runner_argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *runner = bench_find_program ("bench-run", BENCH_RUN_PATH);
  g_autofree char *report = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = g_path_get_basename (argv[0]);
  gint64 elapsed_us = 0;
  gint64 max_rss_kib = 0;
  int wait_status = 0;
  int out_fd;
  int err_fd;
  int status = 0;
  int rc;
  pid_t pid;

  if (runner == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "bench-run not found");
      return FALSE;
    }
  g_ptr_array_add (runner_argv, g_strdup (runner));
  g_ptr_array_add (runner_argv, g_strdup_printf ("%u", timeout_s));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (runner_argv, g_strdup (argv[i]));
  g_ptr_array_add (runner_argv, NULL);

  out_fd = memfd_create ("bench-run-report", MFD_CLOEXEC);
  err_fd = memfd_create ("bench-run-stderr", MFD_CLOEXEC);
  if (out_fd < 0 || err_fd < 0)
    {
      int saved_errno = errno;

      if (out_fd >= 0)
        close (out_fd);
      if (err_fd >= 0)
        close (err_fd);
      return set_errno_error (error, "memfd_create", saved_errno);
    }

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2 (&actions, err_fd, STDERR_FILENO);
  rc = posix_spawn (&pid, runner, &actions, NULL, (char * const *) runner_argv->pdata,
                    (char * const *) envp);
  posix_spawn_file_actions_destroy (&actions);
  if (rc != 0)
    {
      close (out_fd);
      close (err_fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (rc),
                   "cannot run %s: %s", runner, g_strerror (rc));
      return FALSE;
    }

  /* bench-run enforces the time limit and always exits. */
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      {
        int saved_errno = errno;

        close (out_fd);
        close (err_fd);
        return set_errno_error (error, "waitpid", saved_errno);
      }

  report = read_first_line (out_fd);
  message = read_first_line (err_fd);
  close (out_fd);
  close (err_fd);

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || report == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "bench-run failed%s%s",
                   message ? ": " : "", message ? message : "");
      return FALSE;
    }
  if (g_str_equal (report, "timeout"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s did not exit within %u s", name, timeout_s);
      return FALSE;
    }
  if (sscanf (report, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d",
              &elapsed_us, &max_rss_kib, &wait_status) != 3)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "bench-run said “%s”", report);
      return FALSE;
    }

  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    {
      g_autofree char *how = WIFEXITED (wait_status)
        ? g_strdup_printf ("exited with status %d", WEXITSTATUS (wait_status))
        : g_strdup_printf ("killed by signal %d", WTERMSIG (wait_status));

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s%s%s", name, how,
                   message && *message ? ": " : "", message ? message : "");
      return FALSE;
    }

  run->elapsed_us = elapsed_us;
  run->max_rss_kib = max_rss_kib;
  return TRUE;
}
