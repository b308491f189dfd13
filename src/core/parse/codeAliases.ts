// The names inline code gives modules and functions on import, so a call through an alias is read as the call itself.

import type { Language, Token } from './codeTokens';

/** Names the code gives modules and functions: `import os as o`, `from os import remove as r`, `const f = require('fs')`. */
export interface Aliases {
  modules: Map<string, string>;
  names: Map<string, { module: string; name: string }>;
}

export function importAliases(tokens: Token[], lang: Language): Aliases {
  const modules = new Map<string, string>();
  const names = new Map<string, { module: string; name: string }>();
  const dotted = (k: number): { text: string; end: number } => {
    let text = tokens[k]?.kind === 'name' ? tokens[k].text : '';
    let end = k + 1;
    while (tokens[end]?.text === '.' && tokens[end + 1]?.kind === 'name') {
      text += '.' + tokens[end + 1].text;
      end += 2;
    }
    return { text, end };
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'name') continue;
    if (lang === 'python' && t.text === 'import' && tokens[k - 1]?.kind !== 'name') {
      // import a.b as c, d as e
      let j = k + 1;
      while (j < tokens.length) {
        const m = dotted(j);
        if (!m.text) break;
        j = m.end;
        if (tokens[j]?.text === 'as' && tokens[j + 1]?.kind === 'name') {
          modules.set(tokens[j + 1].text, m.text);
          j += 2;
        }
        if (tokens[j]?.text !== ',') break;
        j++;
      }
    } else if (lang === 'python' && t.text === 'from') {
      // from a.b import c as d, e
      const m = dotted(k + 1);
      if (!m.text || tokens[m.end]?.text !== 'import') continue;
      let j = m.end + 1;
      if (tokens[j]?.text === '(') j++;
      while (tokens[j]?.kind === 'name') {
        const name = tokens[j].text;
        const alias = tokens[j + 1]?.text === 'as' && tokens[j + 2]?.kind === 'name' ? tokens[j + 2].text : name;
        names.set(alias, { module: m.text, name });
        j += alias === name ? 1 : 3;
        if (tokens[j]?.text !== ',') break;
        j++;
      }
    } else if (lang === 'js' && (t.text === 'const' || t.text === 'let' || t.text === 'var' || t.text === 'import')) {
      // const f = require('fs'); const {rmSync: r} = require('fs'); import f from 'fs'; import * as f from 'fs'
      let j = k + 1;
      if (tokens[j]?.text === '*' && tokens[j + 1]?.text === 'as') j += 2;
      const single = tokens[j]?.kind === 'name' ? tokens[j].text : undefined;
      const bound: [string, string][] = [];
      let end = j + 1;
      if (!single && tokens[j]?.text === '{') {
        for (end = j + 1; end < tokens.length && tokens[end].text !== '}'; end++) {
          if (tokens[end].kind !== 'name') continue;
          const renamed = tokens[end + 1]?.text === ':' || (tokens[end + 1]?.text === 'as');
          if (renamed && tokens[end + 2]?.kind === 'name') {
            bound.push([tokens[end + 2].text, tokens[end].text]);
            end += 2;
          } else bound.push([tokens[end].text, tokens[end].text]);
        }
        end++;
      }
      const from = tokens[end]?.text === '=' && tokens[end + 1]?.text === 'require' && tokens[end + 2]?.text === '(' ? tokens[end + 3] : tokens[end]?.text === 'from' ? tokens[end + 1] : undefined;
      if (from?.kind !== 'string' || from.dynamic) continue;
      const module = from.text.replace(/^node:/, '');
      if (single) modules.set(single, module);
      for (const [alias, name] of bound) names.set(alias, { module, name });
    }
  }
  return { modules, names };
}
