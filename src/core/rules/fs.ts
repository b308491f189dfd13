// Filesystem: recursive deletes, find -delete, rsync --delete, truncate, shred, dd, mkfs, chmod -R on system paths.

import type { Invocation } from '../parse/invocation';
import { isWindowsCatastrophicPath } from '../winpaths';
import { defineRule, joinResources, standIn } from './rule';
import { own } from '../own';

// Files emptied or written over live in their own file, in this family.
export * from './fsWrites';

/** Folders that tools regenerate; deleting them loses nothing. */
const REGENERABLE = new Set([
  'node_modules', 'dist', 'build', 'out', '.next', '.nuxt', '.svelte-kit', '.turbo', '.parcel-cache', '.cache',
  'coverage', '.nyc_output', 'target', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox',
  '.venv', 'venv', '.gradle', '.angular', '.expo', 'storybook-static', 'tmp', '.tmp', '.eslintcache',
  '.vite', '.vitest', '.docusaurus', '.serverless', '.terraform', 'bin', 'obj', '.dart_tool', 'DerivedData',
]);

const SYSTEM_DIRS = /^\/(bin|boot|dev|etc|home|lib|lib32|lib64|libx32|opt|proc|root|run|sbin|srv|sys|usr|var|Applications|Library|System|Users|Volumes|private)$/;
/** One level below these is still the machine or a person's home: /usr/local, /home/ana. */
const SYSTEM_PARENTS = /^\/(usr|home|Users|System|Library|etc|boot)\/[^/]+$/;

/** The whole machine, a home folder or a system folder: the worst thing rm -rf can be pointed at. */
export function isCatastrophicPath(p: string): boolean {
  if (p === '') return false;
  const t = p.replace(/\/+$/, '') || '/';
  if (t === '/' || t === '/*' || t === '~' || t === '~/*' || t === '$HOME' || t === '${HOME}' || t === '$HOME/*' || t === '${HOME}/*') return true;
  if (/^[A-Za-z]:(\\|\/)?\*?$/.test(t)) return true;
  if (/^~[A-Za-z0-9_-]*$/.test(t)) return true;
  return SYSTEM_DIRS.test(t) || SYSTEM_PARENTS.test(t) || isWindowsCatastrophicPath(p);
}

/** A path whose last part is a folder that tools regenerate, with no way to climb out of it. */
export function isRegenerable(path: string): boolean {
  // Windows separators too: .\node_modules, build\.
  const p = path.replace(/\\/g, '/');
  if (p.includes('..') || p.includes('$') || p.includes('`') || /[*?[]/.test(p.replace(/\/\*$/, ''))) return false;
  const parts = p.replace(/\/\*?$/, '').split('/').filter((x) => x && x !== '.');
  if (!parts.length) return false;
  if (p.startsWith('/tmp/') || p.startsWith('/var/tmp/')) return true;
  return REGENERABLE.has(parts[parts.length - 1]);
}

/** Paths a command deletes, or stand-ins when they arrive on stdin or from find. */
function deleteTargets(inv: Invocation, paths: string[]): string[] {
  const concrete = paths.filter((p) => p !== '{}' && p !== '');
  if (concrete.length) return concrete;
  const root = inv.parent?.program === 'find' ? findRoots(inv.parent) : inv.parent?.pipeFrom?.program === 'find' ? findRoots(inv.parent.pipeFrom) : [];
  if (root.length) return root;
  return [inv.argsFromStdin ? `${inv.program} (paths from stdin)` : standIn(inv)];
}

const FIND_VALUE_OPTIONS = ['-D', '-O'];

/** The starting points of a find command. */
export function findRoots(inv: Invocation): string[] {
  const roots: string[] = [];
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (FIND_VALUE_OPTIONS.includes(a)) {
      i++;
      continue;
    }
    if (a === '-H' || a === '-L' || a === '-P') continue;
    if (a.startsWith('-') || a === '(' || a === '!') break;
    roots.push(a);
  }
  return roots.length ? roots : ['.'];
}

export const recursiveDelete = defineRule({
  id: 'fs.recursive-delete',
  severity: 'destructive',
  summary: 'Deletes a folder and everything in it, with no trash to restore from',
  programs: ['rm'],
  match(inv) {
    const a = inv.parsed();
    if (!a.has('-r', '-R', '--recursive')) return null;
    const paths = [...a.positionals, ...a.rest];
    if (paths.length && paths.every(isRegenerable)) return null;
    const targets = deleteTargets(inv, paths);
    const worst = paths.some(isCatastrophicPath);
    return { resource: joinResources(targets), ...(worst ? { severity: 'catastrophic' as const } : {}) };
  },
  examples: {
    gated: [
      ['rm -rf data', 'data'],
      ['rm data -rf', 'data'],
      ['rm -r -f ./uploads', './uploads'],
      ['rm --recursive --force "$BACKUP_DIR"', '$BACKUP_DIR'],
      ['sudo rm -fr /var/lib/postgresql', '/var/lib/postgresql'],
      ['\\rm -rf src', 'src'],
      ["r''m -rf src", 'src'],
      ['find /srv/logs -name "*.gz" -exec rm -rf {} \\;', '/srv/logs'],
      ['rm -rf /', '/'],
      ['rm -rf ~', '~'],
      ['bash -c "rm -rf migrations"', 'migrations'],
      // Programs that run a command elsewhere: a tmux pane, once per input, per connection, cmake's file commands.
      ["tmux new-session -d 'rm -rf data'", 'data'],
      ['tmux new -d \\; run-shell "rm -rf data"', 'data'],
      ['parallel rm -rf ::: data', 'data'],
      ["socat - SYSTEM:'rm -rf data',pty", 'data'],
      ['cmake -E remove_directory data', 'data'],
      ['sshpass -p pw bwrap --bind / / rm -rf data', 'data'],
      [`lua -e 'os.execute("rm -rf data")'`, 'data'],
      [`Rscript -e 'unlink("data", recursive = TRUE)'`, 'data'],
    ],
    allowed: ['rm -rf node_modules', 'rm -rf dist build', 'rm file.txt', 'rm --help', 'echo "rm -rf /"', 'rm -rf /tmp/agent-scratch', "tmux new -d 'npm run dev'", 'parallel gzip ::: a.log b.log', 'cmake -E rm -rf build', `lua -e 'print("hi")'`],
  },
});

export const deleteFiles = defineRule({
  id: 'fs.delete',
  severity: 'risky',
  summary: 'Deletes files without a trash to restore from',
  programs: ['rm', 'unlink'],
  match(inv) {
    const a = inv.parsed();
    if (a.has('-r', '-R', '--recursive', '--help', '--version')) return null;
    const paths = [...a.positionals, ...a.rest];
    if (!paths.length && !inv.argsFromStdin) return null;
    if (paths.length && paths.every(isRegenerable)) return null;
    return { resource: joinResources(deleteTargets(inv, paths)) };
  },
  examples: {
    gated: [
      ['rm prod.db', 'prod.db'],
      ['rm -f .env.production', '.env.production'],
      ['unlink config/master.key', 'config/master.key'],
      ['find . -name "*.sqlite" | xargs rm', '.'],
    ],
    allowed: ['rm -rf build', 'rm --version', 'rm', 'rm /tmp/out.txt'],
  },
});

/** Desktop file tools: `gio remove|trash`, the gvfs and trash-cli commands, `kioclient remove`. */
const DESKTOP_DELETES: Record<string, { subcommands?: string[]; values?: string[] }> = {
  gio: { subcommands: ['remove', 'rm', 'trash'] },
  'gvfs-rm': {},
  'gvfs-trash': {},
  'trash-put': {},
  trash: {},
  'trash-rm': {},
  trash_rm: {},
  rmtrash: {},
  kioclient: { subcommands: ['remove', 'rm'] },
  kioclient5: { subcommands: ['remove', 'rm'] },
  kioclient6: { subcommands: ['remove', 'rm'] },
};

export const desktopDelete = defineRule({
  id: 'fs.desktop-delete',
  severity: 'risky',
  summary: 'Deletes files or moves them to the desktop trash, out of the project and its history',
  programs: Object.keys(DESKTOP_DELETES),
  match(inv) {
    const spec = own(DESKTOP_DELETES, inv.program);
    if (!spec) return null;
    const a = inv.parsed({ values: ['--trash-dir'] });
    let paths = [...a.positionals, ...a.rest];
    if (spec.subcommands) {
      if (!spec.subcommands.includes(paths[0] ?? '')) return null;
      paths = paths.slice(1);
    }
    if (a.has('--help', '-h', '--version', '--list', '--empty', '--restore') || !paths.length) return null;
    if (paths.every(isRegenerable)) return null;
    return { resource: joinResources(paths), ...(paths.some(isCatastrophicPath) ? { severity: 'catastrophic' as const } : {}) };
  },
  examples: {
    gated: [
      ['gio remove data/orders.db', 'data/orders.db'],
      ['gio trash -f uploads', 'uploads'],
      ['gvfs-rm notes.txt', 'notes.txt'],
      ['trash-put data', 'data'],
      ['kioclient5 remove file:///srv/app/data', 'file:///srv/app/data'],
    ],
    allowed: ['gio info data', 'gio list .', 'gio trash --list', 'trash-put node_modules', 'gio mount -l'],
  },
});

export const findDelete = defineRule({
  id: 'fs.find-delete',
  severity: 'destructive',
  summary: 'Deletes every file that find matches',
  programs: ['find'],
  match(inv) {
    if (!inv.args.includes('-delete')) return null;
    const roots = findRoots(inv);
    if (roots.every(isRegenerable)) return null;
    return { resource: joinResources(roots), ...(roots.some(isCatastrophicPath) ? { severity: 'catastrophic' as const } : {}) };
  },
  examples: {
    gated: [
      ['find . -name "*.log" -delete', '.'],
      ['find /var/backups -mtime +1 -delete', '/var/backups'],
    ],
    allowed: ['find . -name "*.log"', 'find node_modules -name "*.map" -delete', 'find . -type f -print'],
  },
});

export const rsyncDelete = defineRule({
  id: 'fs.rsync-delete',
  severity: 'destructive',
  summary: 'Makes the destination match the source by deleting files that only exist in the destination',
  programs: ['rsync'],
  match(inv) {
    const a = inv.parsed({ values: ['-e', '--rsh', '--exclude', '--include', '--filter', '-f', '--exclude-from', '--include-from', '--files-from', '--password-file', '--port', '--chmod', '--chown', '--backup-dir', '--suffix', '--log-file', '--partial-dir', '--temp-dir', '-T', '--timeout', '--bwlimit', '--max-size', '--min-size'] });
    const deleting = a.names().some((n) => n.startsWith('--delete') || n === '--remove-source-files' || n === '--del');
    if (!deleting) return null;
    const dest = a.positionals[a.positionals.length - 1];
    return { resource: dest ?? standIn(inv) };
  },
  examples: {
    gated: [
      ['rsync -av --delete ./site/ deploy@web:/var/www/html', 'deploy@web:/var/www/html'],
      ['rsync -a --delete-after src/ backup/', 'backup/'],
    ],
    allowed: ['rsync -av ./site/ deploy@web:/var/www/html', 'rsync --dry-run -a a/ b/'],
  },
});

const FALLOCATE_ARGS = { values: ['-o', '--offset', '-l', '--length'] };

export const truncateFile = defineRule({
  id: 'fs.truncate',
  severity: 'destructive',
  summary: 'Cuts a file to a new size, or punches, zeroes or collapses a range of it, losing what was there',
  programs: ['truncate', 'fallocate'],
  match(inv) {
    if (inv.program === 'fallocate') {
      const f = inv.parsed(FALLOCATE_ARGS);
      // -d (--dig-holes) only frees blocks that are already zeros; -p, -z and -c lose bytes.
      if (!f.has('-p', '--punch-hole', '-z', '--zero-range', '-c', '--collapse-range') || !f.positionals.length) return null;
      return { resource: joinResources(f.positionals) };
    }
    const a = inv.parsed({ values: ['-s', '--size', '-r', '--reference'] });
    if (!a.positionals.length) return null;
    return { resource: joinResources(a.positionals) };
  },
  examples: {
    gated: [['truncate -s 0 data/orders.db', 'data/orders.db'], ['fallocate -p -o 0 -l 5 data/orders.db', 'data/orders.db'], ['fallocate --collapse-range --offset 0 --length 4096 app.db', 'app.db'], ['fallocate -z -l 1M app.db', 'app.db']],
    allowed: ['truncate --help', 'fallocate -l 1G swapfile', 'fallocate -d app.db'],
  },
});

export const shred = defineRule({
  id: 'fs.shred',
  severity: 'destructive',
  summary: 'Overwrites files so they can never be recovered',
  programs: ['shred', 'srm', 'wipe'],
  match(inv) {
    const a = inv.parsed({ values: ['-n', '--iterations', '-s', '--size', '--random-source'] });
    if (!a.positionals.length) return null;
    return { resource: joinResources(a.positionals), ...(a.positionals.some((p) => p.startsWith('/dev/')) ? { severity: 'catastrophic' as const } : {}) };
  },
  examples: { gated: [['shred -u secrets.json', 'secrets.json'], ['shred /dev/sda', '/dev/sda']], allowed: ['shred --help'] },
});

export const ddDevice = defineRule({
  id: 'fs.dd-device',
  severity: 'catastrophic',
  summary: 'Writes raw bytes over a disk or partition',
  programs: ['dd'],
  match(inv) {
    const of = inv.args.find((a) => a.startsWith('of='));
    if (!of) return null;
    const target = of.slice(3);
    if (!target.startsWith('/dev/') || /^\/dev\/(null|zero|stdout|stderr|tty)$/.test(target)) return null;
    return { resource: target };
  },
  examples: { gated: [['dd if=/dev/zero of=/dev/sda bs=1M', '/dev/sda']], allowed: ['dd if=/dev/zero of=test.img bs=1M count=10', 'dd if=disk.img of=/dev/null'] },
});

export const makeFilesystem = defineRule({
  id: 'fs.mkfs',
  severity: 'catastrophic',
  summary: 'Formats a disk or partition, erasing everything on it',
  programs: ['mkfs', 'mkfs.ext4', 'mkfs.ext3', 'mkfs.ext2', 'mkfs.xfs', 'mkfs.btrfs', 'mkfs.vfat', 'mkfs.fat', 'mkfs.ntfs', 'mke2fs', 'wipefs', 'mkswap', 'fdisk', 'sfdisk', 'parted', 'sgdisk'],
  match(inv) {
    const a = inv.parsed({ values: ['-t', '-L', '-b', '-c', '-n', '-o', '-O', '-E', '-T', '-U'] });
    if (a.has('--help', '-V', '--version', '-l', '--list') || inv.args.length === 0) return null;
    const dev = a.positionals.find((p) => p.startsWith('/dev/')) ?? a.positionals[0];
    return dev ? { resource: dev } : null;
  },
  examples: { gated: [['mkfs.ext4 /dev/sdb1', '/dev/sdb1'], ['wipefs -a /dev/nvme0n1', '/dev/nvme0n1']], allowed: ['mkfs --help', 'fdisk -l'] },
});

export const recursivePermissions = defineRule({
  id: 'fs.recursive-permissions',
  severity: 'destructive',
  summary: 'Changes owner or permissions of a whole system or home folder, which can break the machine',
  programs: ['chmod', 'chown', 'chgrp'],
  match(inv) {
    const a = inv.parsed({ values: ['--reference', '--from'] });
    if (!a.has('-R', '--recursive')) return null;
    const paths = a.positionals.slice(1);
    const hit = paths.filter(isCatastrophicPath);
    return hit.length ? { resource: joinResources(hit), severity: 'catastrophic' as const } : null;
  },
  examples: { gated: [['sudo chmod -R 777 /', '/'], ['chown -R nobody /etc', '/etc']], allowed: ['chmod -R u+w ./src', 'chmod +x /usr/local/bin/tool'] },
});

export const moveToNull = defineRule({
  id: 'fs.move-to-null',
  severity: 'destructive',
  summary: 'Moves files into /dev/null, which destroys them',
  programs: ['mv'],
  match(inv) {
    const a = inv.parsed({ values: ['-t', '--target-directory', '-S', '--suffix'] });
    const dest = a.value('-t', '--target-directory') ?? a.positionals[a.positionals.length - 1];
    if (dest !== '/dev/null') return null;
    const sources = a.value('-t', '--target-directory') ? a.positionals : a.positionals.slice(0, -1);
    return { resource: joinResources(sources.length ? sources : [standIn(inv)]) };
  },
  examples: { gated: [['mv data.db /dev/null', 'data.db']], allowed: ['mv a.txt b.txt'] },
});

export const deviceRedirect = defineRule({
  id: 'fs.device-overwrite',
  severity: 'catastrophic',
  summary: 'Redirects output onto a disk device, overwriting it',
  programs: ['*'],
  match(inv) {
    const r = inv.redirects.find((x) => /^(>|>>|>\||&>|&>>)$/.test(x.op) && /^\/dev\/(sd[a-z]|nvme|hd[a-z]|vd[a-z]|xvd[a-z]|disk|mmcblk|md\d|dm-|mapper\/)/.test(x.target?.text ?? ''));
    return r ? { resource: r.target!.text } : null;
  },
  examples: { gated: [['cat image.iso > /dev/sdb', '/dev/sdb'], ['echo x > /dev/nvme0n1', '/dev/nvme0n1']], allowed: ['echo hi > /dev/null', 'ls > files.txt'] },
});

export const archiveRemovesInputs = defineRule({
  id: 'fs.archive-remove',
  severity: 'risky',
  summary: 'Packs files into an archive and deletes the originals',
  programs: ['tar', 'bsdtar', 'zip', '7z', '7za', '7zz', 'rar'],
  match(inv) {
    const a = inv.parsed({ values: ['-f', '--file', '-C', '--directory', '-T', '--files-from', '-X', '--exclude-from'] });
    const p = inv.program;
    const removes =
      p === 'tar' || p === 'bsdtar' ? a.has('--remove-files')
      : p === 'zip' ? a.has('-m', '--move') || inv.args.some((x) => /^-[A-Za-z]*m[A-Za-z]*$/.test(x) && !x.startsWith('--'))
      : p === 'rar' ? inv.args[0] === 'm' || inv.args.some((x) => /^-df$/.test(x))
      : inv.args.includes('-sdel');
    if (!removes) return null;
    const files = a.positionals.filter((x) => !/\.(zip|7z|rar|tar|tgz|tar\.(gz|bz2|xz|zst))$/.test(x) && !(p === 'rar' && x === 'm') && !(p.startsWith('7z') && x === 'a'));
    return { resource: joinResources(files.length ? files : [standIn(inv)]) };
  },
  examples: {
    gated: [
      ['tar --remove-files -czf backup.tgz data', 'data'],
      ['zip -m archive.zip data/*.csv', 'data/*.csv'],
      ['7z a -sdel old.7z logs', 'logs'],
    ],
    allowed: ['tar -czf backup.tgz data', 'zip -r site.zip public', '7z a old.7z logs'],
  },
});

export const forcedLink = defineRule({
  id: 'fs.link-over',
  severity: 'risky',
  summary: 'Replaces a file with a link, losing what it held',
  programs: ['ln'],
  match(inv) {
    const a = inv.parsed({ values: ['-t', '--target-directory', '-S', '--suffix'] });
    if (!a.has('-f', '--force')) return null;
    const dest = a.value('-t', '--target-directory') ?? (a.positionals.length >= 2 ? a.positionals[a.positionals.length - 1] : undefined);
    return dest ? { resource: dest } : null;
  },
  examples: { gated: [['ln -sf /dev/null notes.txt', 'notes.txt'], ['ln -f other.db app.db', 'app.db']], allowed: ['ln -s ../shared lib', 'ln -s /usr/bin/python3 py'] },
});

/** Windows places outside the project: a drive or share, a variable (`$env:TEMP`, `%TEMP%`), the parent folder. */
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\|\$env:|%[A-Za-z_][A-Za-z0-9_]*%)/i;
const WINDOWS_AWAY = new RegExp(`${WINDOWS_ABSOLUTE.source}|^\\.\\.(?:\\\\|$)`, 'i');

export const moveAway = defineRule({
  id: 'fs.move-away',
  severity: 'risky',
  summary: 'Moves files out of the project (to an absolute, home or parent path), where history and the project no longer hold them',
  programs: ['mv'],
  match(inv) {
    const a = inv.parsed({ values: ['-t', '--target-directory', '-S', '--suffix'] });
    // Operands after `--` are operands too (`mv -- data /tmp/x`).
    const operands = [...a.positionals, ...a.rest];
    const dest = a.value('-t', '--target-directory') ?? operands[operands.length - 1];
    const sources = a.value('-t', '--target-directory') ? operands : operands.slice(0, -1);
    if (!dest || !sources.length || dest === '/dev/null') return null;
    const away = dest.startsWith('/') || dest.startsWith('~') || dest.startsWith('$HOME') || dest === '..' || dest.startsWith('../') || WINDOWS_AWAY.test(dest);
    if (!away || sources.every((x) => x.startsWith('/') || x.startsWith('~') || WINDOWS_ABSOLUTE.test(x))) return null;
    return { resource: joinResources(sources) };
  },
  examples: {
    gated: [['mv data /tmp/old-data', 'data'], ['mv -f app.db ~/trash/', 'app.db'], ['mv uploads ../', 'uploads'], ["mv data 'C:\\Temp\\x'", 'data'], ["mv data '..\\elsewhere'", 'data'], ["mv data '%TEMP%\\x'", 'data'], ['mv -- data /tmp/old-data', 'data']],
    allowed: ['mv a.txt b.txt', 'mv src/old.ts src/new.ts', 'mv /tmp/build.log /tmp/old.log', 'mv notes.txt docs/'],
  },
});

export const moveOver = defineRule({
  id: 'fs.move-over',
  severity: 'risky',
  summary: 'Moves or renames a file over one that exists, losing what it held',
  programs: ['mv'],
  match(inv) {
    // Looked up from the line's folder (this process's own when the caller did not say).
    const site = inv.site;
    if (!site) return null;
    const a = inv.parsed({ values: ['-t', '--target-directory', '-S', '--suffix'] });
    if (a.has('-n', '--no-clobber', '-b', '--backup', '--update=none') || inv.args.some((x) => /^-[A-Za-z]*n[A-Za-z]*$/.test(x) || x.startsWith('--backup'))) return null;
    const dir = a.value('-t', '--target-directory');
    const operands = [...a.positionals, ...a.rest];
    const dest = dir ?? operands[operands.length - 1];
    const sources = dir ? operands : operands.slice(0, -1);
    if (!dest || !sources.length) return null;
    const destAbs = site.resolve(dest);
    if (destAbs === undefined) return null;
    const hit: string[] = [];
    if (site.isFile(destAbs)) {
      if (!dir && sources.length === 1 && site.resolve(sources[0]) !== destAbs) hit.push(dest);
    } else {
      // Into a folder: each source lands on the folder's file of the same name.
      for (const s of sources) {
        const name = s.replace(/\/+$/, '').split('/').pop();
        if (name && site.isFile(`${destAbs}/${name}`) && site.resolve(s) !== `${destAbs}/${name}`) hit.push(`${dest.replace(/\/+$/, '')}/${name}`);
      }
    }
    return hit.length ? { resource: joinResources(hit) } : null;
  },
  // What a move overwrites is only known from the files: these run from the repository's root (files-run.test.ts
  // uses a folder of its own).
  examples: { gated: [['mv README.md LICENSE', 'LICENSE'], ['mv -- README.md LICENSE', 'LICENSE']], allowed: ['mv a.txt b.txt', 'mv -n README.md LICENSE', 'mv README.md docs-new.md'] },
});
