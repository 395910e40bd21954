#ifndef HOTLINESIM_CREADLINE_SHIM_H
#define HOTLINESIM_CREADLINE_SHIM_H

#include <signal.h>
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Ctrl-C during line editing: the handler only records the signal; the shell's read loop
   clears the line and keeps the session (it never exits on Ctrl-C). */
static volatile sig_atomic_t hotlinesim_interrupted = 0;

static void hotlinesim_on_sigint(int signal_number) {
  (void)signal_number;
  hotlinesim_interrupted = 1;
}

/* Installs the SIGINT handler (without SA_RESTART, so a blocked poll() returns). */
static inline void hotlinesim_install_sigint(void) {
  /* A parent may have blocked SIGINT (a blocked mask is inherited); unblock it. */
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, SIGINT);
  sigprocmask(SIG_UNBLOCK, &unblock, NULL);
  struct sigaction action;
  action.sa_handler = hotlinesim_on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, NULL);
}

/* Restores the default SIGINT behaviour. */
static inline void hotlinesim_restore_sigint(void) {
  signal(SIGINT, SIG_DFL);
}

/* Returns 1 (and clears the flag) if Ctrl-C was pressed since the last call. */
static inline int hotlinesim_take_interrupt(void) {
  int value = hotlinesim_interrupted;
  hotlinesim_interrupted = 0;
  return value;
}

/* Forgets an earlier Ctrl-D: readline (8.1 and later) keeps the flag across lines in callback
   mode and would end the next line with an extra newline. */
static inline void hotlinesim_forget_end_of_input(void) {
#if defined(RL_READLINE_VERSION) && RL_READLINE_VERSION >= 0x0801
  rl_eof_found = 0;
#endif
}

/* Clears standard input's end-of-file mark. At a terminal Ctrl-D ends one read, but stdio
   keeps returning end of file until the mark is cleared. */
static inline void hotlinesim_clear_stdin_eof(void) {
  clearerr(stdin);
}

#endif
