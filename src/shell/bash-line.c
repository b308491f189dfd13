/*
 * Agent Guard's Enter key for interactive bash, as a loadable builtin (`enable -f bash-line.so __agent_guard_enter`).
 *
 * interactive.bash binds Enter to a key macro that runs the shell function __agent_guard_line (`bind -x`) and then
 * accept-line. For the common line (`ls -la`) that function does nothing but say "this line may run", yet running it
 * costs bash a `bind -x` round (variables READLINE_LINE/POINT set and read back, the function's body copied) after the
 * previous command's fork: on a machine where a page fault costs 15 µs that was most of the gate's added time.
 *
 * This file moves only that first test into C: Enter calls enter() below. When the line is one the shell function
 * would let through without asking (the same conditions as the quick path at the top of __agent_guard_line, never
 * looser), it is accepted at once. Every other line is handed to the shell function exactly as before, by pushing the
 * old key macro, so all checking, asking and refusing stays in one place (interactive.bash and lib.bash).
 *
 * No bash headers are needed: the few structures used (the builtin table entry, a word list, a shell variable) have
 * had the same layout since bash 4. The library is linked with -z now (a missing symbol fails `enable -f` at once,
 * where bash falls back to the key macro, rather than at the first Enter) and -z nodelete (`enable -d` cannot unmap
 * code that Enter is bound to).
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct word_desc {
  char *word;
  int flags;
} WORD_DESC;
typedef struct word_list {
  struct word_list *next;
  WORD_DESC *word;
} WORD_LIST;
struct builtin {
  const char *name;
  int (*function)(WORD_LIST *);
  int flags;
  const char *const *long_doc;
  const char *short_doc;
  char *handle;
};
typedef struct variable {
  char *name;
  char *value;
  char *exportstr;
  void *dynamic_value;
  void *assign_func;
  int attributes;
  int context;
} SHELL_VAR;
#define ATT_READONLY 0x02
#define ATT_INVISIBLE 0x1000
#define BUILTIN_ENABLED 0x01

/* bash */
extern SHELL_VAR *find_variable(const char *);
extern int unbind_variable_noref(const char *);
extern SHELL_VAR *bind_variable(const char *, char *, int);
extern char *get_string_value(const char *);
extern void builtin_error(const char *, ...);
extern struct builtin *builtin_address_internal(char *, int);
typedef struct alias {
  char *name;
  char *value;
  char flags;
} alias_t;
extern alias_t *find_alias(char *);
extern int current_command_line_count;
/* readline, inside bash */
typedef int rl_command_func_t(int, int);
extern char *rl_line_buffer;
extern int rl_end;
extern int rl_add_defun(const char *, rl_command_func_t *, int);
extern void *rl_get_keymap_by_name(const char *);
extern int rl_bind_keyseq_in_map(const char *, rl_command_func_t *, void *);
extern int rl_newline(int, int);
extern void rl_replace_line(const char *, int);
extern void rl_push_macro_input(char *);
/* The signal readline has caught and not yet handled (0 for none); weak, as for rl_executing_macro. */
extern int rl_pending_signal(void) __attribute__((weak));
/* The key macro readline is reading from now (0 when keys come from the terminal); weak: where this readline does not
 * name it, \e[9002~ stays interactive.bash's accept-line. */
extern char *rl_executing_macro __attribute__((weak));

/* What bash runs for a line this file does not accept itself: the key macros interactive.bash binds Enter to when
 * this builtin is not loaded (the line gate, then accept-line). The first line of a command first does what the prompt
 * hook does without the builtin: a new command, the previous line's approval ended, the shims back on PATH. */
static const char first_macro[] = "\033[9005~\033[9002~";
static const char next_macro[] = "\033[9001~\033[9002~";
/* A plain line that names a word worth asking about: the shell function's quick path asks the editor at once. */
static const char ask_macro[] = "\033[9006~\033[9002~";
/* The same line, asked about here, when the answer is anything but a plain "allow": the shell function reads the rest
 * of it on this file's connection (\e[9008~), the connection is forgotten (\e[9010~), then accept-line. */
static const char answer_macro[] = "\033[9008~\033[9010~\033[9002~";

/* Copied when Enter is bound: __agent_guard_home is read-only. */
static char home[4096];
static size_t home_len;

static int empty(const char *name) {
  const char *v = get_string_value(name);
  return !v || !*v;
}

/*
 * The editor's list of words worth asking about, as this file read it from the gate's prefilter file: " w1 w2 … ", a
 * blank either side of each word. Not the shell's array __agent_guard_ask_words, which a line can change without
 * naming it (`n=__agent; n+=_guard_ask_words; w=r; w+=m; unset "$n[$w]"`, after which `rm -rf data` would be accepted
 * here unasked). Read again when its version's marker ($home/current/<version>, one stat a line, as before) is gone.
 */
static char words_version[128];
static char *words_list;

/* Whether WORD (LEN bytes, no blank) is in LIST (" … "). */
static int listed(const char *list, const char *word, size_t len) {
  char key[66];
  if (!len || len > 63) return 0;
  key[0] = ' ';
  memcpy(key + 1, word, len);
  key[len + 1] = ' ';
  key[len + 2] = 0;
  return strstr(list, key) != 0;
}

/* TEXT with a blank before and after it (malloc'd), as listed() reads a list; 0 when out of memory. */
static char *blanked(const char *text) {
  size_t n = strlen(text);
  char *b = malloc(n + 3);
  if (b) b[0] = ' ', memcpy(b + 1, text, n), b[n + 1] = ' ', b[n + 2] = 0;
  return b;
}

/* Whether the lists are current and in normal mode (what __agent_guard_sync's marker stands for): false, and every line
 * takes the shell function's full path, when the file is missing, too large, or not the editor's (a mode other than
 * normal, or rm missing from either list, as __agent_guard_sync tests). */
static int words_current(void) {
  char path[4400];
  struct stat st;
  if (words_list && snprintf(path, sizeof path, "%s/current/%s", home, words_version) < (int)sizeof path && stat(path, &st) == 0) return 1;
  if (snprintf(path, sizeof path, "%s/prefilter", home) >= (int)sizeof path) return 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return 0;
  char *text = 0;
  size_t n = 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= (1 << 20) && (text = malloc((size_t)st.st_size + 3))) {
    for (ssize_t got; n < (size_t)st.st_size && (got = read(fd, text + 1 + n, (size_t)st.st_size - n)) > 0;) n += (size_t)got;
  }
  close(fd);
  if (!text) return 0;
  /* version \n mode \n ask words \n guarded words \n, blanks and tabs between words. */
  text[n + 1] = 0;
  char *line[4] = {0}, *at = text + 1;
  for (int k = 0; k < 4 && at; k++) {
    line[k] = at;
    at = strchr(at, '\n');
    if (at) *at++ = 0;
  }
  for (char *c = text + 1; c < text + n + 1; c++)
    if (*c == '\t') *c = ' ';
  int ok = line[3] && strlen(line[0]) < sizeof words_version && line[0][0] && !strchr(line[0], '/') && strcmp(line[0], ".") && strcmp(line[0], "..") &&
           !strcmp(line[1], "normal");
  if (ok) {
    char *copy = blanked(line[2]), *g = blanked(line[3]);
    ok = copy && g && listed(copy, "rm", 2) && listed(g, "rm", 2) &&
         snprintf(path, sizeof path, "%s/current/%s", home, line[0]) < (int)sizeof path && stat(path, &st) == 0;
    free(g);
    if (ok) {
      free(words_list);
      words_list = copy;
      memcpy(words_version, line[0], strlen(line[0]) + 1);
    } else
      free(copy);
  }
  free(text);
  return ok;
}

/* Whether WORD (LEN bytes) is in that list. */
static int ask_word(const char *word, size_t len) {
  return len > 63 || listed(words_list, word, len);
}

static int is_reserved(const char *word, size_t len) {
  static const char *const words[] = {"if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in", "function", "coproc", "time"};
  for (size_t k = 0; k < sizeof words / sizeof *words; k++)
    if (strlen(words[k]) == len && !memcmp(word, words[k], len)) return 1;
  return 0;
}

/* A reserved word, or an alias that may open a command continuing on the next line (`for x in a b`). An alias of
 * plain words (`ls --color=auto`, `ls -alF`) cannot: letters, digits, blanks and `_=./:,+%@-` only, no reserved word. */
static int opens(const char *word, size_t len, int depth, int *budget) {
  char name[64];
  if (is_reserved(word, len) || depth > 8 || --*budget < 0) return 1;
  if (len >= sizeof name) return 1;
  memcpy(name, word, len);
  name[len] = 0;
  alias_t *a = find_alias(name);
  if (!a) return 0;
  const char *v = a->value;
  if (!v) return 1;
  for (size_t i = 0;;) {
    while (v[i] == ' ') i++;
    if (!v[i]) return 0;
    size_t start = i;
    for (; v[i] && v[i] != ' '; i++) {
      char c = v[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_=./:,+%@-", c))) return 1;
    }
    if (is_reserved(v + start, i - start)) return 1;
    /* bash expands the first word of an alias again (alias a=b; alias b='for x in 1'), and the next one after a value
     * that ends in a blank (alias x='ls '; alias a='x y'): every word is followed but the alias's own name, within a
     * budget that a crafted set of aliases cannot make long. */
    if (!(i - start == len && !memcmp(v + start, word, len)) && opens(v + start, i - start, depth + 1, budget)) return 1;
  }
}

static int contains(const char *line, size_t len, const char *what) {
  size_t n = strlen(what);
  for (size_t i = 0; i + n <= len; i++)
    if (!memcmp(line + i, what, n)) return 1;
  return 0;
}

/* What the quick path of __agent_guard_line would do with the line: ACCEPT it without asking, ASK the editor at once
 * (a plain line naming a word worth asking about), or neither (FULL: the shell function checks it). */
enum { FULL, ACCEPT, ASK };
static int quick(void) {
  static const char *const words[] = {"path", "bind", "zle", "enable", "disable", "unfunction", "functions", "preexec", "precmd",
                                      "zshaddhistory", "complete", "compdef", "widget", "which", "command"};
  const char *line = rl_line_buffer;
  size_t len = rl_end > 0 ? (size_t)rl_end : 0;
  /* History characters set: the shell function decides. */
  if (!line || !empty("histchars")) return FULL;
  for (size_t i = 0; i < len; i++) {
    char c = line[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '_' || c == '-')) return FULL;
  }
  /* The editor's lists are current and in normal mode. */
  if (!words_current()) return FULL;
  /* Not typed in or above the gate's own folder. */
  const char *pwd = get_string_value("PWD");
  if (!pwd || !home_len) return FULL;
  size_t pl = strlen(pwd), hl = home_len;
  if (pl >= hl && !memcmp(pwd, home, hl) && (pwd[hl] == '/' || pwd[hl] == 0)) return FULL; /* $PWD/ == "$home"/… */
  while (pl && pwd[pl - 1] == '/') pl--;                                                /* ${PWD%/} (one or all: stricter) */
  if (hl > pl && !memcmp(home, pwd, pl) && home[pl] == '/') return FULL;                    /* $home == ${PWD%/}/… */
  /* agent?guard, and the words the gate's own checks look for. */
  for (size_t i = 0; i + 11 <= len; i++)
    if (!memcmp(line + i, "agent", 5) && !memcmp(line + i + 6, "guard", 5)) return FULL;
  for (size_t k = 0; k < sizeof words / sizeof *words; k++)
    if (contains(line, len, words[k])) return FULL;
  /* No reserved word or alias, which could open a command that continues on the next line (`for x in a b`): the shell
   * function keeps such a line to check with the rest. A word worth asking about, whole or cut at its first digit:
   * asked about at once, as the shell function's quick path does (with the line kept in case it continues). */
  for (size_t i = 0; i < len;) {
    while (i < len && line[i] == ' ') i++;
    size_t start = i, digit = 0;
    while (i < len && line[i] != ' ') {
      if (!digit && line[i] >= '0' && line[i] <= '9') digit = i - start + 1;
      i++;
    }
    if (i == start) break;
    int budget = 64;
    if (opens(line + start, i - start, 0, &budget)) return FULL;
    if (ask_word(line + start, i - start) || (digit > 1 && ask_word(line + start, digit - 1))) return ASK;
  }
  return ACCEPT;
}

/*
 * The ask itself, for a plain first line with a word worth asking about (ASK): what __agent_guard_ask (lib.bash) sends,
 * sent from here, so that a line the editor allows outright (`git status`) costs bash no `bind -x` round and no shell
 * function. Only a first answer line of "allow - …" (allowed, no approval to carry) is acted on here. Any other answer
 * (a refusal, a person deciding, an approval's ticket, junk, silence, a closed connection) is left unread on the
 * connection, which is handed to the shell function __agent_guard_answered: it reads and acts on it exactly as
 * __agent_guard_ask would have. Anything that goes wrong before the question is sent (no registration for the port,
 * a token that is not it, nothing listening) leaves the line to the shell function's own ask, unchanged.
 *
 * The connection is named to the shell in __agent_guard_asked ("FD WAITED": the descriptor, and the whole seconds
 * already waited for a first line that has not come whole, which the function takes off its bound). That variable is
 * made read-only when Enter is bound, and only this file writes it: a line cannot point the function at a descriptor
 * of its own, and the value is emptied at the next key this file handles (\e[9010~ right after the function, and
 * every Enter).
 */
enum { NOT_ASKED, ALLOWED, ANSWER, INTERRUPTED };
static const char asked_name[] = "__agent_guard_asked";
static int asked_usable;
/* Whether the variable holds a connection now (only this file sets it): the common Enter then looks nothing up, as
 * every lookup bash makes writes to the variable's table entry, a page fault after the previous command's fork. */
static int asked_set;

static SHELL_VAR *asked_var(void) {
  SHELL_VAR *v = asked_usable ? find_variable(asked_name) : 0;
  return v && (v->attributes & ATT_READONLY) && !(v->attributes & ~(ATT_READONLY | ATT_INVISIBLE)) && v->value ? v : 0;
}

/* Writes the read-only variable (bash would refuse an assignment); false when it could not. */
static int set_asked(const char *value) {
  SHELL_VAR *v = asked_var();
  char *copy = v ? strdup(value) : 0;
  if (!copy) return 0;
  free(v->value);
  v->value = copy;
  asked_set = *value != 0;
  return 1;
}

static int forget(int count, int key) {
  (void)count, (void)key;
  if (asked_set) set_asked("");
  return 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* AGENT_GUARD_ANSWER_S as lib.bash reads it: 1 to 5 digits and above 0, else 10 s. */
static int answer_bound(void) {
  const char *b = get_string_value("AGENT_GUARD_ANSWER_S");
  size_t n = b ? strlen(b) : 0;
  if (!n || n > 5 || strspn(b, "0123456789") != n || b[0] == '0') return 10;
  return atoi(b);
}

/* Waits for FD to be ready for EVENTS until DEADLINE; false on timeout, a signal, or an error. */
static int wait_for(int fd, short events, double deadline) {
  double left = deadline - now();
  if (left <= 0) return 0;
  struct pollfd p = {fd, events, 0};
  return poll(&p, 1, (int)(left * 1000) + 1) == 1 && (p.revents & (events | POLLHUP | POLLERR));
}

/* Whether the port's registration in the gate's folder names this token (__agent_guard_window's test). */
static int window(const char *port, const char *token) {
  char path[4200], buf[512];
  if (snprintf(path, sizeof path, "%s/ports/%s", home, port) >= (int)sizeof path) return 0;
  /* O_NONBLOCK: a FIFO put in the registration's place would otherwise hold Enter until something writes to it. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return 0;
  struct stat st;
  ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, sizeof buf - 1) : -1;
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *nl = strchr(buf, '\n');
  size_t tl = strlen(token);
  return nl && (size_t)(nl - buf) == tl && !memcmp(buf, token, tl);
}

static int ask_here(const char *line, size_t len) {
  const char *port = get_string_value("AGENT_GUARD_PORT"), *token = get_string_value("AGENT_GUARD_TOKEN");
  const char *cwd = get_string_value("PWD");
  size_t pn = port ? strlen(port) : 0;
  if (!asked_var() || !pn || pn > 5 || strspn(port, "0123456789") != pn || !token || !*token || !window(port, token)) return NOT_ASKED;
  if (!cwd) cwd = "";
  double start = now(), deadline = start + answer_bound();
  char head[512];
  int hn = snprintf(head, sizeof head, "AG1 %s line %ld - %zu %zu\n", token, (long)getpid(), strlen(cwd), len);
  if (hn <= 0 || hn >= (int)sizeof head) return NOT_ASKED;
  size_t total = (size_t)hn + strlen(cwd) + len;
  char *req = malloc(total);
  if (!req) return NOT_ASKED;
  memcpy(req, head, (size_t)hn);
  memcpy(req + hn, cwd, strlen(cwd));
  memcpy(req + hn + strlen(cwd), line, len);

  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), fd = s < 0 ? -1 : fcntl(s, F_DUPFD_CLOEXEC, 10);
  if (s >= 0 && fd != s) close(s);
  struct sockaddr_in to = {0};
  to.sin_family = AF_INET;
  to.sin_port = htons((unsigned short)atoi(port));
  to.sin_addr.s_addr = htonl(0x7f000001);
  int ok = fd >= 0;
  if (ok && connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
    int err = 0;
    socklen_t el = sizeof err;
    ok = errno == EINPROGRESS && wait_for(fd, POLLOUT, deadline) && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0;
  }
  size_t sent = 0;
  while (ok && sent < total) {
    ssize_t n = send(fd, req + sent, total - sent, MSG_NOSIGNAL);
    if (n > 0) sent += (size_t)n;
    else ok = n < 0 && (errno == EAGAIN || errno == EINTR) && wait_for(fd, POLLOUT, deadline);
  }
  free(req);
  if (!ok) {
    /* Not connected, or the question not wholly sent: nobody was asked; the shell function asks as it always did. */
    if (fd >= 0) close(fd);
    return rl_pending_signal && rl_pending_signal() == SIGINT ? INTERRUPTED : NOT_ASKED;
  }

  /* The first answer line, looked at without taking it from the connection. */
  char buf[4096];
  ssize_t got = 0;
  char *nl = 0;
  for (;;) {
    got = recv(fd, buf, sizeof buf - 1, MSG_PEEK);
    if (got > 0 && (nl = memchr(buf, '\n', (size_t)got))) break;
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR) || got == (ssize_t)sizeof buf - 1) break;
    if (!wait_for(fd, POLLIN, deadline)) break;
  }
  /* C-c while waiting: the line is given up as any key's would be (readline handles the signal once this key is done);
   * a connection handed over now would be left open, and its key macro dropped with the line. */
  if (!nl && rl_pending_signal && rl_pending_signal() == SIGINT) {
    close(fd);
    return INTERRUPTED;
  }
  if (nl && nl - buf >= 8 && !memcmp(buf, "allow - ", 8)) {
    recv(fd, buf, (size_t)(nl - buf) + 1, 0);
    close(fd);
    return ALLOWED;
  }
  /* The rest is the shell function's. Silence past the bound is said as waited out, so it refuses at once. */
  char value[64];
  /* A whole line is read at once whatever is left of the bound; without one, what is left is the shell's to wait. */
  long waited = nl ? 0 : now() >= deadline ? 99999 : (long)(now() - start);
  snprintf(value, sizeof value, "%d %ld", fd, waited);
  if (!set_asked(value)) {
    close(fd);
    return NOT_ASKED;
  }
  return ANSWER;
}

/* The first line of a command (bash is not reading a continuation) with no approval to end and PATH as checked. */
static int settled(void) {
  if (current_command_line_count != 0 || get_string_value("AGENT_GUARD_TICKET")) return 0;
  /* The prompt hook's own test: PATH as __agent_guard_hash_real left it (after putting the shims back), not as a line
   * last left it (a line that set PATH without the shims twice would otherwise keep them off). */
  const char *path = get_string_value("PATH"), *hashed = get_string_value("__agent_guard_hashed_path");
  return path && hashed && !strcmp(path, hashed);
}

/* glibc 2.33 and later; elsewhere (another libc, an older glibc) the heap is left as it is. */
extern struct mallinfo2 mallinfo2(void) __attribute__((weak));

/*
 * After a fork, the first write to each page of bash's heap costs a page fault, and bash's own work for a line (its
 * history entry, the parsed words) is allocated from the heap's free chunks. Loading the gate (its functions, the
 * editor's word lists) leaves such chunks spread over the whole heap, so a line's allocations would write a new page
 * for nearly each one. Done once, after the first line the shell function checked: the free chunks of the sizes a line
 * allocates are taken (and kept; at most 4 MB), so that a line's allocations come from the top of the heap, side by side.
 */
static void gather_heap(void) {
  static int done;
  if (done || !mallinfo2) return;
  done = 1;
  /* Under a memory limit (ulimit -v, -d) the chunks taken make bash grow its heap sooner, and bash ends when an
   * allocation fails: 600 kB over what bash had, the first plain line ended it, where the shell function did not. */
  struct rlimit as, data;
  if (getrlimit(RLIMIT_AS, &as) != 0 || as.rlim_cur != RLIM_INFINITY || getrlimit(RLIMIT_DATA, &data) != 0 || data.rlim_cur != RLIM_INFINITY) return;
  char *top = (char *)sbrk(0) - mallinfo2().keepcost;
  size_t kept = 0;
  for (size_t size = 16; size <= 1024; size += 16)
    for (;;) {
      char *p = malloc(size);
      if (!p) return;
      if (p >= top) {
        free(p);
        break;
      }
      if ((kept += size) > (4u << 20)) return;
    }
}

/*
 * The builtins __agent_guard_own (lib.bash) removes functions for: the gate's own code runs them. With one turned off
 * (`enable -n read`, spelled by a name built at run time), a function of its name stands in for it again; with `unset`
 * turned off, __agent_guard_own could not even remove such functions. Whatever path a line takes past the quick one
 * (the shell function, or this file's hand-over of an answer), they are turned back on first, and the person is told.
 */
static char *const gate_builtins[] = {".", ":", "[", "bind", "break", "builtin", "command", "continue", "declare", "enable", "eval", "exec", "exit", "export", "false", "hash", "kill", "local", "printf", "read", "readonly", "return", "set", "shift", "shopt", "source", "test", "trap", "true", "typeset", "unset"};
#define GATE_BUILTINS (sizeof gate_builtins / sizeof *gate_builtins)
/* Each one's table entry as bash had it when Enter was bound: `enable -f x.so read` copies a loaded file's entry (its
 * code, its name, its handle) over the builtin's own. Kept only for bash's own (static, not loaded) builtins. */
static struct builtin gate_entry[GATE_BUILTINS];

static void builtins_on(void) {
  char told[512];
  size_t n = 0;
  for (size_t i = 0; i < GATE_BUILTINS; i++) {
    struct builtin *b = builtin_address_internal(gate_builtins[i], 1);
    int replaced = gate_entry[i].function && b && b->function != gate_entry[i].function;
    if (!b || ((b->flags & BUILTIN_ENABLED) && !replaced)) continue;
    /* bash's own entry again, as bash copied the loaded one over it (the loaded file stays mapped, but no longer
     * named by this entry; `enable -d` then refuses it as not loaded). */
    if (replaced) *b = gate_entry[i];
    b->flags |= BUILTIN_ENABLED;
    int w = snprintf(told + n, sizeof told - n, " %s", gate_builtins[i]);
    if (w > 0 && (size_t)w < sizeof told - n) n += (size_t)w;
  }
  if (n) fprintf(stderr, "\n\033[33mAgent Guard: turned the builtin(s)%s the gate runs back on\033[0m\n", told);
}

static int enter(int count, int key) {
  forget(0, 0);
  int first = current_command_line_count == 0, how = settled() ? quick() : FULL;
  if (how != ACCEPT) builtins_on();
  char *answer = how == ASK ? malloc(sizeof answer_macro) : 0; /* readline frees a macro when it ends */
  if (answer) {
    int asked = ask_here(rl_line_buffer, rl_end > 0 ? (size_t)rl_end : 0);
    if (asked == ANSWER) {
      memcpy(answer, answer_macro, sizeof answer_macro);
      rl_push_macro_input(answer);
      return 0;
    }
    free(answer);
    if (asked == INTERRUPTED) {
      rl_replace_line("", 0);
      return rl_newline(count, key);
    }
    if (asked == ALLOWED) how = ACCEPT;
  }
  if (how == ACCEPT) {
    gather_heap();
    return rl_newline(count, key);
  }
  const char *m = how == ASK ? ask_macro : first ? first_macro : next_macro;
  char *macro = malloc(sizeof first_macro); /* readline frees it when the macro ends */
  if (!macro) return 1;
  memcpy(macro, m, sizeof first_macro);
  rl_push_macro_input(macro);
  return 0;
}

/*
 * \e[9002~ ends each of the macros above with accept-line, after the shell function's key has checked the line. Typed
 * by hand after a line (`rm -rf data\e[9002~`), it would run that line with nothing checked: so it runs the line at
 * once only while readline reads it from one of those macros (each starts with the key that checks the line, and a
 * macro is always read from its start), and is Enter otherwise.
 */
static int accept_key(int count, int key) {
  const char *m = rl_executing_macro;
  if (m && (!strcmp(m, first_macro) || !strcmp(m, next_macro) || !strcmp(m, ask_macro) || !strcmp(m, answer_macro))) return rl_newline(count, key);
  return enter(count, key);
}

/* __agent_guard_enter bind — binds Enter, C-j, C-o and \e[9007~ in the emacs and vi keymaps to enter(). */
static int agent_guard_enter_builtin(WORD_LIST *list) {
  static const char *const maps[] = {"emacs", "vi-insert", "vi-command"};
  /* \e[9007~: M-# and vi `#` (interactive.bash), so that a line they run also starts a command as Enter does. */
  static const char *const keys[] = {"\\C-m", "\\C-j", "\\C-o", "\\e[9007~"};
  if (!list || !list->word || strcmp(list->word->word, "bind") != 0 || list->next) {
    builtin_error("usage: __agent_guard_enter bind");
    return 2;
  }
  const char *h = get_string_value("__agent_guard_home");
  if (!h || !*h || strlen(h) >= sizeof home) return 1;
  home_len = strlen(h);
  memcpy(home, h, home_len + 1);
  /* The connection's name for __agent_guard_answered: read-only, so only this file sets it. One set before the gate
   * loaded (in the environment a line started this shell with: `env __agent_guard_asked='10 0' bash`, or by a startup
   * file) would be read by that function as the builtin's, so it is removed first (whatever its attributes; a name
   * reference itself, not what it names) and this file's own made in its place. Should that fail, it is not trusted:
   * the editor is then asked by the shell function, as without this file. */
  unbind_variable_noref(asked_name);
  SHELL_VAR *v = find_variable(asked_name);
  if (!v || !(v->attributes & ~ATT_INVISIBLE)) v = bind_variable(asked_name, "", 0);
  if (v && !(v->attributes & ~ATT_INVISIBLE) && !v->dynamic_value && !v->assign_func) {
    v->attributes |= ATT_READONLY;
    asked_usable = 1;
  }
  for (size_t i = 0; i < GATE_BUILTINS; i++) {
    struct builtin *b = builtin_address_internal(gate_builtins[i], 1);
    if (b && !b->handle) gate_entry[i] = *b;
  }
  rl_add_defun("agent-guard-enter", enter, -1);
  rl_add_defun("agent-guard-forget", forget, -1);
  for (size_t m = 0; m < 3; m++) {
    void *map = rl_get_keymap_by_name(maps[m]);
    if (!map) return 1;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
      if (rl_bind_keyseq_in_map(keys[k], enter, map) != 0) return 1;
    if (rl_bind_keyseq_in_map("\\e[9010~", forget, map) != 0) return 1;
    if (&rl_executing_macro && rl_bind_keyseq_in_map("\\e[9002~", accept_key, map) != 0) return 1;
  }
  return 0;
}

static const char *const doc[] = {"Binds Enter to Agent Guard's line gate (see interactive.bash).", 0};
__attribute__((visibility("default"))) struct builtin __agent_guard_enter_struct = {"__agent_guard_enter", agent_guard_enter_builtin, BUILTIN_ENABLED, doc, "__agent_guard_enter bind", 0};
