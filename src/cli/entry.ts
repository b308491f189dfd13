// The command-line tool's entry (dist/cli.js), which agents' hooks start for every tool call: checks Node, then loads
// the tool (dist/cli-main.js) with V8's code cache in the state folder, so a hook does not compile the whole bundle
// each time (about 40 % of loading it).
import { join } from 'node:path';
import { stateDir } from '../core/paths';
import { loadWithCodeCache } from '../gate/codeCache';
import { nodeTooOld } from './nodeVersion';

type Main = typeof import('./main');

const tooOld = nodeTooOld();
if (tooOld) {
  process.stderr.write(tooOld);
  process.exitCode = 70;
} else {
  const loaded = loadWithCodeCache<Main>(join(__dirname, 'cli-main.js'), join(stateDir(), 'code-cache'));
  // Written when the first run ends (process.exit included), with the functions that run compiled.
  if (loaded.cache !== 'used') process.once('exit', () => loaded.save());
  loaded.exports.main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
