/*
 * Agent Guard's native PATH shim for Linux: what shim.sh does, without starting bash. A guarded program's name on PATH
 * points here; the shim finds the real program past its own folder, asks the editor window's gate, and runs the real
 * program only on "allow". Every script's guarded program pays for this process, and bash's own start was most of
 * shim.sh's cost, so this is one small static process: no libc, no allocation but one mapping, a few system calls.
 *
 * Keep it in step with shim.sh (the shim on other systems, and the fallback); test/unit/shim.test.ts runs the same
 * tests against both. Differences, all towards refusing: a line from the gate longer than 64 KiB is an answer that is
 * not an answer; a connection this process cannot make for any reason but "refused" (nothing listening) is refused,
 * not "unreachable" (shim.sh tells only running out of descriptors apart).
 *
 * Which program this is comes from the path the kernel executed (AT_EXECFN: the link in the shim folder), never from
 * argv[0], which the caller chooses. Built by esbuild.mjs: cc -Os -static -nostdlib -ffreestanding.
 */

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

/* ---- system calls ------------------------------------------------------------------------------------------------ */

#if defined(__x86_64__)
enum { SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_fcntl = 72, SYS_mmap = 9, SYS_getpid = 39, SYS_socket = 41, SYS_connect = 42, SYS_sendto = 44, SYS_execve = 59, SYS_getcwd = 79, SYS_clock_gettime = 228, SYS_exit_group = 231, SYS_openat = 257, SYS_faccessat = 269, SYS_ppoll = 271, SYS_statx = 332 };
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
  return ret;
}
__asm__(".text\n.global _start\n_start:\n xor %rbp,%rbp\n mov %rsp,%rdi\n and $-16,%rsp\n call shim_main\n hlt\n");
#elif defined(__aarch64__)
enum { SYS_read = 63, SYS_write = 64, SYS_close = 57, SYS_fcntl = 25, SYS_mmap = 222, SYS_getpid = 172, SYS_socket = 198, SYS_connect = 203, SYS_sendto = 206, SYS_execve = 221, SYS_getcwd = 17, SYS_clock_gettime = 113, SYS_exit_group = 94, SYS_openat = 56, SYS_faccessat = 48, SYS_ppoll = 73, SYS_statx = 291 };
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}
__asm__(".text\n.global _start\n_start:\n mov x29, #0\n mov x30, #0\n mov x0, sp\n and sp, x0, #-16\n bl shim_main\n brk #0\n");
#else
#error "the native shim is built for x86_64 and aarch64 Linux; other systems use shim.sh"
#endif

#define sys3(n, a, b, c) sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define AT_FDCWD (-100)
#define EINTR 4
#define EAGAIN 11
#define EISCONN 106
#define ECONNREFUSED 111

/* The compiler may emit calls to these for copies and zeroing even without libc. */
void *memcpy(void *d, const void *s, size_t n) {
  u8 *a = d;
  const u8 *b = s;
  while (n--) *a++ = *b++;
  return d;
}
void *memmove(void *d, const void *s, size_t n) {
  u8 *a = d;
  const u8 *b = s;
  if (a < b)
    while (n--) *a++ = *b++;
  else
    while (n--) a[n] = b[n];
  return d;
}
int memcmp(const void *x, const void *y, size_t n) {
  const u8 *a = x, *b = y;
  for (; n; n--, a++, b++)
    if (*a != *b) return *a - *b;
  return 0;
}
void *memset(void *d, int c, size_t n) {
  u8 *a = d;
  while (n--) *a++ = (u8)c;
  return d;
}

static __attribute__((noreturn)) void die(int code) {
  for (;;) sys3(SYS_exit_group, code, 0, 0);
}

static size_t len(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

static int eq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

static int eq_n(const char *a, const char *b, size_t n) { return memcmp(a, b, n) == 0; }

/* The value of NAME in the environment, or 0. */
static const char *env(char **envp, const char *name) {
  size_t n = len(name);
  for (char **e = envp; *e; e++) {
    const char *s = *e;
    size_t i = 0;
    while (i < n && s[i] == name[i]) i++;
    if (i == n && s[n] == '=') return s + n + 1;
  }
  return 0;
}

static void write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    long w = sys3(SYS_write, fd, s, n);
    if (w == -EINTR) continue;
    if (w <= 0) return;
    s += w, n -= (size_t)w;
  }
}

static void say(const char *s) { write_all(2, s, len(s)); }

/* ---- a buffer in one anonymous mapping (the command line can be as long as the kernel allows) --------------------- */

typedef struct {
  char *p;
  size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n) {
  if (b->n + n > b->cap) n = b->cap > b->n ? b->cap - b->n : 0; /* cannot happen: the size is counted first */
  memcpy(b->p + b->n, s, n);
  b->n += n;
}
static void puts_(buf *b, const char *s) { put(b, s, len(s)); }
static void putc_(buf *b, char c) { put(b, &c, 1); }
static void putu(buf *b, u64 v) {
  char t[24];
  int i = 24;
  do t[--i] = (char)('0' + v % 10), v /= 10; while (v);
  put(b, t + i, (size_t)(24 - i));
}

static char *map(size_t n) {
  long p = sys6(SYS_mmap, 0, (long)n, 3 /* read|write */, 0x22 /* private|anonymous */, -1, 0);
  if (p < 0 && p > -4096) return 0;
  return (char *)p;
}

/* ---- files --------------------------------------------------------------------------------------------------------- */

struct statx_ {
  u32 mask, blksize;
  u64 attributes;
  u32 nlink, uid, gid;
  u16 mode, pad0;
  u64 ino, size, blocks, attributes_mask;
  u8 times[64];
  u32 rdev_major, rdev_minor, dev_major, dev_minor;
  u64 rest[14];
};

static int stat_(const char *path, struct statx_ *st) {
  return sys6(SYS_statx, AT_FDCWD, (long)path, 0, 0x7ff /* basic stats */, (long)st, 0) == 0;
}

/* bash's `-x f && ! -d f && ! f -ef shim`: executable by us, not a directory, and not this shim under another
 * spelling of its folder (bin/ and bin, or a link to it, on PATH), which would run itself again and again. */
static int runnable(const char *path, const struct statx_ *self) {
  struct statx_ st;
  if (sys3(SYS_faccessat, AT_FDCWD, path, 1 /* X_OK */) != 0) return 0;
  if (!stat_(path, &st) || (st.mode & 0170000) == 0040000) return 0;
  return !(st.ino == self->ino && st.dev_major == self->dev_major && st.dev_minor == self->dev_minor);
}

/* Reads up to cap-1 bytes of a small file into out (NUL-terminated); -1 if it cannot be opened. */
static long slurp(const char *path, char *out, size_t cap) {
  long fd = sys6(SYS_openat, AT_FDCWD, (long)path, 0 | 02000000 /* O_RDONLY|O_CLOEXEC */, 0, 0, 0);
  if (fd < 0) return -1;
  size_t n = 0;
  while (n + 1 < cap) {
    long r = sys3(SYS_read, fd, out + n, cap - 1 - n);
    if (r == -EINTR) continue;
    if (r <= 0) break;
    n += (size_t)r;
  }
  sys3(SYS_close, fd, 0, 0);
  out[n] = 0;
  return (long)n;
}

/* Line i (0-based) of text, copied into out; empty when there is no such line. As `read -r` with IFS= reads them. */
static void line_of(const char *text, int i, char *out, size_t cap) {
  const char *s = text;
  for (; i > 0 && *s; s++)
    if (*s == '\n') i--;
  size_t n = 0;
  if (i == 0)
    while (s[n] && s[n] != '\n' && n + 1 < cap) out[n] = s[n], n++;
  out[n] = 0;
}

/* ---- quoting: each word as the shells' parser reads it back (bash's printf %q, in its own forms) ------------------- */

static int plain(u8 c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' || c == '+' || c == ',' || c == '-';
}
static int control(u8 c) { return c < 0x20 || c == 0x7f; }

/* The most bytes quote() writes for s: four per byte in $'…', plus the quotes. */
static size_t quoted_cap(const char *s) { return len(s) * 4 + 3; }

/* Whether s is whole UTF-8, as the gate's decoder takes it (no overlong forms, no surrogates, nothing past U+10FFFF):
 * its non-ASCII characters then go as they are (readable in the audit log, as bash's %q leaves them); bytes that are
 * not UTF-8 go as \xNN escapes, so the gate never reads a replacement character where the program gets bytes. */
static int utf8(const u8 *s) {
  while (*s) {
    u8 c = *s++, lo = 0x80, hi = 0xbf;
    int more = c < 0x80 ? 0 : c < 0xc2 ? -1 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf5 ? 3 : -1;
    if (more < 0) return 0;
    if (c == 0xe0) lo = 0xa0;
    else if (c == 0xed) hi = 0x9f;
    else if (c == 0xf0) lo = 0x90;
    else if (c == 0xf4) hi = 0x8f;
    for (; more > 0; more--, s++, lo = 0x80, hi = 0xbf)
      if (*s < lo || *s > hi) return 0;
  }
  return 1;
}

/* A C1 control character (U+0080–U+009F, C2 80–9F in UTF-8) at p: escaped, as bash's %q escapes what is not
 * printable, so no terminal control reaches the audit log or the approval text as it is. */
static int c1(const u8 *p) { return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f; }

static void quote(buf *b, const char *s) {
  const u8 *u = (const u8 *)s;
  int text = utf8(u), simple = *u != 0, escape = !text;
  for (const u8 *p = u; *p; p++) {
    if (!plain(*p) && !(*p >= 0x80 && text)) simple = 0;
    if (control(*p) || c1(p)) simple = 0, escape = 1;
  }
  if (simple) return puts_(b, s);
  if (!escape) {
    putc_(b, '\'');
    for (const u8 *p = u; *p; p++)
      if (*p == '\'') puts_(b, "'\\''");
      else putc_(b, (char)*p);
    return putc_(b, '\'');
  }
  static const char hex[] = "0123456789abcdef";
  puts_(b, "$'");
  for (const u8 *p = u; *p; p++) {
    if (*p == '\n') puts_(b, "\\n");
    else if (*p == '\t') puts_(b, "\\t");
    else if (*p == '\r') puts_(b, "\\r");
    else if (*p == '\'' || *p == '\\') putc_(b, '\\'), putc_(b, (char)*p);
    else if (control(*p) || (*p >= 0x80 && !text) || c1(p) || (p > u && c1(p - 1))) puts_(b, "\\x"), putc_(b, hex[*p >> 4]), putc_(b, hex[*p & 15]);
    else putc_(b, (char)*p);
  }
  putc_(b, '\'');
}

/* ---- variables that change what the program does ---------------------------------------------------------------- */

/* Variables that carry arguments or settings the program reads (terraform's TF_CLI_ARGS, TF_CLI_ARGS_<command>; git's
 * GIT_CONFIG_COUNT, GIT_CONFIG_KEY_<n>, GIT_CONFIG_VALUE_<n>, GIT_CONFIG_PARAMETERS): the gate gets them as assignments
 * before the command, as a line that sets them would show them (`TF_CLI_ARGS_apply=-destroy terraform apply`). Only
 * names a shell reads as an assignment: any other name would turn the whole command into something else to read. */
static int starts(const char *s, const char *p) {
  while (*p && *s == *p) s++, p++;
  return !*p;
}
static size_t carried(const char *entry) {
  size_t n = 0;
  while (entry[n] && entry[n] != '=') {
    char c = entry[n];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    n++;
  }
  if (entry[n] != '=') return 0;
  int wanted = (n == 11 && starts(entry, "TF_CLI_ARGS")) || (n > 12 && starts(entry, "TF_CLI_ARGS_")) || (n == 16 && starts(entry, "GIT_CONFIG_COUNT")) ||
               (n == 21 && starts(entry, "GIT_CONFIG_PARAMETERS")) || (n > 15 && starts(entry, "GIT_CONFIG_KEY_")) || (n > 17 && starts(entry, "GIT_CONFIG_VALUE_"));
  return wanted ? n : 0;
}

/* ---- time ---------------------------------------------------------------------------------------------------------- */

static long now_ms(void) {
  long ts[2] = {0, 0};
  sys3(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, ts, 0);
  return ts[0] * 1000 + ts[1] / 1000000;
}

/* A bound in whole seconds from the environment, as shim.sh reads it: 1–5 digits, above 0; otherwise the default. */
static long seconds(const char *v, long fallback) {
  if (!v || !*v || len(v) > 5) return fallback;
  long n = 0;
  for (const char *p = v; *p; p++) {
    if (*p < '0' || *p > '9') return fallback;
    n = n * 10 + (*p - '0');
  }
  return n > 0 ? n : fallback;
}

/* ---- the shim ------------------------------------------------------------------------------------------------------ */

static char **g_argv, **g_envp;
static char g_real[4096];

static __attribute__((noreturn)) void run_real(void) {
  g_argv[0] = g_real;
  long r = sys3(SYS_execve, g_real, g_argv, g_envp);
  say("\033[31m✖ Agent Guard: ");
  say(g_real);
  say(r == -2 ? ": not found\033[0m\n" : r == -13 ? ": permission denied\033[0m\n" : ": cannot be run\033[0m\n");
  die(126);
}

enum { UNREACHABLE, ALLOW, DENY };
#define LINE_MAX_ (64 * 1024)

__attribute__((used)) void shim_main(long *sp) {
  int argc = (int)sp[0];
  g_argv = (char **)(sp + 1);
  g_envp = g_argv + argc + 1;
  char **e = g_envp;
  while (*e) e++;
  const char *execfn = 0;
  for (u64 *aux = (u64 *)(e + 1); aux[0]; aux += 2)
    if (aux[0] == 31 /* AT_EXECFN */) execfn = (const char *)aux[1];
  if (!execfn || argc < 1) {
    say("\033[31m✖ held: the Agent Guard shim cannot tell which program it stands for\033[0m\n");
    die(126);
  }

  /* The program's name and the shim folder, from the path the kernel ran (as shim.sh's $0). */
  static char self[4096], prog[256];
  size_t n = len(execfn), slash = n;
  while (slash > 0 && execfn[slash - 1] != '/') slash--;
  if (n - slash >= sizeof prog || slash >= sizeof self) {
    say("\033[31m✖ held: the Agent Guard shim's path is too long\033[0m\n");
    die(126);
  }
  memcpy(prog, execfn + slash, n - slash + 1);
  if (slash == 0) self[0] = '.', self[1] = 0;
  else memcpy(self, execfn, slash - 1), self[slash - 1] = 0;

  /* The real program: the first executable of that name on PATH past the shim folder. */
  const char *path = env(g_envp, "PATH");
  struct statx_ me;
  if (!stat_(execfn, &me)) memset(&me, 0, sizeof me); /* its link just replaced: no file has inode 0 */
  int found = 0;
  for (const char *d = path ? path : ""; *d && !found;) {
    const char *end = d;
    while (*end && *end != ':') end++;
    size_t dl = (size_t)(end - d), pl = len(prog);
    if (dl > 0 && dl + 1 + pl < sizeof g_real) {
      memcpy(g_real, d, dl);
      g_real[dl] = 0;
      if (!eq(g_real, self)) {
        g_real[dl] = '/';
        memcpy(g_real + dl + 1, prog, pl + 1);
        found = runnable(g_real, &me);
      }
    }
    d = *end ? end + 1 : end;
  }
  if (!found) {
    say(prog);
    say(": command not found\n");
    die(127);
  }
  /* The person's start-up files run unchecked until their shell's first prompt (see shim.sh). */
  const char *starting = env(g_envp, "AGENT_GUARD_STARTING");
  if (starting && *starting) run_real();

  /* Only the port registered in this gate's folder with this terminal's token is asked (see shim.sh). */
  const char *port = env(g_envp, "AGENT_GUARD_PORT"), *token = env(g_envp, "AGENT_GUARD_TOKEN");
  int port_ok = port && *port && len(port) <= 5;
  for (const char *p = port; port_ok && *p; p++) port_ok = *p >= '0' && *p <= '9';
  static char reg[8192], reg_token[4096], reg_policy[64], ports_file[8192 + 64];
  int window = 0, warn = 0;
  if (port_ok && token && *token) {
    /* home = the shim folder's parent, as shim.sh takes it: the text before the last slash. */
    size_t sl = len(self), h = sl;
    while (h > 0 && self[h - 1] != '/') h--;
    buf f = {ports_file, 0, sizeof ports_file};
    if (h == 0) puts_(&f, self);
    else put(&f, self, h - 1);
    puts_(&f, "/ports/");
    puts_(&f, port);
    putc_(&f, 0);
    if (slurp(ports_file, reg, sizeof reg) >= 0) {
      line_of(reg, 0, reg_token, sizeof reg_token);
      line_of(reg, 2, reg_policy, sizeof reg_policy);
      if (*reg_token && eq(reg_token, token)) {
        window = 1;
        warn = eq(reg_policy, "warn");
      }
    }
  }

  int verdict = UNREACHABLE;
  static char text_static[512];
  const char *text = "";
  char *line = 0;
  if (!window) {
    buf t = {text_static, 0, sizeof text_static - 1};
    puts_(&t, "this terminal's gate is not this editor window's (port ");
    const char *shown = port ? port : "unset";
    put(&t, shown, len(shown) > 32 ? 32 : len(shown));
    putc_(&t, ')');
    text_static[t.n] = 0;
    text = text_static;
  } else {
    long fd = sys3(SYS_socket, 2 /* AF_INET */, 1 | 02000000 /* SOCK_STREAM|SOCK_CLOEXEC */, 0);
    if (fd >= 0 && fd < 3) {
      /* Started with stderr (or stdin, stdout) closed: the connection would take its number, and what the shim says
       * on stderr would go to the gate. Moved above 2; the program still gets its descriptors as they were. */
      long high = sys3(SYS_fcntl, fd, 1030 /* F_DUPFD_CLOEXEC */, 3);
      sys3(SYS_close, fd, 0, 0);
      fd = high;
    }
    long p = 0;
    for (const char *c = port; *c; c++) p = p * 10 + (*c - '0');
    u8 addr[16] = {2, 0, (u8)(p >> 8), (u8)p, 127, 0, 0, 1};
    long c = fd < 0 ? fd : sys3(SYS_connect, fd, addr, 16);
    while (c == -EINTR) c = sys3(SYS_connect, fd, addr, 16);
    if (c == -EISCONN) c = 0; /* an interrupted connect finished meanwhile */
    if (p > 65535 || c == -ECONNREFUSED) {
      text = "no gate is listening";
    } else if (c != 0) {
      /* Only "nothing listens on the port" is an editor that has gone: a connection this process could not make
       * (out of descriptors, no loopback in a namespace of its own, a filter) says nothing about the gate, and the
       * registration's "warn" must not turn it into a command run unchecked. */
      static char why[96];
      buf t = {why, 0, sizeof why - 1};
      puts_(&t, "could not connect to the gate (error ");
      putu(&t, (u64)-c);
      puts_(&t, "); refused");
      why[t.n] = 0;
      verdict = DENY, text = why;
    } else {
      /* The working folder as the kernel has it (no symbolic link in it), never PWD: the engine resolves `..` and
       * relative names by their text and picks the folder's tier by it, and PWD is the script's to set. A PWD of
       * /elsewhere/link/.. (or /dev-folder/link-to-here) names this folder, yet read as text it is another one: the
       * engine looked for the files `tar -x` would replace there, found none, and allowed it. Without a path (a
       * folder deeper than a path can say, or out of reach) "." goes: the engine then reads no file, and asks. */
      static char cwd[4096];
      const char *pwd = sys3(SYS_getcwd, cwd, sizeof cwd, 0) > 0 && cwd[0] == '/' ? cwd : ".";
      /* A ticket as the gate issues them (hex), or none: the variable is the script's to set, and a space or newline
       * in it would end the request's first line early, with counts and a command of the script's choosing after. */
      const char *ticket = env(g_envp, "AGENT_GUARD_TICKET");
      int ticket_ok = ticket && *ticket && len(ticket) <= 64;
      for (const char *t = ticket; ticket_ok && *t; t++) ticket_ok = (*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f');
      if (!ticket_ok) ticket = "-";
      size_t cmd_cap = quoted_cap(prog);
      for (int i = 1; i < argc; i++) cmd_cap += 1 + quoted_cap(g_argv[i]);
      for (char **v = g_envp; *v; v++)
        if (carried(*v)) cmd_cap += len(*v) + 2 + quoted_cap(*v + carried(*v) + 1);
      size_t head_cap = 64 + len(token) + len(ticket) + len(pwd);
      char *mem = map(cmd_cap + head_cap + cmd_cap + LINE_MAX_ + 16);
      if (!mem) {
        say("\033[31m✖ held: the Agent Guard shim could not get memory for this command line\033[0m\n");
        die(126);
      }
      buf cmd = {mem, 0, cmd_cap};
      for (char **v = g_envp; *v; v++) {
        size_t n = carried(*v);
        if (!n) continue;
        put(&cmd, *v, n + 1);
        quote(&cmd, *v + n + 1);
        putc_(&cmd, ' ');
      }
      quote(&cmd, prog);
      for (int i = 1; i < argc; i++) putc_(&cmd, ' '), quote(&cmd, g_argv[i]);
      buf req = {mem + cmd_cap, 0, head_cap + cmd_cap};
      puts_(&req, "AG1 ");
      puts_(&req, token);
      puts_(&req, " exec ");
      putu(&req, (u64)sys3(SYS_getpid, 0, 0, 0));
      putc_(&req, ' ');
      puts_(&req, ticket);
      putc_(&req, ' ');
      putu(&req, len(pwd));
      putc_(&req, ' ');
      putu(&req, cmd.n);
      putc_(&req, '\n');
      puts_(&req, pwd);
      put(&req, cmd.p, cmd.n);
      int sent = 1;
      for (size_t off = 0; off < req.n;) {
        long w = sys6(SYS_sendto, fd, (long)(req.p + off), (long)(req.n - off), 0x4000 /* MSG_NOSIGNAL */, 0, 0);
        if (w == -EINTR || w == -EAGAIN) continue;
        if (w <= 0) {
          sent = 0;
          break;
        }
        off += (size_t)w;
      }
      /* Bounded waits, as shim.sh: the first answer comes at once; once the gate says a person is deciding, the wait
       * lasts as long as the approval box. A gate that stays silent or streams junk is refused, never waited on. */
      line = mem + cmd_cap + head_cap + cmd_cap;
      size_t have = 0;
      long bound = seconds(env(g_envp, "AGENT_GUARD_ANSWER_S"), 10), deadline = now_ms() + bound * 1000;
      int held = 0;
      /* As shim.sh, which a closed connection stops (SIGPIPE) before it reads an answer: not run. */
      if (!sent) verdict = DENY, text = "the gate closed the connection before the question was sent; refused";
      while (sent) {
        /* One line: up to its newline (kept out), NUL bytes dropped as bash's read drops them. */
        char *nl = 0;
        for (size_t i = 0; i < have; i++)
          if (line[i] == '\n') {
            nl = line + i;
            break;
          }
        if (!nl) {
          if (have >= LINE_MAX_) {
            verdict = DENY;
            text = "the gate answered with something that is not an answer; refused";
            break;
          }
          long left = deadline - now_ms();
          long ready = 0;
          if (left > 0) {
            struct {
              int fd;
              short events, revents;
            } pfd = {(int)fd, 1 /* POLLIN */, 0};
            long ts[2] = {left / 1000, (left % 1000) * 1000000};
            ready = sys6(SYS_ppoll, (long)&pfd, 1, (long)ts, 0, 8, 0);
            if (ready == -EINTR) continue;
          }
          if (ready <= 0) {
            verdict = DENY;
            static char late[160];
            buf t = {late, 0, sizeof late - 1};
            puts_(&t, "no answer from Agent Guard in VS Code within ");
            putu(&t, (u64)bound);
            puts_(&t, " s; refused (a stuck or false gate is never waited on forever)");
            late[t.n] = 0;
            text = late;
            break;
          }
          long r = sys3(SYS_read, fd, line + have, LINE_MAX_ - have);
          if (r == -EINTR || r == -EAGAIN) continue;
          if (r <= 0) {
            /* Closed without a whole answer: unreachable, as shim.sh's read returning 1; but once the gate has said
             * the command is held (a person deciding), a gate that goes away has not allowed it: refused. */
            if (held) verdict = DENY, text = "the gate closed the connection while the command was held; refused";
            break;
          }
          size_t kept = have;
          for (size_t i = have; i < have + (size_t)r; i++)
            if (line[i] != 0) line[kept++] = line[i];
          have = kept;
          continue;
        }
        *nl = 0;
        size_t used = (size_t)(nl - line) + 1;
        char *word_end = line;
        while (*word_end && *word_end != ' ') word_end++;
        size_t wl = (size_t)(word_end - line);
        if (wl == 4 && line[0] == 'w' && line[1] == 'a' && line[2] == 'i' && line[3] == 't') {
          const char *shown = *word_end ? word_end + 1 : line; /* ${line#wait } */
          say("\n\033[33m■ ");
          say(shown);
          say("\033[0m\n");
          if (!held) bound = seconds(env(g_envp, "AGENT_GUARD_APPROVAL_S"), 180), deadline = now_ms() + bound * 1000;
          held = 1;
          for (size_t i = used; i < have; i++) line[i - used] = line[i];
          have -= used;
          continue;
        }
        if ((wl == 5 && eq_n(line, "allow", 5)) || (wl == 4 && eq_n(line, "deny", 4))) {
          verdict = wl == 5 ? ALLOW : DENY;
          /* ${line#* } twice: past the verdict, then past the ticket. */
          char *t = line;
          for (int k = 0; k < 2; k++) {
            char *s = t;
            while (*s && *s != ' ') s++;
            if (*s) t = s + 1;
          }
          text = t;
          break;
        }
        verdict = DENY;
        text = "the gate answered with something that is not an answer; refused";
        break;
      }
    }
    if (fd >= 0) sys3(SYS_close, fd, 0, 0);
  }
  if (verdict == ALLOW) run_real();
  if (verdict == DENY) {
    say("\033[31m✖ Agent Guard: ");
    say(text);
    say("\033[0m\n");
    die(126);
  }
  /* Unreachable: run anyway only where this window's registration says so (development), with a warning. */
  const char *tier = env(g_envp, "AGENT_GUARD_TIER");
  if (!tier) tier = "unknown";
  if (warn) {
    say("\033[33m⚠ Agent Guard is not reachable from this terminal");
    if (*text) say(" ("), say(text), say(")");
    say("; running unchecked (");
    say(tier);
    say(" workspace).\033[0m\n");
    run_real();
  }
  say("\033[31m✖ held: Agent Guard is not reachable from this terminal");
  if (*text) say(" ("), say(text), say(")");
  say(", so the command is held (");
  say(tier);
  say(" workspace). Open a new terminal in VS Code.\033[0m\n");
  die(126);
}
