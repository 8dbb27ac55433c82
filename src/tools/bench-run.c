/* bench-run.c: run one program and report its time and peak memory
 *
 *   bench-run TIMEOUT_S PROGRAM [ARGUMENT…]
 *
 * Prints "ELAPSED_US MAX_RSS_KIB WAIT_STATUS" (or "timeout") on stdout;
 * PROGRAM's stdout goes to /dev/null, its stderr is ours.
 *
 * Why a separate process: ru_maxrss counts the memory a process had before
 * exec(), and a child forked or spawned from the benchmark starts with the
 * benchmark's own hundreds of megabytes of database cache. Forked from this
 * small program instead, the figure is the program's own. Plain libc, so
 * that it stays small.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int
main (int    argc,
      char **argv)
{
  struct rusage usage;
  struct pollfd poll_fd;
  long long start;
  long long end;
  int timeout_s;
  int status = 0;
  int pid_fd;
  int rc;
  pid_t pid;

  if (argc < 3 || (timeout_s = atoi (argv[1])) <= 0)
    {
      fprintf (stderr, "Usage: bench-run TIMEOUT_S PROGRAM [ARGUMENT…]\n");
      return 2;
    }

  start = now_us ();
  pid = fork ();
  if (pid < 0)
    {
      perror ("bench-run: fork");
      return 1;
    }
  if (pid == 0)
    {
      int null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);

      if (null_fd >= 0)
        dup2 (null_fd, STDOUT_FILENO);
      execv (argv[2], argv + 2);
      fprintf (stderr, "cannot run %s: %m\n", argv[2]);
      _exit (127);
    }

  pid_fd = pidfd_open (pid, 0);
  if (pid_fd >= 0)
    {
      poll_fd.fd = pid_fd;
      poll_fd.events = POLLIN;
      do
        rc = poll (&poll_fd, 1, timeout_s * 1000);
      while (rc < 0 && errno == EINTR);
      close (pid_fd);
      if (rc == 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          printf ("timeout\n");
          return 0;
        }
    }

  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        perror ("bench-run: wait4");
        return 1;
      }
  end = now_us ();

  printf ("%lld %ld %d\n", end - start, usage.ru_maxrss, status);
  return 0;
}
