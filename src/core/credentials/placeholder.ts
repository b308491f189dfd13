// Values that stand for a credential without being one: `your-token-here`, `${RAILWAY_TOKEN}`, `<token>`,
// `xxxx`, the nil UUID, AWS's documented EXAMPLE keys. Detectors keyed by a variable name drop these.

const REFERENCE_STARTS = ['$', '%', '<', '{{', '#{', 'process.env', 'os.environ', 'env(', 'ENV[', 'secrets.', 'vars.', '!Ref', '!Sub', 'op://', 'vault:', 'ssm:', 'arn:'];
const STAND_IN_WORDS = ['example', 'placeholder', 'your', 'changeme', 'change-me', 'change_me', 'replace', 'insert', 'dummy', 'fake', 'sample', 'redacted', 'xxxx', '****', '....', 'todo', 'fixme', 'secret-here', 'token-here', 'key-here'];
const SEQUENCES = ['0123456789', '123456789', 'abcdefghij', 'qwertyuiop'];
/** Fewer distinct characters than this in a value of 8 or more is a pattern, not a secret. */
const MIN_DISTINCT = 6;

/** True when `value` is a stand-in, a reference to another variable, or too regular to be a secret. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (REFERENCE_STARTS.some((s) => v.startsWith(s)) || v.includes('${')) return true;
  const lower = v.toLowerCase();
  if (STAND_IN_WORDS.some((w) => lower.includes(w))) return true;
  if (SEQUENCES.some((s) => lower.includes(s))) return true;
  // Words and separators only (`railway-token`, `none`, `disabled`): real tokens carry digits or mixed case.
  if (/^[a-z]+(?:[-_. ][a-z]+)*$/.test(v)) return true;
  if (v.length >= 8 && new Set(v.replace(/[-_.]/g, '')).size < MIN_DISTINCT) return true;
  return false;
}
