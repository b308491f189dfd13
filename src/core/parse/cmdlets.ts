// PowerShell commands -> the invocations the rules judge. A cmdlet that does what a POSIX command does becomes that
// command's twin, so the same rule ids and resources apply: `Remove-Item -Recurse -Force X` is `rm -r -f -- X`,
// `Clear-Content X` is `: > X`, `Invoke-Sqlcmd -Query Q` is `sqlcmd -Q Q`. Parameters are bound the way PowerShell
// binds them (any case, unique prefixes, aliases, `-Name:value`, positionals, splatting); `-WhatIf` only looks.
// Native programs keep their arguments; `cmd /c`, `pwsh -Command`, `wsl` and `bash -c` are read in their language.

import type { Invocation, Origin } from './invocation';
import { parsePowerShell, PsArg, PsCommand } from './powershell';
import type { Redirect, Word } from './shell';
import { literal, makeInvocation, nativeTwin, ReaderHost, splitWindowsArgs, windowsProgram } from './windows';

interface CmdletSpec {
  /** Parameter names in PowerShell's spelling; positional ones first, in position order. */
  params: readonly string[];
  positional?: number;
  switches?: readonly string[];
  /** Parameter aliases (exact, any case) -> the parameter. */
  aliases?: Readonly<Record<string, string>>;
}

const COMMON = ['Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm', 'UseTransaction'];
const COMMON_SWITCHES = ['Verbose', 'Debug', 'WhatIf', 'Confirm', 'UseTransaction'];
const COMMON_ALIASES: Record<string, string> = { vb: 'Verbose', db: 'Debug', ea: 'ErrorAction', wa: 'WarningAction', infa: 'InformationAction', proga: 'ProgressAction', ev: 'ErrorVariable', wv: 'WarningVariable', iv: 'InformationVariable', ov: 'OutVariable', ob: 'OutBuffer', pv: 'PipelineVariable', wi: 'WhatIf', cf: 'Confirm', usetx: 'UseTransaction' };
const PATHS = { aliases: { pspath: 'LiteralPath', lp: 'LiteralPath' } };

const WEB: CmdletSpec = {
  params: ['Uri', 'Method', 'CustomMethod', 'Body', 'InFile', 'Headers', 'ContentType', 'OutFile', 'Form', 'WebSession', 'SessionVariable', 'Credential', 'Authentication', 'Token', 'UserAgent', 'TimeoutSec', 'MaximumRedirection', 'MaximumRetryCount', 'RetryIntervalSec', 'Proxy', 'ProxyCredential', 'Certificate', 'CertificateThumbprint', 'TransferEncoding', 'SslProtocol', 'HttpVersion', 'ResponseHeadersVariable', 'StatusCodeVariable', 'FollowRelLink', 'MaximumFollowRelLink', 'ConnectionTimeoutSeconds', 'OperationTimeoutSeconds'],
  positional: 1,
  switches: ['UseBasicParsing', 'UseDefaultCredentials', 'AllowUnencryptedAuthentication', 'SkipCertificateCheck', 'DisableKeepAlive', 'PassThru', 'Resume', 'SkipHeaderValidation', 'SkipHttpErrorCheck', 'NoProxy', 'PreserveAuthorizationOnRedirect', 'AllowInsecureRedirect', 'ProxyUseDefaultCredentials', 'PreserveHttpMethodOnRedirect', 'FollowRelLink'],
  aliases: { useb: 'UseBasicParsing', cm: 'CustomMethod' },
};

const SPECS: Record<string, CmdletSpec> = {
  'Remove-Item': { params: ['Path', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Recurse', 'Force', 'Credential', 'Stream'], positional: 1, switches: ['Recurse', 'Force'], ...PATHS },
  'Clear-Content': { params: ['Path', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'Stream'], positional: 1, switches: ['Force'], ...PATHS },
  'Clear-Item': { params: ['Path', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential'], positional: 1, switches: ['Force'], ...PATHS },
  'Set-Content': { params: ['Path', 'Value', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'Encoding', 'Stream', 'PassThru', 'NoNewline', 'AsByteStream'], positional: 2, switches: ['Force', 'PassThru', 'NoNewline', 'AsByteStream'], ...PATHS },
  'Add-Content': { params: ['Path', 'Value', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'Encoding', 'Stream', 'PassThru', 'NoNewline', 'AsByteStream'], positional: 2, switches: ['Force', 'PassThru', 'NoNewline', 'AsByteStream'], ...PATHS },
  'Out-File': { params: ['FilePath', 'Encoding', 'LiteralPath', 'Append', 'Force', 'NoClobber', 'Width', 'NoNewline', 'InputObject'], positional: 2, switches: ['Append', 'Force', 'NoClobber', 'NoNewline'], aliases: { path: 'FilePath', pspath: 'LiteralPath', lp: 'LiteralPath' } },
  'New-Item': { params: ['Path', 'Name', 'ItemType', 'Value', 'Force', 'Credential'], positional: 1, switches: ['Force'], aliases: { type: 'ItemType', target: 'Value' } },
  'Copy-Item': { params: ['Path', 'Destination', 'LiteralPath', 'Container', 'Recurse', 'Force', 'Filter', 'Include', 'Exclude', 'PassThru', 'Credential', 'FromSession', 'ToSession'], positional: 2, switches: ['Container', 'Recurse', 'Force', 'PassThru'], ...PATHS },
  'Move-Item': { params: ['Path', 'Destination', 'LiteralPath', 'Force', 'Filter', 'Include', 'Exclude', 'PassThru', 'Credential'], positional: 2, switches: ['Force', 'PassThru'], ...PATHS },
  'Rename-Item': { params: ['Path', 'NewName', 'LiteralPath', 'Force', 'PassThru', 'Credential'], positional: 2, switches: ['Force', 'PassThru'], ...PATHS },
  'Get-ChildItem': { params: ['Path', 'Filter', 'LiteralPath', 'Include', 'Exclude', 'Recurse', 'Depth', 'Force', 'Name', 'Attributes', 'FollowSymlink', 'Directory', 'File', 'Hidden', 'ReadOnly', 'System'], positional: 2, switches: ['Recurse', 'Force', 'Name', 'FollowSymlink', 'Directory', 'File', 'Hidden', 'ReadOnly', 'System'], aliases: { pspath: 'LiteralPath', lp: 'LiteralPath', s: 'Recurse', ad: 'Directory', af: 'File', ah: 'Hidden', ar: 'ReadOnly', as: 'System' } },
  'Get-Item': { params: ['Path', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'Stream'], positional: 1, switches: ['Force'], ...PATHS },
  'Resolve-Path': { params: ['Path', 'LiteralPath', 'Relative', 'RelativeBasePath', 'Credential'], positional: 1, switches: ['Relative'], ...PATHS },
  'Invoke-WebRequest': WEB,
  'Invoke-RestMethod': WEB,
  'Invoke-Sqlcmd': { params: ['Query', 'ServerInstance', 'Database', 'InputFile', 'Username', 'Password', 'Credential', 'AccessToken', 'Variable', 'QueryTimeout', 'ConnectionString', 'HostName', 'ConnectionTimeout', 'ErrorLevel', 'SeverityLevel', 'MaxCharLength', 'MaxBinaryLength', 'OutputAs', 'Encrypt', 'TrustServerCertificate', 'StatisticsVariable', 'ApplicationName', 'ApplicationIntent', 'FailoverPartner', 'HostNameInCertificate', 'KeyVaultAccessToken', 'NewPassword'], positional: 1, switches: ['EncryptConnection', 'DedicatedAdministratorConnection', 'DisableVariables', 'DisableCommands', 'AbortOnError', 'SuppressProviderContextWarning', 'IgnoreProviderContext', 'IncludeSqlUserErrors', 'OutputSqlErrors', 'MultiSubnetFailover'] },
  'Invoke-DbaQuery': { params: ['SqlInstance', 'Database', 'Query', 'File', 'SqlCredential', 'QueryTimeout', 'As', 'SqlParameter', 'CommandType', 'SqlObject', 'InputObject', 'AppendConnectionString'], positional: 0, switches: ['AppendServerInstance', 'MessagesToOutput', 'ReadOnly', 'NoExec', 'EnableException'], aliases: { serverinstance: 'SqlInstance', sqlserver: 'SqlInstance' } },
  'Invoke-Expression': { params: ['Command'], positional: 1 },
  'Start-Process': { params: ['FilePath', 'ArgumentList', 'Credential', 'WorkingDirectory', 'LoadUserProfile', 'NoNewWindow', 'PassThru', 'RedirectStandardError', 'RedirectStandardInput', 'RedirectStandardOutput', 'Verb', 'WindowStyle', 'Wait', 'UseNewEnvironment', 'Environment'], positional: 2, switches: ['LoadUserProfile', 'NoNewWindow', 'PassThru', 'Wait', 'UseNewEnvironment'], aliases: { path: 'FilePath', args: 'ArgumentList', lup: 'LoadUserProfile', nnw: 'NoNewWindow', rse: 'RedirectStandardError', rsi: 'RedirectStandardInput', rso: 'RedirectStandardOutput' } },
  'Stop-Process': { params: ['Id', 'Name', 'InputObject', 'PassThru', 'Force'], positional: 1, switches: ['PassThru', 'Force'], aliases: { processname: 'Name' } },
  'Set-Alias': { params: ['Name', 'Value', 'Description', 'Option', 'PassThru', 'Scope', 'Force'], positional: 2, switches: ['PassThru', 'Force'] },
  'New-Alias': { params: ['Name', 'Value', 'Description', 'Option', 'PassThru', 'Scope', 'Force'], positional: 2, switches: ['PassThru', 'Force'] },
  'ForEach-Object': { params: ['Process', 'MemberName', 'ArgumentList', 'Begin', 'End', 'RemainingScripts', 'InputObject', 'Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace'], positional: 1, switches: ['AsJob', 'UseNewRunspace'] },
  'Stop-Computer': { params: ['ComputerName', 'Credential', 'Force', 'WsmanAuthentication', 'AsJob'], positional: 1, switches: ['Force', 'AsJob'] },
  'Restart-Computer': { params: ['ComputerName', 'Credential', 'Force', 'Wait', 'Timeout', 'For', 'Delay', 'WsmanAuthentication', 'AsJob'], positional: 1, switches: ['Force', 'Wait', 'AsJob'] },
  'Format-Volume': { params: ['DriveLetter', 'FileSystem', 'NewFileSystemLabel', 'Force', 'Full', 'Path', 'ObjectId', 'Partition', 'InputObject', 'FileSystemLabel', 'AllocationUnitSize', 'Compress', 'ShortFileNameSupport', 'SetIntegrityStreams', 'UseLargeFRS', 'DisableHeatGathering', 'IsDAX', 'AsJob', 'CimSession', 'ThrottleLimit'], positional: 1, switches: ['Force', 'Full', 'Compress', 'UseLargeFRS', 'DisableHeatGathering', 'AsJob'] },
  'Clear-Disk': { params: ['Number', 'FriendlyName', 'UniqueId', 'Path', 'SerialNumber', 'RemoveData', 'RemoveOEM', 'Zero', 'InputObject', 'PassThru', 'AsJob', 'CimSession', 'ThrottleLimit'], positional: 1, switches: ['RemoveData', 'RemoveOEM', 'Zero', 'PassThru', 'AsJob'] },
  'Remove-Partition': { params: ['DiskNumber', 'PartitionNumber', 'DriveLetter', 'DiskId', 'Offset', 'DiskPath', 'InputObject', 'PassThru', 'AsJob', 'CimSession', 'ThrottleLimit'], positional: 2, switches: ['PassThru', 'AsJob'] },
};

/** Default aliases of the cmdlets the readers map or call read-only. `curl` and `wget` are Windows PowerShell 5.1's. */
const ALIASES: Record<string, string> = {
  rm: 'Remove-Item', ri: 'Remove-Item', del: 'Remove-Item', erase: 'Remove-Item', rd: 'Remove-Item', rmdir: 'Remove-Item',
  clc: 'Clear-Content', cli: 'Clear-Item', sc: 'Set-Content', ac: 'Add-Content', ni: 'New-Item',
  cp: 'Copy-Item', copy: 'Copy-Item', cpi: 'Copy-Item', mv: 'Move-Item', move: 'Move-Item', mi: 'Move-Item', ren: 'Rename-Item', rni: 'Rename-Item',
  gci: 'Get-ChildItem', ls: 'Get-ChildItem', dir: 'Get-ChildItem', gi: 'Get-Item', rvpa: 'Resolve-Path',
  iwr: 'Invoke-WebRequest', curl: 'Invoke-WebRequest', wget: 'Invoke-WebRequest', irm: 'Invoke-RestMethod',
  iex: 'Invoke-Expression', icm: 'Invoke-Command', start: 'Start-Process', saps: 'Start-Process',
  '%': 'ForEach-Object', foreach: 'ForEach-Object', '?': 'Where-Object', where: 'Where-Object',
  echo: 'Write-Output', write: 'Write-Output', cat: 'Get-Content', gc: 'Get-Content', type: 'Get-Content',
  cd: 'Set-Location', chdir: 'Set-Location', sl: 'Set-Location', pwd: 'Get-Location', gl: 'Get-Location',
  select: 'Select-Object', sort: 'Sort-Object', measure: 'Measure-Object', tee: 'Tee-Object', sls: 'Select-String',
  ps: 'Get-Process', gps: 'Get-Process', gcm: 'Get-Command', gm: 'Get-Member', ft: 'Format-Table', fl: 'Format-List',
  cls: 'Clear-Host', clear: 'Clear-Host', sajb: 'Start-Job', kill: 'Stop-Process', spps: 'Stop-Process', ii: 'Invoke-Item',
  sal: 'Set-Alias', nal: 'New-Alias',
  gcim: 'Get-CimInstance', gwmi: 'Get-WmiObject', rcim: 'Remove-CimInstance', rwmi: 'Remove-WmiObject', rp: 'Remove-ItemProperty', clp: 'Clear-ItemProperty',
  pushd: 'Push-Location', popd: 'Pop-Location', ipmo: 'Import-Module', sleep: 'Start-Sleep', h: 'Get-History', history: 'Get-History',
};

/**
 * Azure PowerShell (Az) removals, as the `az` command their rules already know (learn.microsoft.com/powershell/module/az.*):
 * parameters in position order, and the az words they become.
 */
const AZ_TWINS: Record<string, { spec: CmdletSpec; az(v: (p: string) => Word | undefined): (string | Word | undefined)[] }> = {
  'Remove-AzResourceGroup': { spec: { params: ['Name', 'Id', 'Force', 'AsJob', 'DefaultProfile'], positional: 1, switches: ['Force', 'AsJob'], aliases: { resourcegroupname: 'Name', resourcegroupid: 'Id', resourceid: 'Id' } }, az: (v) => ['group', 'delete', '--name', v('Name') ?? lastSegment(v('Id'))] },
  'Remove-AzStorageAccount': { spec: { params: ['ResourceGroupName', 'Name', 'Force', 'AsJob', 'DefaultProfile'], positional: 2, switches: ['Force', 'AsJob'], aliases: { storageaccountname: 'Name', accountname: 'Name' } }, az: (v) => ['storage', 'account', 'delete', '-g', v('ResourceGroupName'), '-n', v('Name')] },
  'Remove-AzSqlDatabase': { spec: { params: ['ResourceGroupName', 'ServerName', 'DatabaseName', 'Force', 'DefaultProfile'], positional: 3, switches: ['Force'], aliases: { name: 'DatabaseName' } }, az: (v) => ['sql', 'db', 'delete', '-g', v('ResourceGroupName'), '-s', v('ServerName'), '-n', v('DatabaseName')] },
  'Remove-AzSqlServer': { spec: { params: ['ResourceGroupName', 'ServerName', 'Force', 'DefaultProfile'], positional: 2, switches: ['Force'], aliases: { name: 'ServerName' } }, az: (v) => ['sql', 'server', 'delete', '-g', v('ResourceGroupName'), '-n', v('ServerName')] },
  'Remove-AzVM': { spec: { params: ['ResourceGroupName', 'Name', 'Id', 'Force', 'AsJob', 'ForceDeletion', 'NoWait', 'DefaultProfile'], positional: 2, switches: ['Force', 'AsJob', 'NoWait'], aliases: { vmname: 'Name', resourcename: 'Name', resourceid: 'Id' } }, az: (v) => ['vm', 'delete', '-g', v('ResourceGroupName'), '-n', v('Name') ?? lastSegment(v('Id'))] },
  'Remove-AzKeyVault': { spec: { params: ['VaultName', 'ResourceGroupName', 'Location', 'InRemovedState', 'Force', 'AsJob', 'PassThru', 'ResourceId', 'DefaultProfile'], positional: 2, switches: ['InRemovedState', 'Force', 'AsJob', 'PassThru'], aliases: { name: 'VaultName' } }, az: (v) => ['keyvault', v('InRemovedState') ? 'purge' : 'delete', '--name', v('VaultName') ?? lastSegment(v('ResourceId'))] },
  'Remove-AzWebApp': { spec: { params: ['ResourceGroupName', 'Name', 'WebApp', 'DeleteAppServicePlan', 'Force', 'AsJob', 'DefaultProfile'], positional: 2, switches: ['DeleteAppServicePlan', 'Force', 'AsJob'] }, az: (v) => ['webapp', 'delete', '-g', v('ResourceGroupName'), '-n', v('Name')] },
  'Remove-AzAksCluster': { spec: { params: ['ResourceGroupName', 'Name', 'Id', 'InputObject', 'Force', 'AsJob', 'PassThru', 'DefaultProfile'], positional: 2, switches: ['Force', 'AsJob', 'PassThru'], aliases: { resourceid: 'Id' } }, az: (v) => ['aks', 'delete', '-g', v('ResourceGroupName'), '-n', v('Name') ?? lastSegment(v('Id'))] },
  'Remove-AzCosmosDBAccount': { spec: { params: ['ResourceGroupName', 'Name', 'ResourceId', 'InputObject', 'AsJob', 'PassThru', 'DefaultProfile'], positional: 2, switches: ['AsJob', 'PassThru'] }, az: (v) => ['cosmosdb', 'delete', '-g', v('ResourceGroupName'), '-n', v('Name') ?? lastSegment(v('ResourceId'))] },
  'Remove-AzStorageContainer': { spec: { params: ['Name', 'Context', 'Force', 'PassThru', 'ServerTimeoutPerRequest', 'ClientTimeoutPerRequest', 'DefaultProfile', 'ConcurrentTaskCount'], positional: 1, switches: ['Force', 'PassThru'], aliases: { container: 'Name' } }, az: (v) => ['storage', 'container', 'delete', '-n', v('Name')] },
  'Remove-AzStorageBlob': { spec: { params: ['Blob', 'Container', 'Context', 'CloudBlob', 'CloudBlobContainer', 'DeleteSnapshot', 'SnapshotTime', 'VersionId', 'Force', 'PassThru', 'DefaultProfile'], positional: 2, switches: ['DeleteSnapshot', 'Force', 'PassThru'] }, az: (v) => ['storage', 'blob', 'delete', '-c', v('Container'), '-n', v('Blob')] },
  'Remove-AzResource': { spec: { params: ['ResourceId', 'ResourceName', 'ResourceType', 'ResourceGroupName', 'ExtensionResourceName', 'ExtensionResourceType', 'ApiVersion', 'Force', 'AsJob', 'ODataQuery', 'TenantLevel', 'Pre', 'DefaultProfile'], positional: 1, switches: ['Force', 'AsJob', 'TenantLevel', 'Pre'], aliases: { id: 'ResourceId', name: 'ResourceName' } }, az: (v) => (v('ResourceId') ? ['resource', 'delete', '--ids', v('ResourceId')] : ['resource', 'delete', '-g', v('ResourceGroupName'), '-n', v('ResourceName'), '--resource-type', v('ResourceType')]) },
};

/**
 * AWS Tools for PowerShell removals, as the `aws` command their rules already know (docs.aws.amazon.com/powershell):
 * the parameter naming the resource (or the first positional), and the aws words it becomes.
 */
const AWS_TWINS: Record<string, { param: string; aws(name: Word, b: Bound): (string | Word)[] }> = {
  'Remove-S3Bucket': { param: 'BucketName', aws: (n, b) => ['s3', 'rb', literal(`s3://${n.text}`, n.dynamic), ...(b.switches.get('DeleteBucketContent') ? ['--force'] : [])] },
  'Remove-S3Object': { param: 'BucketName', aws: (n, b) => ['s3', 'rm', literal(`s3://${n.text}/${b.named.get('Key')?.[0]?.text ?? ''}`, n.dynamic)] },
  'Remove-RDSDBInstance': { param: 'DBInstanceIdentifier', aws: (n) => ['rds', 'delete-db-instance', '--db-instance-identifier', n] },
  'Remove-EC2Instance': { param: 'InstanceId', aws: (n) => ['ec2', 'terminate-instances', '--instance-ids', n] },
  'Remove-DDBTable': { param: 'TableName', aws: (n) => ['dynamodb', 'delete-table', '--table-name', n] },
};
const AWS_SWITCHES = ['DeleteBucketContent', 'Force', 'SkipFinalSnapshot', 'DeleteAutomatedBackups', 'PassThru'];

/** The name at the end of an Azure resource id. */
function lastSegment(w: Word | undefined): Word | undefined {
  if (!w || w.dynamic) return w;
  const last = w.text.replace(/\/+$/, '').split('/').pop();
  return last ? literal(last) : w;
}

/** Cmdlets the rules name (src/core/rules/windows.ts): known in any case, as PowerShell knows them. */
const RULED_CMDLETS = ['Add-Type', 'Remove-CimInstance', 'Remove-WmiObject', 'Remove-ItemProperty', 'Clear-ItemProperty', 'Clear-RecycleBin', 'Get-CimInstance', 'Get-WmiObject', 'Remove-LocalUser', 'Remove-LocalGroup', 'Remove-ADUser', 'Remove-ADGroup', 'Remove-ADComputer', 'Remove-ADObject', 'Remove-ADOrganizationalUnit', 'Remove-ADServiceAccount', 'Remove-Service', 'Set-MpPreference', 'Add-MpPreference', 'New-ScheduledTaskAction', 'Invoke-WmiMethod', 'Invoke-CimMethod', 'Remove-S3Bucket', 'Remove-S3Object', 'Remove-RDSDBInstance', 'Remove-EC2Instance', 'Remove-DDBTable'];

const CANONICAL = new Map<string, string>([...Object.keys(SPECS), ...Object.keys(AZ_TWINS), ...RULED_CMDLETS, ...new Set(Object.values(ALIASES)), 'Invoke-Command', 'Start-Job', 'Start-ThreadJob', 'ForEach-Object', 'Where-Object'].map((n) => [n.toLowerCase(), n]));

/** Verbs whose cmdlets only look (Format-Volume excepted), and cmdlets that only move around or wait. */
const READ_VERBS = /^(get|test|select|where|measure|sort|group|compare|find|search|show|resolve|split|join|convertto|convertfrom|format|out|write|read|wait|trace|foreach)-/i;
const READ_CMDLETS = new Set(['set-location', 'push-location', 'pop-location', 'start-sleep', 'clear-host', 'tee-object']);
const WRITING = new Set(['format-volume', 'out-file', 'write-eventlog', 'tee-object']);
/** Keywords read as commands: their blocks hold the commands that run. */
const KEYWORDS = new Set(['if', 'elseif', 'else', 'switch', 'foreach', 'for', 'while', 'do', 'until', 'try', 'catch', 'finally', 'trap', 'function', 'filter', 'workflow', 'param', 'begin', 'process', 'end', 'clean', 'return', 'exit', 'break', 'continue', 'throw', 'data', 'dynamicparam', 'class', 'enum', 'using', 'default', 'parallel', 'sequence', 'inlinescript']);

interface Bound {
  named: Map<string, Word[]>;
  switches: Map<string, boolean>;
  positionals: Word[][];
  /** Parameters this cmdlet does not have, ambiguous prefixes, splats whose content is unknown. */
  unknown: string[];
}

/** The parameter a written name means: exact name or alias, else the one parameter it is a prefix of. */
function resolveParam(spec: CmdletSpec, written: string): string | undefined {
  const w = written.toLowerCase();
  const all = [...spec.params, ...COMMON];
  const exact = all.find((p) => p.toLowerCase() === w) ?? spec.aliases?.[w] ?? COMMON_ALIASES[w];
  if (exact) return exact;
  const hits = all.filter((p) => p.toLowerCase().startsWith(w));
  return hits.length === 1 ? hits[0] : undefined;
}

function isSwitch(spec: CmdletSpec, param: string): boolean {
  return !!spec.switches?.includes(param) || COMMON_SWITCHES.includes(param);
}

/** A switch's value: `-Recurse` is on, `-Recurse:$false` off; a value only known at run time may be on. */
function switchValue(words: Word[]): boolean {
  if (!words.length) return true;
  const t = words[0].text.trim().toLowerCase();
  return !(t === '$false' || t === '0' || t === '$null' || t === '');
}

function bind(spec: CmdletSpec, cmd: PsCommand, splats: Splats): Bound {
  const b: Bound = { named: new Map(), switches: new Map(), positionals: [], unknown: [] };
  const setNamed = (name: string, words: Word[]) => b.named.set(name, [...(b.named.get(name) ?? []), ...words]);
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.splat !== undefined) {
      const table = splats.hashtables.get(a.splat.toLowerCase());
      const list = splats.arrays.get(a.splat.toLowerCase());
      if (table) {
        for (const [key, value] of table) {
          const p = resolveParam(spec, key);
          if (!p) b.unknown.push(key);
          else if (isSwitch(spec, p)) b.switches.set(p, value ? switchValue([value]) : true);
          else setNamed(p, [value ?? literal(`@${a.splat}.${key}`, true)]);
        }
      } else if (list) b.positionals.push(...list.map((w) => [w]));
      else b.unknown.push(`@${a.splat}`);
      continue;
    }
    if (a.param === undefined) {
      b.positionals.push(a.words);
      continue;
    }
    const p = resolveParam(spec, a.param);
    if (!p) {
      b.unknown.push(a.param);
      continue;
    }
    if (isSwitch(spec, p)) {
      b.switches.set(p, switchValue(a.words));
      continue;
    }
    if (a.attached) setNamed(p, a.words);
    else if (i + 1 < args.length && args[i + 1].param === undefined && args[i + 1].splat === undefined) setNamed(p, args[++i].words);
    else setNamed(p, []);
  }
  // Positionals fill the positional parameters not given by name, in order.
  const order = spec.params.slice(0, spec.positional ?? 0).filter((p) => !b.named.has(p));
  for (const p of order) {
    const next = b.positionals.shift();
    if (!next) break;
    setNamed(p, next);
  }
  return b;
}

interface Splats {
  hashtables: Map<string, Map<string, Word | null>>;
  arrays: Map<string, Word[]>;
}

/** What a command name means: a cmdlet (canonical spelling), a keyword, or a native program. */
export function commandName(text: string): { kind: 'cmdlet' | 'keyword' | 'native'; name: string } {
  // Module-qualified: Microsoft.PowerShell.Management\Remove-Item.
  const unqualified = /^[\w.]+\\([A-Za-z]+-[A-Za-z]+)$/.exec(text)?.[1] ?? text;
  const lower = unqualified.toLowerCase();
  if (KEYWORDS.has(lower)) return { kind: 'keyword', name: lower };
  const alias = ALIASES[lower];
  if (alias) return { kind: 'cmdlet', name: alias };
  const canonical = CANONICAL.get(lower);
  if (canonical) return { kind: 'cmdlet', name: canonical };
  if (/^[A-Za-z]+-[A-Za-z][\w]*$/.test(unqualified) && !/[\\/.]/.test(unqualified)) return { kind: 'cmdlet', name: unqualified };
  return { kind: 'native', name: windowsProgram(unqualified) };
}

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
    const spec = SPECS[what.name];
    const lower = what.name.toLowerCase();
    // Add-Type compiles C# (or VB) given as text or files: code the guard cannot read, run by what comes next.
    if (what.name === 'Add-Type' && c.args.some((a) => a.param !== undefined && /^(t|m|p|l)/i.test(a.param) && /^(typedefinition|memberdefinition|path|literalpath|td|md)/i.test(a.param))) {
      return this.emit(this.twin(c, inv, 'eval', [literal(c.text, true)]));
    }
    const az = AZ_TWINS[what.name];
    if (az) {
      const b = bind(az.spec, c, this.splats);
      if (b.switches.get('WhatIf')) return this.emit({ ...inv, program: what.name, readOnly: true });
      const value = (p: string): Word | undefined => (az.spec.switches?.includes(p) ? (b.switches.get(p) ? literal('on') : undefined) : b.named.get(p)?.[0]);
      // A value the reader cannot see (a pipeline, an unknown splat) is still a removal: named as the cmdlet.
      const words = az.az(value).map((w) => (w === undefined ? literal(`(${what.name})`, true) : typeof w === 'string' ? literal(w) : w));
      return this.emit(this.twin(c, inv, 'az', words));
    }
    const aws = AWS_TWINS[what.name];
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

interface MethodCall {
  owner: string;
  method: string;
  /** Each argument's static value (quotes removed; `$true`, `$null`… as written), or null when only known at run time. */
  args: (string | null)[];
  raw: string[];
}

/** `[Type]::Method(…)` and `.Method(…)` calls in an expression, with their arguments when they are literals. */
export function methodCalls(text: string): MethodCall[] {
  const out: MethodCall[] = [];
  const re = /(\[[\w.]+\]\s*::|\.)\s*(\w+)\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let i = re.lastIndex;
    let depth = 1;
    let quote = '';
    const raw: string[] = [];
    let cur = '';
    for (; i < text.length && depth > 0; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === quote) quote = '';
        cur += ch;
        continue;
      }
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) break;
      } else if (ch === ',' && depth === 1) {
        raw.push(cur.trim());
        cur = '';
        continue;
      }
      cur += ch;
    }
    if (cur.trim()) raw.push(cur.trim());
    out.push({ owner: m[1].replace(/\s+/g, ''), method: m[2], args: raw.map(literalValue), raw });
  }
  return out;
}

function literalValue(raw: string): string | null {
  const single = /^'((?:[^']|'')*)'$/s.exec(raw);
  if (single) return single[1].replace(/''/g, "'");
  const double = /^"([^"`$]*)"$/s.exec(raw);
  if (double) return double[1];
  if (/^\$(true|false|null)$/i.test(raw) || /^@\(\s*\)$/.test(raw) || /^\d+$/.test(raw)) return raw.replace(/\s+/g, '');
  return null;
}

/** Reads a PowerShell script into invocations through the host. */
export function readPowerShell(src: string, host: ReaderHost, depth: number, origin: Origin, parent?: Invocation): void {
  const parsed = parsePowerShell(src);
  for (const e of parsed.errors) host.error(`PowerShell: ${e}`);
  new PowerShellReader(host, depth, origin, parent, parsed).read(parsed.commands);
}
