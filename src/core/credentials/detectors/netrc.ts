// Passwords in .netrc files. The Heroku CLI keeps its API key there (machine api.heroku.com), git keeps GitHub
// tokens there; no library rule reads the format.

import { isPlaceholder } from '../placeholder';
import { baseName, Detection, Detector } from './detector';

const MACHINES: Readonly<Record<string, readonly [string, string]>> = {
  'api.heroku.com': ['heroku', 'api-key'],
  'git.heroku.com': ['heroku', 'api-key'],
  'github.com': ['github', 'token'],
  'api.github.com': ['github', 'token'],
};

export const netrc: Detector = {
  id: 'netrc',
  summary: 'Passwords in .netrc files, by the machine they log in to.',
  triggers: ['password'],
  appliesTo: (file) => baseName(file) === '.netrc' || baseName(file) === '_netrc',
  detect(text) {
    const out: Detection[] = [];
    const tokens = [...text.matchAll(/\S+/g)];
    let machine = '';
    for (let i = 0; i < tokens.length; i++) {
      const word = tokens[i][0];
      if (word === 'macdef') {
        // A macro body runs to the next blank line; its words are not netrc tokens.
        const blank = text.indexOf('\n\n', tokens[i].index!);
        while (blank !== -1 && i + 1 < tokens.length && tokens[i + 1].index! < blank) i++;
      } else if (word === 'machine' && i + 1 < tokens.length) {
        machine = tokens[++i][0];
      } else if (word === 'default') {
        machine = 'default';
      } else if (word === 'password' && i + 1 < tokens.length) {
        const value = tokens[++i];
        if (isPlaceholder(value[0])) continue;
        const [provider, kind] = MACHINES[machine] ?? ['netrc', 'password'];
        out.push({ provider, kind, start: value.index!, end: value.index! + value[0].length, facts: { machine } });
      }
    }
    return out;
  },
};
