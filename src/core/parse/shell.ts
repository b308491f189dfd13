// Shell text -> simple commands, the way bash reads it: quotes, escapes, operators, newlines, comments,
// heredocs, $(…), backticks, ${…}, process substitution. shell-quote's parser is not used for this because it
// reads newlines as spaces, `a#b` as a comment, ignores backticks and silently accepts unbalanced quotes —
// each of which would let a command hide from the gate.

import { Lexer } from './shellLexer';

export interface Word {
  /** The value after quote removal; expansions ($x, $(…), globs) stay as written. */
  text: string;
  /** The source text. */
  raw: string;
  /** Contains an expansion whose value is only known at run time ($x, $(…), `…`, a glob). */
  dynamic: boolean;
  /** Had quotes or backslashes. */
  quoted: boolean;
}

export interface Redirect {
  op: string;
  fd?: string;
  target?: Word;
  /** Body of a heredoc (<<) or the word of a here-string (<<<). */
  body?: string;
}

export interface SimpleCommand {
  assignments: Word[];
  words: Word[];
  redirects: Redirect[];
  /** The command's own source text. */
  text: string;
  /** The command before this one in a pipeline (`a | b`: b.pipeFrom = a). */
  pipeFrom?: SimpleCommand;
}

export interface ParsedScript {
  commands: SimpleCommand[];
  /** Scripts found inside $(…), `…` and <(…), still to be parsed. */
  nested: string[];
  /** Why the text could not be fully understood; empty when it could. */
  errors: string[];
}

const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const RESERVED_AT_START = new Set(['!', '{', '}', 'then', 'else', 'elif', 'fi', 'do', 'done', 'if', 'while', 'until', 'esac', 'time']);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** Parses shell text into simple commands; never throws. */
export function parseShell(src: string): ParsedScript {
  const errors: string[] = [];
  if (CONTROL_CHARS.test(src)) errors.push('contains control or binary bytes');
  const lexer = new Lexer(src);
  lexer.run();
  errors.push(...lexer.errors);

  const commands: SimpleCommand[] = [];
  let current: SimpleCommand | null = null;
  let startPos = 0;
  let endPos = 0;
  let pipeFrom: SimpleCommand | undefined;
  // `for x in a b; do` and `case w in` heads are not commands; skip their words up to the separator.
  let skipUntilSeparator = false;
  let inCase = 0;

  const finish = (): SimpleCommand | null => {
    const c = current;
    if (c && (c.words.length || c.assignments.length || c.redirects.length)) {
      c.text = src.slice(startPos, endPos).trim();
      if (pipeFrom) c.pipeFrom = pipeFrom;
      commands.push(c);
    }
    current = null;
    pipeFrom = undefined;
    return c && commands[commands.length - 1] === c ? c : null;
  };

  const toks = lexer.tokens;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'op') {
      if (t.op === '|' || t.op === '|&') {
        const c = finish();
        pipeFrom = c ?? undefined;
      } else {
        finish();
      }
      if (t.op !== '|' && t.op !== '|&' && t.op !== '(' ) skipUntilSeparator = false;
      continue;
    }
    if (skipUntilSeparator) continue;
    if (!current) {
      if (t.kind === 'word' && !t.word.quoted) {
        const w = t.word.text;
        if (RESERVED_AT_START.has(w) || (w === 'function' && toks[i + 1]?.kind === 'word')) {
          if (w === 'function') i++;
          if (w === 'time' && toks[i + 1]?.kind === 'word' && (toks[i + 1] as { word: Word }).word.text === '-p') i++;
          continue;
        }
        if (w === '[[') {
          // A conditional expression runs no command (its $(…) are parsed as nested scripts already).
          while (i + 1 < toks.length && !(toks[i].kind === 'word' && (toks[i] as { word: Word }).word.text === ']]')) i++;
          continue;
        }
        if (w === 'for' || w === 'select') {
          // `for NAME in a b` sets NAME to each word in turn, and leaves it set to the last: judged as `NAME=a`,
          // `NAME=b` (`for PROMPT_COMMAND in 'rm -rf data'` is an assignment like any other).
          const name = toks[i + 1];
          const kw = toks[i + 2];
          if (name?.kind === 'word' && !name.word.quoted && /^[A-Za-z_]\w*$/.test(name.word.text) && kw?.kind === 'word' && kw.word.text === 'in') {
            for (let j = i + 3; j < toks.length; j++) {
              const v = toks[j];
              if (v.kind !== 'word') break;
              const word: Word = { text: `${name.word.text}=${v.word.text}`, raw: `${name.word.text}=${v.word.raw}`, dynamic: v.word.dynamic, quoted: v.word.quoted };
              commands.push({ assignments: [word], words: [], redirects: [], text: src.slice(t.start, v.end).trim() });
            }
          }
          skipUntilSeparator = true;
          continue;
        }
        if (w === 'case') {
          inCase++;
          skipUntilSeparator = true;
          // `case x in` ends at `in`, not at a separator.
          while (i + 1 < toks.length && !(toks[i + 1].kind === 'word' && (toks[i + 1] as { word: Word }).word.text === 'in')) i++;
          i++;
          skipUntilSeparator = false;
          continue;
        }
        if (w === 'esac') {
          inCase = Math.max(0, inCase - 1);
          continue;
        }
        // A case pattern: `pat)` or `pat|pat)`.
        if (inCase > 0) {
          let j = i + 1;
          while (j + 1 < toks.length && toks[j].kind === 'op' && (toks[j] as { op: string }).op === '|' && toks[j + 1].kind === 'word') j += 2;
          if (toks[j]?.kind === 'op' && (toks[j] as { op: string }).op === ')') {
            i = j;
            continue;
          }
        }
        // `name() { … }`: a function definition; its body's commands follow.
        if (toks[i + 1]?.kind === 'op' && (toks[i + 1] as { op: string }).op === '(' && toks[i + 2]?.kind === 'op' && (toks[i + 2] as { op: string }).op === ')') {
          i += 2;
          continue;
        }
      }
      current = { assignments: [], words: [], redirects: [], text: '' };
      startPos = t.start;
    }
    endPos = t.end;
    if (t.kind === 'redir') {
      const next = toks[i + 1];
      if (next && next.kind === 'word') {
        t.redirect.target = next.word;
        endPos = next.end;
        i++;
      }
      if (t.redirect.op === '<<<' && t.redirect.target) t.redirect.body = t.redirect.target.text;
      current.redirects.push(t.redirect);
      continue;
    }
    if (current.words.length === 0 && ASSIGNMENT.test(t.word.text) && !t.word.raw.startsWith('"') && !t.word.raw.startsWith("'")) {
      current.assignments.push(t.word);
      continue;
    }
    current.words.push(t.word);
  }
  finish();
  return { commands, nested: lexer.nested, errors };
}
