// PowerShell commands -> the invocations the rules judge. A cmdlet that does what a POSIX command does becomes that
// command's twin, so the same rule ids and resources apply: `Remove-Item -Recurse -Force X` is `rm -r -f -- X`,
// `Clear-Content X` is `: > X`, `Invoke-Sqlcmd -Query Q` is `sqlcmd -Q Q`. Parameters are bound the way PowerShell
// binds them (any case, unique prefixes, aliases, `-Name:value`, positionals, splatting); `-WhatIf` only looks.
// Native programs keep their arguments; `cmd /c`, `pwsh -Command`, `wsl` and `bash -c` are read in their language.
// What each cmdlet is (parameters, aliases, twins) and how its parameters bind is in cmdletSpecs.ts.

import { AWS_SWITCHES, AWS_TWINS, AZ_TWINS, bind, Bound, commandName, READ_CMDLETS, READ_VERBS, Splats, SPECS, WRITING } from './cmdletSpecs';
import { methodCalls } from './dotnetCalls';
import type { Invocation, Origin } from './invocation';
import { parsePowerShell, PsArg, PsCommand } from './powershell';
import type { Redirect, Word } from './shell';
import { literal, makeInvocation, nativeTwin, ReaderHost, splitWindowsArgs, windowsProgram } from './windows';
import { own } from '../own';

/** A curl or wget written with POSIX flags (`-X`, `-sSL`, `--data`) is the real program, not the 5.1 alias. */
function posixStyle(cmd: PsCommand): boolean {
  return cmd.args.some((a) => a.param !== undefined && (a.param.startsWith('-') || a.param.length === 1 || /^[a-z]{2,4}$/.test(a.param) && /^[sSLfkIvOo]+$/.test(a.param)));
}

/** Paths given as `$_` or `$PSItem` are the items the pipeline into the enclosing ForEach-Object sends. */
const PIPELINE_ITEM = /^\$(_|PSItem)(\.(FullName|PSPath|Path|Name))?$/i;

const FILTERS = new Set(['Where-Object', 'Sort-Object', 'Select-Object', 'ForEach-Object']);
const LISTERS = new Set(['Get-ChildItem', 'Get-Item', 'Resolve-Path']);

class PowerShellReader {
  private readonly byCommand = new Map<PsCommand, Invocation>();
  private readonly names = new Map<PsCommand, ReturnType<typeof commandName>>();
  /** `Set-Alias x Remove-Item` earlier in the script: x is Remove-Item. */
  private readonly userAliases = new Map<string, string>();

  constructor(
    private readonly host: ReaderHost,
    private readonly depth: number,
    private readonly origin: Origin,
    private readonly parent: Invocation | undefined,
    private readonly splats: Splats,
  ) {}

  read(commands: readonly PsCommand[]): void {
    for (const c of commands) {
      if (c.kind !== 'command' || !c.name || c.name.dynamic) continue;
      const what = commandName(c.name.text);
      if (what.name !== 'Set-Alias' && what.name !== 'New-Alias') continue;
      const b = bind(SPECS[what.name], c, this.splats);
      const [name, value] = [b.named.get('Name')?.[0], b.named.get('Value')?.[0]];
      if (name && value && !name.dynamic && !value.dynamic) this.userAliases.set(name.text.toLowerCase(), value.text);
    }
    for (const c of commands) this.byCommand.set(c, this.base(c));
    for (const c of commands) {
      const inv = this.byCommand.get(c)!;
      if (c.pipeFrom) inv.pipeFrom = this.byCommand.get(c.pipeFrom);
      if (c.container) inv.parent = this.byCommand.get(c.container) ?? this.parent;
    }
    for (const c of commands) this.translate(c, this.byCommand.get(c)!);
  }

  private base(c: PsCommand): Invocation {
    const written = c.name ? this.staticName(c.name) : undefined;
    const name = written !== undefined ? (this.userAliases.get(written.toLowerCase()) ?? written) : undefined;
    const what = name !== undefined ? commandName(name) : undefined;
    if (what) this.names.set(c, what);
    const program = c.kind === 'expression' ? '' : what ? (what.kind === 'native' ? what.name : what.name) : c.name!.text;
    return makeInvocation({
      program,
      path: c.name?.text ?? '',
      words: c.args.flatMap((a) => this.nativeWords(a)),
      redirects: c.redirects,
      text: c.text,
      depth: this.depth,
      origin: this.origin,
      parent: this.parent,
      dynamicProgram: !!c.name && name === undefined,
      dialect: 'powershell',
    });
  }

  /** A name known before run time: a word without expansions, or `(Get-Command X)`. */
  private staticName(w: Word): string | undefined {
    if (!w.dynamic) return w.text;
    const m = /^\(\s*(?:gcm|get-command)\s+['"]?([\w.\\-]+)['"]?\s*\)$/i.exec(w.text);
    return m ? m[1] : undefined;
  }

  /** What PowerShell passes a native program for one argument. */
  private nativeWords(a: PsArg): Word[] {
    if (a.splat !== undefined) return this.splats.arrays.get(a.splat.toLowerCase()) ?? [literal(`@${a.splat}`, true)];
    if (a.param !== undefined) {
      const flag = literal(`-${a.param}`);
      return a.attached ? [{ ...flag, text: `-${a.param}:${a.words.map((w) => w.text).join(',')}`, dynamic: a.words.some((w) => w.dynamic) }] : [flag];
    }
    return a.words;
  }

  private emit(inv: Invocation): void {
    this.host.run(inv);
  }

  private twin(c: PsCommand, inv: Invocation, program: string, words: Word[], extra: Partial<Invocation> = {}): Invocation {
    const t = makeInvocation({ program, path: inv.path, words, redirects: c.redirects, text: c.text, depth: this.depth, origin: this.origin, parent: inv.parent, dialect: 'powershell' });
    return { ...t, pipeFrom: inv.pipeFrom, ...extra };
  }

  private translate(c: PsCommand, inv: Invocation): void {
    if (c.kind === 'expression') return this.expression(c, inv);
    // `if($x){…}`, `param($a)`, `foreach($f in $x){…}` written against their parenthesis: a keyword, whose parts are read.
    if (c.name && /^(if|elseif|foreach|for|while|until|switch|param|catch|trap|do|try|finally)\s*[({]/i.test(c.name.text)) return this.emit({ ...inv, program: c.name.text.replace(/\s*[({][\s\S]*$/, '').toLowerCase(), dynamicProgram: false, readOnly: true });
    if (inv.dynamicProgram) {
      this.emit(inv);
      return;
    }
    const what = this.names.get(c)!;
    if (what.kind === 'keyword') return this.emit({ ...inv, readOnly: true });
    if (what.kind === 'native') return this.nativeRun(inv);
    const spec = own(SPECS, what.name);
    const lower = what.name.toLowerCase();
    // Add-Type compiles C# (or VB) given as text or files: code the guard cannot read, run by what comes next.
    if (what.name === 'Add-Type' && c.args.some((a) => a.param !== undefined && /^(t|m|p|l)/i.test(a.param) && /^(typedefinition|memberdefinition|path|literalpath|td|md)/i.test(a.param))) {
      return this.emit(this.twin(c, inv, 'eval', [literal(c.text, true)]));
    }
    const az = own(AZ_TWINS, what.name);
    if (az) {
      const b = bind(az.spec, c, this.splats);
      if (b.switches.get('WhatIf')) return this.emit({ ...inv, program: what.name, readOnly: true });
      const value = (p: string): Word | undefined => (az.spec.switches?.includes(p) ? (b.switches.get(p) ? literal('on') : undefined) : b.named.get(p)?.[0]);
      // A value the reader cannot see (a pipeline, an unknown splat) is still a removal: named as the cmdlet.
      const words = az.az(value).map((w) => (w === undefined ? literal(`(${what.name})`, true) : typeof w === 'string' ? literal(w) : w));
      return this.emit(this.twin(c, inv, 'az', words));
    }
    const aws = own(AWS_TWINS, what.name);
    if (aws) {
      const params = [aws.param, 'Key', 'Region', 'ProfileName', 'VersionId', 'FinalDBSnapshotIdentifier', 'Select', 'EndpointUrl', 'Credential', 'AccessKey', 'SecretKey', 'SessionToken'];
      const b = bind({ params, positional: 1, switches: AWS_SWITCHES }, c, this.splats);
      if (b.switches.get('WhatIf')) return this.emit({ ...inv, program: what.name, readOnly: true });
      const name = b.named.get(aws.param)?.[0] ?? literal(`(${what.name})`, true);
      return this.emit(this.twin(c, inv, 'aws', aws.aws(name, b).map((w) => (typeof w === 'string' ? literal(w) : w))));
    }
    if (!spec) {
      const readOnly = (READ_VERBS.test(lower) && !WRITING.has(lower)) || READ_CMDLETS.has(lower) ? !WRITING.has(lower) : false;
      if (what.name === 'Invoke-Expression') return this.invokeExpression(c, inv, { named: new Map(), switches: new Map(), positionals: c.args.filter((a) => a.param === undefined).map((a) => a.words), unknown: [] });
      return this.emit({ ...inv, program: what.name, readOnly });
    }
    const b = bind(spec, c, this.splats);
    if (b.switches.get('WhatIf')) return this.emit({ ...inv, program: what.name, readOnly: true });
    switch (what.name) {
      case 'Remove-Item':
        return this.removeItem(c, inv, b);
      case 'Clear-Content':
      case 'Clear-Item':
        return this.empties(c, inv, paths(b));
      case 'Set-Content':
      case 'Add-Content':
      case 'Out-File':
        return this.writes(c, inv, b, what.name);
      case 'New-Item':
        return this.newItem(c, inv, b);
      case 'Copy-Item':
      case 'Move-Item':
      case 'Rename-Item': {
        const to = b.named.get(what.name === 'Rename-Item' ? 'NewName' : 'Destination') ?? [];
        const flags = [...(b.switches.get('Recurse') ? [literal('-r')] : []), ...(b.switches.get('Force') ? [literal('-f')] : [])];
        // Copying NUL over a file empties it, as cp /dev/null does.
        const from = paths(b).map((w) => (/^nul$/i.test(w.text) ? literal('/dev/null') : w));
        const all = [...from, ...to];
        return this.emit(this.twin(c, inv, what.name === 'Copy-Item' ? 'cp' : 'mv', [...flags, ...(all.some((w) => w.text.startsWith('-')) ? [literal('--')] : []), ...all]));
      }
      case 'Invoke-WebRequest':
      case 'Invoke-RestMethod':
        if ((/^(curl|wget)$/i.test(c.name!.text)) && posixStyle(c)) return this.nativeRun({ ...inv, program: c.name!.text.toLowerCase() });
        return this.web(c, inv, b, what.name);
      case 'Invoke-Sqlcmd':
      case 'Invoke-DbaQuery':
        return this.sql(c, inv, b);
      case 'Invoke-Expression':
        return this.invokeExpression(c, inv, b);
      case 'Start-Process':
        return this.startProcess(c, inv, b);
      case 'Stop-Process': {
        const ids = b.named.get('Id') ?? [];
        const names = b.named.get('Name') ?? [];
        if (ids.length) this.emit(this.twin(c, inv, 'kill', [literal('-9'), ...ids]));
        if (names.length || !ids.length) this.emit(this.twin(c, inv, 'pkill', names.length ? names : [literal('(processes from the pipeline)', true)]));
        return;
      }
      case 'ForEach-Object': {
        // `gci X -Recurse | % Delete`: the member called on every item.
        const member = (b.named.get('MemberName') ?? b.named.get('Process') ?? [])[0];
        const source = c.pipeFrom ? this.lister(c.pipeFrom) : undefined;
        if (member && !member.dynamic && /^delete$/i.test(member.text) && source) return this.emit(this.twin(c, inv, 'rm', [...(source.recursive ? [literal('-r')] : []), literal('-f'), literal('--'), ...source.paths]));
        return this.emit({ ...inv, program: what.name, readOnly: true });
      }
      case 'Stop-Computer':
      case 'Restart-Computer':
        return this.emit(this.twin(c, inv, what.name === 'Stop-Computer' ? 'shutdown' : 'reboot', (b.named.get('ComputerName') ?? [])));
      case 'Format-Volume':
      case 'Clear-Disk':
      case 'Remove-Partition': {
        const target = b.named.get('DriveLetter') ?? b.named.get('Number') ?? b.named.get('DiskNumber') ?? b.named.get('Path') ?? b.named.get('FriendlyName') ?? b.named.get('FileSystemLabel') ?? [];
        const name = target.length ? target.map((w) => (what.name === 'Format-Volume' && /^[A-Za-z]$/.test(w.text) ? `${w.text}:` : w.text)) : [what.name === 'Format-Volume' && inv.pipeFrom ? 'volume from the pipeline' : what.name];
        return this.emit(this.twin(c, inv, 'mkfs', name.map((t) => literal(t))));
      }
      default:
        return this.emit({ ...inv, program: what.name, readOnly: READ_VERBS.test(lower) && !WRITING.has(lower) });
    }
  }

  private removeItem(c: PsCommand, inv: Invocation, b: Bound): void {
    let targets = paths(b);
    let recursive = !!b.switches.get('Recurse') || b.unknown.length > 0;
    let fromStdin = false;
    // Env:NAME removes an environment variable, as unset does.
    const env = targets.filter((w) => /^env:\\?/i.test(w.text));
    if (env.length) {
      this.emit(this.twin(c, inv, 'unset', env.map((w) => literal(w.text.replace(/^env:\\?/i, '')))));
      targets = targets.filter((w) => !env.includes(w));
      if (!targets.length) return;
    }
    const items = targets.length === 0 || targets.every((w) => PIPELINE_ITEM.test(w.text));
    if (items) {
      // Items arrive on the pipeline (`gci X | Remove-Item`) or through the enclosing ForEach-Object's `$_`.
      const feeder = targets.length ? this.containerPipe(c) : c.pipeFrom;
      const source = feeder ? (this.lister(feeder) ?? staticValues(feeder)) : undefined;
      if (source) {
        targets = source.paths;
        recursive ||= source.recursive;
      } else if (!targets.length) fromStdin = !!c.pipeFrom;
    }
    const words = [...(recursive ? [literal('-r')] : []), ...(b.switches.get('Force') ? [literal('-f')] : []), ...(targets.length ? [literal('--'), ...targets] : [])];
    if (!targets.length && !fromStdin) words.push(literal('--'), literal(inv.program === 'rm' ? 'Remove-Item' : c.name!.text));
    this.emit(this.twin(c, inv, 'rm', words, { argsFromStdin: fromStdin }));
  }

  /** The pipeline that feeds the ForEach-Object whose block holds c. */
  private containerPipe(c: PsCommand): PsCommand | undefined {
    for (let k = c.container; k; k = k.container) {
      if (k.kind === 'command' && k.name && commandName(k.name.text).name === 'ForEach-Object') return k.pipeFrom;
    }
    return undefined;
  }

  /** The Get-ChildItem (through Where-Object and friends) a pipeline starts from: its paths and recursion. */
  private lister(c: PsCommand): { paths: Word[]; recursive: boolean } | undefined {
    for (let k: PsCommand | undefined = c; k; k = k.pipeFrom) {
      if (k.kind !== 'command' || !k.name || k.name.dynamic) return undefined;
      const name = commandName(k.name.text).name;
      if (FILTERS.has(name)) continue;
      if (!LISTERS.has(name)) return undefined;
      const b = bind(SPECS[name], k, this.splats);
      const p = paths(b);
      return { paths: p.length ? p : [literal('.')], recursive: !!b.switches.get('Recurse') || b.named.has('Depth') };
    }
    return undefined;
  }

  private empties(c: PsCommand, inv: Invocation, targets: Word[]): void {
    const redirects: Redirect[] = targets.map((t) => ({ op: '>', target: t }));
    this.emit(this.twin(c, inv, ':', [], { redirects: [...c.redirects, ...redirects] }));
  }

  private writes(c: PsCommand, inv: Invocation, b: Bound, name: string): void {
    const targets = name === 'Out-File' ? [...(b.named.get('FilePath') ?? []), ...(b.named.get('LiteralPath') ?? [])] : paths(b);
    const value = b.named.get(name === 'Out-File' ? 'InputObject' : 'Value');
    const append = name === 'Add-Content' || !!b.switches.get('Append');
    const fed = c.pipeFrom;
    const nothing = (words: Word[] | undefined) => !words || words.length === 0 || words.every((w) => !w.dynamic && (w.text === '' || /^\$null$/i.test(w.text) || w.text === '@()'));
    const empty = !append && (value !== undefined ? nothing(value) : !fed || (fed.kind === 'expression' && /^(\$null|''|""|@\(\))$/i.test(fed.text)));
    if (empty) return this.empties(c, inv, targets);
    const redirects: Redirect[] = targets.map((t) => ({ op: append ? '>>' : '>', target: t }));
    this.emit(this.twin(c, inv, 'echo', value ?? [], { redirects: [...c.redirects, ...redirects] }));
  }

  private newItem(c: PsCommand, inv: Invocation, b: Bound): void {
    const type = (b.named.get('ItemType')?.[0]?.text ?? 'file').toLowerCase();
    const targets = [...(b.named.get('Path') ?? [])].map((p) => {
      const n = b.named.get('Name')?.[0];
      return n ? literal(`${p.text.replace(/[\\/]$/, '')}\\${n.text}`, p.dynamic || n.dynamic) : p;
    });
    if (!targets.length && b.named.get('Name')) targets.push(...b.named.get('Name')!);
    // A link (`-ItemType SymbolicLink -Target .claude`) is a second name for its target, as `ln -s` makes one.
    const target = b.named.get('Value')?.[0];
    if (/^(symboliclink|junction|hardlink)$/.test(type) && target && targets[0]) return this.emit(this.twin(c, inv, 'ln', [...(type === 'hardlink' ? [] : [literal('-s')]), target, targets[0]]));
    // -Force over an existing file replaces it with an empty one.
    if (b.switches.get('Force') && type === 'file' && !b.named.has('Value')) return this.empties(c, inv, targets);
    this.emit({ ...inv, program: 'New-Item' });
  }

  private web(c: PsCommand, inv: Invocation, b: Bound, name: string): void {
    const words: Word[] = [];
    const add = (param: string, w: Word | undefined) => {
      if (w) words.push(literal(`-${param}`), w);
    };
    const uri = b.named.get('Uri')?.[0] ?? b.positionals[0]?.[0];
    add('Uri', uri);
    add('Method', b.named.get('Method')?.[0]);
    add('CustomMethod', b.named.get('CustomMethod')?.[0]);
    add('OutFile', b.named.get('OutFile')?.[0]);
    const body = b.named.get('Body')?.[0] ?? (c.pipeFrom?.kind === 'expression' && c.pipeFrom.args.length === 1 ? c.pipeFrom.args[0].words[0] : undefined);
    if (body && /^@\{/.test(body.raw)) {
      // A hashtable body is sent as form fields: `query=mutation…`.
      const table = parsePowerShell(`$b = ${body.raw}`).hashtables.get('b');
      const fields = table ? [...table].map(([k, v]) => (v && !v.dynamic ? `${encodeURIComponent(k)}=${encodeURIComponent(v.text)}` : null)) : [null];
      if (fields.every((f) => f !== null)) add('Body', literal(fields.join('&')));
      else add('InFile', literal('(hashtable)', true));
    } else add('Body', body);
    if (b.named.has('InFile') || b.named.has('Form') || (!body && c.pipeFrom && c.pipeFrom.kind !== 'expression')) add('InFile', b.named.get('InFile')?.[0] ?? literal('(pipeline)', true));
    this.emit(this.twin(c, inv, name, words));
  }

  private sql(c: PsCommand, inv: Invocation, b: Bound): void {
    const words: Word[] = [];
    const add = (flag: string, w: Word | undefined) => {
      if (w) words.push(literal(flag), w);
    };
    add('-S', (b.named.get('ServerInstance') ?? b.named.get('SqlInstance') ?? b.named.get('HostName'))?.[0]);
    add('-d', b.named.get('Database')?.[0]);
    for (const q of b.named.get('Query') ?? []) add('-Q', q);
    add('-i', (b.named.get('InputFile') ?? b.named.get('File'))?.[0]);
    this.emit(this.twin(c, inv, 'sqlcmd', words));
  }

  private invokeExpression(c: PsCommand, inv: Invocation, b: Bound): void {
    const words = [...(b.named.get('Command') ?? []), ...b.positionals.flat()];
    const fed = c.pipeFrom;
    if (!words.length && fed) {
      // `'…' | iex` runs the string; a download piped in is exec.pipe-to-shell's; anything else is unknown text.
      if (fed.kind === 'expression' && fed.args.length === 1 && fed.args[0].words.length === 1 && !fed.args[0].words[0].dynamic) {
        this.host.read(fed.args[0].words[0].text, 'powershell', this.depth + 1, 'eval', inv);
        return this.emit({ ...inv, program: 'Invoke-Expression', readOnly: true });
      }
      const source = this.byCommand.get(fed);
      if (source && /^(Invoke-WebRequest|Invoke-RestMethod|curl|wget)$/i.test(source.program)) return this.emit({ ...inv, program: 'Invoke-Expression', args: [], argWords: [] });
      return this.emit(this.twin(c, inv, 'eval', [literal('(pipeline input)', true)]));
    }
    const hidden = words.filter((w) => w.dynamic);
    for (const w of words) if (!w.dynamic) this.host.read(w.text, 'powershell', this.depth + 1, 'eval', inv);
    if (hidden.length) this.emit(this.twin(c, inv, 'eval', hidden));
  }

  private startProcess(c: PsCommand, inv: Invocation, b: Bound): void {
    const file = b.named.get('FilePath')?.[0];
    if (!file) return this.emit({ ...inv, program: 'Start-Process' });
    const list = b.named.get('ArgumentList') ?? [];
    const dynamic = list.some((w) => w.dynamic);
    const words = splitWindowsArgs(list.map((w) => w.text).join(' ')).map((t) => literal(t, dynamic && /[$(]/.test(t)));
    const program = windowsProgram(file.text);
    const twin = this.twin(c, inv, program, words, { dynamicProgram: file.dynamic, via: ['Start-Process'], parent: inv });
    this.nativeRun(twin);
  }

  /** A native program: its Windows twin (robocopy /MIR, format, shutdown), then the expander's usual reading. */
  private nativeRun(inv: Invocation): void {
    const t = nativeTwin(inv.program, inv.argWords);
    if (t.program !== inv.program || t.words !== inv.argWords) {
      const twin = makeInvocation({ program: t.program, path: inv.path, words: t.words, redirects: inv.redirects, text: inv.text, depth: inv.depth, origin: inv.origin, parent: inv.parent, dialect: 'powershell' });
      return this.emit({ ...twin, pipeFrom: inv.pipeFrom });
    }
    this.emit(inv);
  }

  /** Expressions: .NET calls that delete or empty files, scripts built from strings, environment assignments. */
  private expression(c: PsCommand, inv: Invocation): void {
    const text = c.text;
    let emitted = false;
    const out = (t: Invocation) => {
      emitted = true;
      this.emit(t);
    };
    if (c.assignedTo && /^env:/i.test(c.assignedTo)) {
      const value = c.args.length === 1 && c.args[0].words.length === 1 ? c.args[0].words[0].text : c.text;
      const name = c.assignedTo.slice(4);
      // `$env:PATH = "C:\x;$env:PATH"` keeps PATH: the guard's rule reads it as `$PATH`.
      out({ ...inv, program: '', env: { [name]: value.replace(/\$env:PATH\b/gi, '$PATH') }, readOnly: false });
    }
    for (const call of methodCalls(text)) {
      const owner = call.owner.toLowerCase().replace(/^\[(system\.)?/, '[');
      const m = call.method.toLowerCase();
      const first = call.args[0];
      const path = first === undefined ? undefined : first === null ? literal(call.raw[0] ?? '', true) : literal(first);
      if (owner === '[io.directory]::' && m === 'delete' && path) {
        out(this.twin(c, inv, 'rm', [...(call.args[1] !== '$false' && call.args.length > 1 ? [literal('-r')] : []), literal('--'), path]));
      } else if (owner === '[io.file]::' && m === 'delete' && path) {
        out(this.twin(c, inv, 'rm', [literal('-f'), literal('--'), path]));
      } else if (owner === '[microsoft.visualbasic.fileio.filesystem]::' && (m === 'deletedirectory' || m === 'deletefile') && path) {
        out(this.twin(c, inv, 'rm', [...(m === 'deletedirectory' ? [literal('-r')] : []), literal('--'), path]));
      } else if (owner === '[io.file]::' && /^(writealltext|writeallbytes|writealllines|create|open|openwrite)$/.test(m) && path) {
        const content = call.args[1];
        const emptying = m === 'create' || (m !== 'open' && m !== 'openwrite' && (content === '' || content === '$null' || content === '@()'));
        if (emptying) out(this.twin(c, inv, ':', [], { redirects: [{ op: '>', target: path }] }));
        else out(this.twin(c, inv, 'echo', [], { redirects: [{ op: '>', target: path }] }));
      } else if ((owner === '[scriptblock]::' && m === 'create') || m === 'invokescript' || m === 'addscript' || m === 'newscriptblock') {
        if (typeof first === 'string') this.host.read(first, 'powershell', this.depth + 1, 'eval', inv);
        else out(this.twin(c, inv, 'eval', [literal(call.raw[0] ?? text, true)]));
      } else if (owner === '.' && /^upload(string|data|values|file)(async|taskasync)?$/.test(m) && call.args.length >= 2) {
        // WebClient.UploadString(url, 'DELETE', body): an HTTP request with that method.
        const method = call.args.length >= 3 || /^(get|post|put|delete|patch|head)$/i.test(call.args[1] ?? '') ? call.args[1] : 'POST';
        out(this.twin(c, inv, 'Invoke-WebRequest', [literal('-Uri'), path!, literal('-Method'), method === null ? literal(call.raw[1], true) : literal(method ?? 'POST')]));
      } else if (owner === '.' && /^(delete|put|post|patch)async$/.test(m) && path) {
        // HttpClient.DeleteAsync(url) and friends.
        out(this.twin(c, inv, 'Invoke-WebRequest', [literal('-Uri'), path, literal('-Method'), literal(m.slice(0, -5).toUpperCase())]));
      } else if (owner === '[environment]::' && m === 'setenvironmentvariable' && typeof first === 'string') {
        out({ ...inv, program: '', env: { [first]: call.args[1] ?? '' }, readOnly: false });
      } else if (owner === '[diagnostics.process]::' && m === 'start' && typeof first === 'string') {
        const words = typeof call.args[1] === 'string' ? splitWindowsArgs(call.args[1]).map((t) => literal(t)) : call.args.length > 1 ? [literal(call.raw[1], true)] : [];
        this.nativeRun(this.twin(c, inv, windowsProgram(first), words, { parent: inv }));
        emitted = true;
      } else if (m === 'delete' && owner === '.' && PIPELINE_ITEM.test(text.slice(0, text.indexOf('.', 1)).trim())) {
        // `gci X | % { $_.Delete() }`: each item the enclosing ForEach-Object is fed.
        const feeder = this.containerPipe(c);
        const source = feeder ? this.lister(feeder) : undefined;
        out(this.twin(c, inv, 'rm', [...(source?.recursive || call.args[0] === '$true' ? [literal('-r')] : []), literal('-f'), literal('--'), ...(source?.paths ?? [literal(text.split('.')[0], true)])]));
      } else if ((m === 'deletefolder' || m === 'deletefile') && owner === '.') {
        // Scripting.FileSystemObject's DeleteFolder / DeleteFile (COM): a folder goes with everything in it.
        out(this.twin(c, inv, 'rm', [...(m === 'deletefolder' ? [literal('-r')] : []), literal('-f'), literal('--'), path ?? literal(text, true)]));
      } else if (m === 'delete' && owner === '.') {
        // (Get-Item X).Delete($true): the item the parentheses fetch.
        const fetched = this.fetchedItem(c);
        if (fetched) out(this.twin(c, inv, 'rm', [...(call.args[0] === '$true' ? [literal('-r')] : [literal('-f')]), literal('--'), fetched]));
      }
    }
    if (emitted) return;
    // `$null > file` empties it; any other value written with > is a write.
    if (c.redirects.some((r) => r.op === '>' || r.op === '>>')) {
      const nothing = /^(\$null|''|""|@\(\))$/i.test(text.replace(/\s*\d?>>?.*$/s, '').trim());
      return this.emit({ ...inv, program: nothing ? ':' : 'echo', args: [], argWords: [], parsed: inv.parsed });
    }
    const calls = /(\]::|\.)\w+\s*\(/.test(text);
    this.emit({ ...inv, readOnly: !calls });
  }

  private fetchedItem(c: PsCommand): Word | undefined {
    for (const [k] of this.byCommand) {
      if (k.container !== c || k.kind !== 'command' || !k.name) continue;
      const name = commandName(k.name.text).name;
      if (!LISTERS.has(name)) continue;
      return paths(bind(SPECS[name], k, this.splats))[0];
    }
    return undefined;
  }
}

/** `'a', 'b' | Remove-Item`: the static values a pipeline starts from. */
function staticValues(c: PsCommand): { paths: Word[]; recursive: boolean } | undefined {
  if (c.kind !== 'expression' || c.pipeFrom || c.redirects.length) return undefined;
  const words = c.args.flatMap((a) => (a.param === undefined && a.splat === undefined ? a.words : []));
  return words.length && words.length === c.args.flatMap((a) => a.words).length ? { paths: words, recursive: false } : undefined;
}

function paths(b: Bound): Word[] {
  return [...(b.named.get('Path') ?? []), ...(b.named.get('LiteralPath') ?? [])];
}

/** Reads a PowerShell script into invocations through the host. */
export function readPowerShell(src: string, host: ReaderHost, depth: number, origin: Origin, parent?: Invocation): void {
  const parsed = parsePowerShell(src);
  for (const e of parsed.errors) host.error(`PowerShell: ${e}`);
  new PowerShellReader(host, depth, origin, parent, parsed).read(parsed.commands);
}
