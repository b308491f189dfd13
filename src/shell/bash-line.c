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
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <malloc.h>

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
#define ATT_ASSOC 0x40
#define BUILTIN_ENABLED 0x01

/* bash */
extern SHELL_VAR *find_variable(const char *);
extern char *get_string_value(const char *);
extern char *assoc_reference(void *, char *);
extern void builtin_error(const char *, ...);
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
extern void rl_push_macro_input(char *);

/* What bash runs for a line this file does not accept itself: the key macros interactive.bash binds Enter to when
 * this builtin is not loaded (the line gate, then accept-line). The first line of a command first does what the prompt
 * hook does without the builtin: a new command, the previous line's approval ended, the shims back on PATH. */
static const char first_macro[] = "\033[9005~\033[9002~";
static const char next_macro[] = "\033[9001~\033[9002~";
/* A plain line that names a word worth asking about: the shell function's quick path asks the editor at once. */
static const char ask_macro[] = "\033[9006~\033[9002~";

/* Copied when Enter is bound: __agent_guard_home is read-only. */
static char home[4096];
static size_t home_len;

static int empty(const char *name) {
  const char *v = get_string_value(name);
  return !v || !*v;
}

/* The editor's list of words worth asking about: the shell's own array (never a copy), or 0 when there is none, it is
 * not the associative array lib.bash makes, or it lacks rm (which every list of the editor's holds, as lib.bash checks:
 * an array emptied through a name built at run time, `unset $v; declare -gA $v`, would otherwise ask about nothing).
 * Looked up once a line. */
static void *ask_words(void) {
  SHELL_VAR *words = find_variable("__agent_guard_ask_words");
  if (!words || !(words->attributes & ATT_ASSOC)) return 0;
  const char *rm = assoc_reference(words->value, "rm");
  return rm && *rm ? words->value : 0;
}

/* Whether WORD (LEN bytes) is in that list; without a list nothing can be said quickly, so every word is. */
static int ask_word(void *words, const char *word, size_t len) {
  char key[64];
  if (!words || len >= sizeof key) return 1;
  memcpy(key, word, len);
  key[len] = 0;
  const char *v = assoc_reference(words, key);
  return v && *v;
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
  struct stat st;
  /* History characters set: the shell function decides. */
  if (!line || !empty("histchars")) return FULL;
  for (size_t i = 0; i < len; i++) {
    char c = line[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '_' || c == '-')) return FULL;
  }
  /* The editor's lists are current and in normal mode. */
  const char *marker = get_string_value("__agent_guard_marker");
  if (!marker || !*marker || stat(marker, &st) != 0) return FULL;
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
  void *asks = ask_words();
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
    if (ask_word(asks, line + start, i - start) || (digit > 1 && ask_word(asks, line + start, digit - 1))) return ASK;
  }
  return ACCEPT;
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

static int enter(int count, int key) {
  int first = current_command_line_count == 0, how = settled() ? quick() : FULL;
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
  rl_add_defun("agent-guard-enter", enter, -1);
  for (size_t m = 0; m < 3; m++) {
    void *map = rl_get_keymap_by_name(maps[m]);
    if (!map) return 1;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
      if (rl_bind_keyseq_in_map(keys[k], enter, map) != 0) return 1;
  }
  return 0;
}

static const char *const doc[] = {"Binds Enter to Agent Guard's line gate (see interactive.bash).", 0};
__attribute__((visibility("default"))) struct builtin __agent_guard_enter_struct = {"__agent_guard_enter", agent_guard_enter_builtin, BUILTIN_ENABLED, doc, "__agent_guard_enter bind", 0};
