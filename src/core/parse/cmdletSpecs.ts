// What PowerShell's cmdlets are, for the reader in cmdlets.ts: their parameters, aliases and switches, the Azure and
// AWS cmdlets' CLI twins, which ones only look, how a command's parameters bind (any case, unique prefixes, aliases,
// positionals, splatting), and what a command name means.

import type { PsCommand } from './powershell';
import type { Word } from './shell';
import { literal, windowsProgram } from './windows';
import { own } from '../own';

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

export const SPECS: Record<string, CmdletSpec> = {
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
export const AZ_TWINS: Record<string, { spec: CmdletSpec; az(v: (p: string) => Word | undefined): (string | Word | undefined)[] }> = {
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
export const AWS_TWINS: Record<string, { param: string; aws(name: Word, b: Bound): (string | Word)[] }> = {
  'Remove-S3Bucket': { param: 'BucketName', aws: (n, b) => ['s3', 'rb', literal(`s3://${n.text}`, n.dynamic), ...(b.switches.get('DeleteBucketContent') ? ['--force'] : [])] },
  'Remove-S3Object': { param: 'BucketName', aws: (n, b) => ['s3', 'rm', literal(`s3://${n.text}/${b.named.get('Key')?.[0]?.text ?? ''}`, n.dynamic)] },
  'Remove-RDSDBInstance': { param: 'DBInstanceIdentifier', aws: (n) => ['rds', 'delete-db-instance', '--db-instance-identifier', n] },
  'Remove-EC2Instance': { param: 'InstanceId', aws: (n) => ['ec2', 'terminate-instances', '--instance-ids', n] },
  'Remove-DDBTable': { param: 'TableName', aws: (n) => ['dynamodb', 'delete-table', '--table-name', n] },
};
export const AWS_SWITCHES = ['DeleteBucketContent', 'Force', 'SkipFinalSnapshot', 'DeleteAutomatedBackups', 'PassThru'];

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
export const READ_VERBS = /^(get|test|select|where|measure|sort|group|compare|find|search|show|resolve|split|join|convertto|convertfrom|format|out|write|read|wait|trace|foreach)-/i;
export const READ_CMDLETS = new Set(['set-location', 'push-location', 'pop-location', 'start-sleep', 'clear-host', 'tee-object']);
export const WRITING = new Set(['format-volume', 'out-file', 'write-eventlog', 'tee-object']);
/** Keywords read as commands: their blocks hold the commands that run. */
const KEYWORDS = new Set(['if', 'elseif', 'else', 'switch', 'foreach', 'for', 'while', 'do', 'until', 'try', 'catch', 'finally', 'trap', 'function', 'filter', 'workflow', 'param', 'begin', 'process', 'end', 'clean', 'return', 'exit', 'break', 'continue', 'throw', 'data', 'dynamicparam', 'class', 'enum', 'using', 'default', 'parallel', 'sequence', 'inlinescript']);

export interface Bound {
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
  const exact = all.find((p) => p.toLowerCase() === w) ?? (spec.aliases && own(spec.aliases, w)) ?? own(COMMON_ALIASES, w);
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

export function bind(spec: CmdletSpec, cmd: PsCommand, splats: Splats): Bound {
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

export interface Splats {
  hashtables: Map<string, Map<string, Word | null>>;
  arrays: Map<string, Word[]>;
}

/** What a command name means: a cmdlet (canonical spelling), a keyword, or a native program. */
export function commandName(text: string): { kind: 'cmdlet' | 'keyword' | 'native'; name: string } {
  // Module-qualified: Microsoft.PowerShell.Management\Remove-Item.
  const unqualified = /^[\w.]+\\([A-Za-z]+-[A-Za-z]+)$/.exec(text)?.[1] ?? text;
  const lower = unqualified.toLowerCase();
  if (KEYWORDS.has(lower)) return { kind: 'keyword', name: lower };
  const alias = own(ALIASES, lower);
  if (alias) return { kind: 'cmdlet', name: alias };
  const canonical = CANONICAL.get(lower);
  if (canonical) return { kind: 'cmdlet', name: canonical };
  if (/^[A-Za-z]+-[A-Za-z][\w]*$/.test(unqualified) && !/[\\/.]/.test(unqualified)) return { kind: 'cmdlet', name: unqualified };
  return { kind: 'native', name: windowsProgram(unqualified) };
}
