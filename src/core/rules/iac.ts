// Infrastructure as code: terraform/tofu destroy, state rm, pulumi destroy, cdk destroy, serverless remove.

import { statSync } from 'node:fs';
import { Args, parseArgs } from '../parse/args';
import { readSavedPlan } from '../tfplan';
import type { Invocation } from '../parse/invocation';
import { defineRule, joinResources, RuleMatch, standIn } from './rule';
import { own } from '../own';

const TERRAFORMS = ['terraform', 'tofu', 'terragrunt'];

/** Options that take a value, for terraform/tofu and terragrunt's own (written here with one dash, see below). */
const TF_VALUES = [
  '-chdir', '-target', '-exclude', '-replace', '-var', '-var-file', '-state', '-state-out', '-backup', '-lock-timeout',
  '-parallelism', '-out', '-generate-config-out',
  '-terragrunt-working-dir', '-working-dir', '-terragrunt-config', '-config', '-terragrunt-tfpath', '-tf-path',
  '-terragrunt-iam-role', '-iam-assume-role', '-terragrunt-include-dir', '-queue-include-dir', '-terragrunt-exclude-dir',
  '-queue-exclude-dir', '-terragrunt-log-level', '-log-level', '-terragrunt-parallelism', '-terragrunt-source',
  '-source', '-out-dir', '-json-out-dir', '-filter',
];

interface TerraformCommand {
  /** `destroy`, `apply`, `state`, `workspace`… */
  sub: string;
  /** Positionals after the subcommand (`rm addr` for `state rm addr`). */
  words: string[];
  args: Args;
  /** Runs over every module below the folder (`terragrunt run-all`, `run --all`, `stack run`). */
  everyModule: boolean;
}

/** The terraform-style subcommand, past global options and terragrunt's `run-all` / `run --all` / `run --`. */
function terraformCommand(inv: Invocation): TerraformCommand | null {
  // Go's flag package reads `--auto-approve` as `-auto-approve`; terragrunt's `run -- destroy` passes the rest through.
  const argv = inv.args.filter((x) => inv.program !== 'terragrunt' || x !== '--').map((x) => (x.startsWith('--') && x.length > 2 ? x.slice(1) : x));
  const args = parseArgs(argv, { singleDashLong: true, values: TF_VALUES });
  let words = args.positionals;
  let everyModule = args.has('-all');
  if (inv.program === 'terragrunt') {
    if (words[0] === 'run-all') everyModule = true;
    if (words[0] === 'stack' && words[1] === 'run') {
      everyModule = true;
      words = words.slice(1);
    }
    if (words[0] === 'run' || words[0] === 'run-all') words = words.slice(1);
  }
  if (!words.length || args.has('-help', '-h')) return null;
  return { sub: words[0], words: words.slice(1), args, everyModule };
}

/** What names the whole configuration when no address does: the workspace, else the folder, else a stand-in. */
function terraformScope(inv: Invocation, args: Args, sub: string, everyModule = false): RuleMatch {
  const named = inv.env.TF_WORKSPACE || args.value('-chdir', '-terragrunt-working-dir', '-working-dir');
  // Nothing on the line names it: the working folder's selected workspace does (its folder for `default`, or run-all).
  return named ? { resource: named } : { resource: standIn(inv, sub), inPlace: everyModule ? 'folder' : 'terraform-workspace' };
}

/** A stand-in the working folder names better: the project or stack folder. */
function folderStandIn(inv: Invocation, sub: string): RuleMatch {
  return { resource: standIn(inv, sub), inPlace: 'folder' };
}

function terraformDestroy(inv: Invocation): RuleMatch | null {
  const t = terraformCommand(inv);
  if (!t || !(t.sub === 'destroy' || (t.sub === 'apply' && t.args.has('-destroy')))) return null;
  const targets = t.args.values('-target');
  const excluded = t.args.values('-exclude');
  const varFiles = t.args.values('-var-file');
  const detail = [excluded.length ? `except ${excluded.join(', ')}` : '', varFiles.length ? `with ${varFiles.join(', ')}` : '', t.everyModule ? 'in every module below this folder' : ''].filter(Boolean).join('; ');
  return {
    ...(targets.length ? { resource: joinResources(targets) } : terraformScope(inv, t.args, t.everyModule ? 'run-all destroy' : 'destroy', t.everyModule)),
    ...(t.everyModule ? { severity: 'catastrophic' as const } : {}),
    ...(detail ? { detail } : {}),
  };
}

const PULUMI_VALUES = [
  '-s', '--stack', '-C', '--cwd', '-t', '--target', '--exclude', '--config-file', '-p', '--parallel', '-m', '--message',
  '--secrets-provider', '--policy-pack', '--policy-pack-config', '--color', '--tracing', '-v', '--verbose', '--replace',
  '--target-replace', '--exec-kind', '--exec-agent', '--plan', '--client',
];

function pulumiArgs(inv: Invocation): Args | null {
  const a = inv.parsed({ values: PULUMI_VALUES });
  return a.has('-h', '--help') ? null : a;
}

function pulumiDestroy(inv: Invocation): RuleMatch | null {
  const a = pulumiArgs(inv);
  if (!a || !['destroy', 'down', 'dn'].includes(a.positionals[0]) || a.has('--preview-only')) return null;
  const targets = a.values('-t', '--target');
  return {
    ...(a.value('-s', '--stack') ? { resource: a.value('-s', '--stack')! } : folderStandIn(inv, 'destroy')),
    ...(targets.length ? { detail: `only ${targets.join(', ')}` } : a.has('--remove') ? { detail: 'and removes the stack itself' } : {}),
  };
}

const CDK_VALUES = [
  '-a', '--app', '-c', '--context', '--profile', '-o', '--output', '-r', '--role-arn', '-p', '--plugin',
  '--toolkit-stack-name', '--ca-bundle-path', '--proxy', '--build', '--concurrency', '--var', '--var-file', '--parallelism',
];

function cdkDestroy(inv: Invocation): RuleMatch | null {
  const a = inv.parsed({ values: CDK_VALUES });
  if (a.positionals[0] !== 'destroy' || a.has('-h', '--help')) return null;
  const stacks = a.positionals.slice(1);
  return stacks.length ? { resource: joinResources(stacks) } : a.has('--all') ? { resource: 'stacks:all' } : folderStandIn(inv, 'destroy');
}

function serverlessRemove(inv: Invocation): RuleMatch | null {
  const a = inv.parsed({ values: ['-s', '--stage', '-r', '--region', '-c', '--config', '--aws-profile', '--app', '--org', '--param'] });
  if (a.positionals[0] !== 'remove' || a.has('-h', '--help')) return null;
  return { ...(a.value('-s', '--stage') ? { resource: a.value('-s', '--stage')! } : folderStandIn(inv, 'remove')), ...(a.value('-r', '--region') ? { detail: `in ${a.value('-r', '--region')}` } : {}) };
}

function samDelete(inv: Invocation): RuleMatch | null {
  const a = inv.parsed({ values: ['--stack-name', '--region', '--profile', '--config-env', '--config-file', '--s3-bucket', '--s3-prefix'] });
  if (a.positionals[0] !== 'delete' || a.has('-h', '--help')) return null;
  return a.value('--stack-name') ? { resource: a.value('--stack-name')! } : folderStandIn(inv, 'delete');
}

const DESTROYERS: Record<string, (inv: Invocation) => RuleMatch | null> = {
  terraform: terraformDestroy,
  tofu: terraformDestroy,
  terragrunt: terraformDestroy,
  pulumi: pulumiDestroy,
  cdk: cdkDestroy,
  'aws-cdk': cdkDestroy,
  cdktf: cdkDestroy,
  serverless: serverlessRemove,
  sls: serverlessRemove,
  sst: serverlessRemove,
  sam: samDelete,
};

export const destroy = defineRule({
  id: 'iac.destroy',
  severity: 'destructive',
  summary: 'Destroys the cloud resources this configuration or stack manages',
  programs: Object.keys(DESTROYERS),
  match(inv) {
    return own(DESTROYERS, inv.program)?.(inv) ?? null;
  },
  examples: {
    gated: [
      ['terraform destroy -auto-approve', 'terraform destroy', [{ folder: 'infra', terraformWorkspace: 'staging' }, 'staging']],
      // The default workspace names nothing a person recognises: the folder does.
      ['terraform destroy', 'terraform destroy', [{ folder: 'infra', terraformWorkspace: 'default' }, 'infra']],
      ['tofu destroy', 'tofu destroy', [{ folder: 'network' }, 'network']],
      ['cd envs/prod && terraform destroy', 'terraform destroy', [{ folder: 'infra' }, 'terraform destroy']],
      ['ssh ops terraform destroy', 'terraform destroy', [{ folder: 'infra' }, 'terraform destroy']],
      ['terraform destroy -target=aws_db_instance.main -target=aws_s3_bucket.logs', 'aws_db_instance.main aws_s3_bucket.logs'],
      ['terraform -chdir=envs/prod destroy', 'envs/prod'],
      ['TF_WORKSPACE=staging tofu destroy --auto-approve', 'staging'],
      ['terraform apply -destroy -var-file=prod.tfvars', 'terraform destroy', [{ folder: 'infra', terraformWorkspace: 'prod' }, 'prod']],
      ['terragrunt run-all destroy --terragrunt-non-interactive', 'terragrunt run-all destroy', [{ folder: 'live', terraformWorkspace: 'x' }, 'live']],
      ['pulumi destroy --yes', 'pulumi destroy', [{ folder: 'shop-infra' }, 'shop-infra']],
      ['pulumi destroy --stack acme/prod --yes', 'acme/prod'],
      ['npx cdk destroy ApiStack --force', 'ApiStack'],
      ['npx aws-cdk destroy DataStack', 'DataStack'],
      ['cdk destroy --all', 'stacks:all'],
      ['npx serverless remove --stage prod', 'prod'],
      ['sam delete --stack-name orders-api --no-prompts', 'orders-api'],
    ],
    allowed: ['terraform plan -destroy', 'terraform apply', 'terraform destroy -help', 'pulumi destroy --preview-only', 'cdk diff', 'sls deploy --stage prod'],
  },
});

export const workspaceDelete = defineRule({
  id: 'iac.workspace-delete',
  severity: 'risky',
  summary: 'Deletes a workspace or stack and its state; forced, its resources are left running with nothing managing them',
  programs: [...TERRAFORMS, 'pulumi'],
  match(inv) {
    if (inv.program === 'pulumi') {
      const a = pulumiArgs(inv);
      if (!a || a.positionals[0] !== 'stack' || !['rm', 'remove'].includes(a.positionals[1])) return null;
      const stack = a.positionals[2] ?? a.value('-s', '--stack') ?? standIn(inv, 'stack rm');
      return { resource: stack, ...(a.has('-f', '--force') ? { severity: 'destructive' as const } : {}) };
    }
    const t = terraformCommand(inv);
    if (!t || t.sub !== 'workspace' || t.words[0] !== 'delete' || !t.words[1]) return null;
    return { resource: t.words[1], ...(t.args.has('-force') ? { severity: 'destructive' as const } : {}) };
  },
  examples: {
    gated: [
      ['terraform workspace delete feature-x', 'feature-x'],
      ['terraform workspace delete -force staging', 'staging'],
      ['pulumi stack rm acme/dev --yes', 'acme/dev'],
      ['pulumi stack rm --force -s prod', 'prod'],
    ],
    allowed: ['terraform workspace list', 'terraform workspace new feature-x', 'pulumi stack ls', 'pulumi stack select prod'],
  },
});

export const stateRemove = defineRule({
  id: 'iac.state-rm',
  severity: 'risky',
  summary: 'Removes resources from state: they keep running, but nothing manages them any more',
  programs: [...TERRAFORMS, 'pulumi'],
  match(inv) {
    if (inv.program === 'pulumi') {
      const a = pulumiArgs(inv);
      if (!a || a.positionals[0] !== 'state' || a.positionals[1] !== 'delete') return null;
      const urns = a.positionals.slice(2);
      return { resource: urns.length ? joinResources(urns) : (a.value('-s', '--stack') ?? standIn(inv, 'state delete')) };
    }
    const t = terraformCommand(inv);
    if (!t || t.sub !== 'state' || t.words[0] !== 'rm' || t.args.has('-dry-run')) return null;
    const addresses = t.words.slice(1);
    return addresses.length ? { resource: joinResources(addresses) } : null;
  },
  examples: {
    gated: [
      ['terraform state rm aws_instance.web', 'aws_instance.web'],
      ["tofu state rm 'module.db.aws_db_instance.main' module.db.random_password.pw", 'module.db.aws_db_instance.main module.db.random_password.pw'],
      ["pulumi state delete 'urn:pulumi:prod::shop::aws:s3/bucket:Bucket::assets' --yes", 'urn:pulumi:prod::shop::aws:s3/bucket:Bucket::assets'],
    ],
    allowed: ['terraform state list', 'terraform state rm -dry-run aws_instance.web', 'terraform state show aws_instance.web'],
  },
});

export const statePush = defineRule({
  id: 'iac.state-push',
  severity: 'risky',
  summary: 'Overwrites the remote state with a local file; forced, it can roll the state back',
  programs: TERRAFORMS,
  match(inv) {
    const t = terraformCommand(inv);
    if (!t || t.sub !== 'state' || t.words[0] !== 'push' || !t.words[1]) return null;
    return { resource: t.words[1], ...(t.args.has('-force') ? { severity: 'destructive' as const } : {}) };
  },
  examples: {
    gated: [
      ['terraform state push terraform.tfstate', 'terraform.tfstate'],
      ['terraform state push -force backup/old.tfstate', 'backup/old.tfstate'],
    ],
    allowed: ['terraform state pull', 'terraform state pull > backup.tfstate'],
  },
});

export const forceUnlock = defineRule({
  id: 'iac.force-unlock',
  severity: 'risky',
  summary: 'Breaks the state lock another run may still hold, which can corrupt the state',
  programs: TERRAFORMS,
  match(inv) {
    const t = terraformCommand(inv);
    if (!t || t.sub !== 'force-unlock') return null;
    return { resource: t.words[0] ?? standIn(inv, 'force-unlock') };
  },
  examples: {
    gated: [
      ['terraform force-unlock -force 6638a4b2-5c4d-e8f1-0a3b-1f2e3d4c5b6a', '6638a4b2-5c4d-e8f1-0a3b-1f2e3d4c5b6a'],
      ['tofu force-unlock 1a2b3c', '1a2b3c'],
    ],
    allowed: ['terraform force-unlock -help', 'terraform init -lock=false'],
  },
});

export const taint = defineRule({
  id: 'iac.taint',
  severity: 'risky',
  summary: 'Marks a resource to be destroyed and recreated on the next apply',
  programs: TERRAFORMS,
  match(inv) {
    const t = terraformCommand(inv);
    if (!t || t.sub !== 'taint' || !t.words.length) return null;
    return { resource: joinResources(t.words) };
  },
  examples: {
    gated: [
      ['terraform taint aws_instance.web', 'aws_instance.web'],
      ["terraform taint 'module.db.aws_db_instance.this[0]'", 'module.db.aws_db_instance.this[0]'],
    ],
    allowed: ['terraform untaint aws_instance.web', 'terraform show'],
  },
});

export const replace = defineRule({
  id: 'iac.replace',
  severity: 'destructive',
  summary: 'Destroys and recreates a resource, losing the data it holds',
  programs: [...TERRAFORMS, 'pulumi'],
  match(inv) {
    if (inv.program === 'pulumi') {
      const a = pulumiArgs(inv);
      if (!a || !['up', 'update'].includes(a.positionals[0])) return null;
      const urns = a.values('--replace', '--target-replace');
      return urns.length ? { resource: joinResources(urns) } : null;
    }
    const t = terraformCommand(inv);
    if (!t || t.sub !== 'apply' || t.args.has('-destroy')) return null;
    const addresses = t.args.values('-replace');
    return addresses.length ? { resource: joinResources(addresses) } : null;
  },
  examples: {
    gated: [
      ['terraform apply -replace=aws_db_instance.main', 'aws_db_instance.main'],
      ['tofu apply -auto-approve -replace "aws_instance.web[1]"', 'aws_instance.web[1]'],
      ['pulumi up --yes --replace urn:pulumi:prod::shop::aws:rds/instance:Instance::db', 'urn:pulumi:prod::shop::aws:rds/instance:Instance::db'],
    ],
    allowed: ['terraform plan -replace=aws_db_instance.main', 'pulumi up --target urn:pulumi:dev::shop::aws:s3/bucket:Bucket::logs'],
  },
});

export const autoApprove = defineRule({
  id: 'iac.auto-approve',
  severity: 'risky',
  summary: 'Applies infrastructure changes without anyone reviewing the plan, which may replace or delete resources',
  programs: [...TERRAFORMS, 'pulumi'],
  match(inv) {
    if (inv.program === 'pulumi') {
      const a = pulumiArgs(inv);
      if (!a || !['up', 'update'].includes(a.positionals[0]) || !a.has('-y', '--yes') || a.has('--replace', '--target-replace')) return null;
      return a.value('-s', '--stack') ? { resource: a.value('-s', '--stack')! } : folderStandIn(inv, 'up');
    }
    const t = terraformCommand(inv);
    // A saved plan file was already shown by `plan`; destroy and -replace have their own rules.
    if (!t || t.sub !== 'apply' || !t.args.has('-auto-approve') || t.words.length || t.args.has('-destroy', '-replace')) return null;
    return terraformScope(inv, t.args, 'apply');
  },
  examples: {
    gated: [
      ['terraform apply -auto-approve', 'terraform apply', [{ folder: 'infra', terraformWorkspace: 'prod' }, 'prod']],
      ['terraform -chdir=infra/prod apply --auto-approve -var-file=prod.tfvars', 'infra/prod'],
      ['pulumi up -y -s acme/prod', 'acme/prod'],
    ],
    allowed: ['terraform apply', 'terraform apply -auto-approve tfplan', 'pulumi up', 'pulumi preview -s prod'],
  },
});

export const applySavedPlan = defineRule({
  id: 'iac.apply-saved-plan',
  severity: 'risky',
  summary: 'Applies a saved plan that destroys resources, or one that could not be read (terraform show PLAN lists it)',
  programs: TERRAFORMS,
  match(inv) {
    const t = terraformCommand(inv);
    if (!t || t.sub !== 'apply' || t.args.has('-destroy') || !t.words[0]) return null;
    const file = t.words[0];
    const site = inv.site;
    const abs = site?.resolve(file);
    // Terraform before 0.15 took a configuration folder here.
    if (site && abs !== undefined && !site.isFile(abs) && isFolder(abs)) return null;
    const plan = abs === undefined ? undefined : readSavedPlan(abs);
    if (!plan) return { resource: file, detail: 'a saved plan that could not be read: made with plan -destroy, applying it destroys' };
    if (!plan.destroyMode && !plan.destroys.length) return null;
    const shown = plan.destroys.slice(0, 3).join(', ') + (plan.destroys.length > 3 ? ` and ${plan.destroys.length - 3} more` : '');
    const what = plan.destroyMode ? `a destroy plan${shown ? `: ${shown}` : ''}` : `destroys or replaces ${shown}`;
    return { resource: file, severity: 'destructive', detail: what };
  },
  // The plans are read from the repository's root (test/fixtures/overwrites, made by test/unit/overwrites.test.ts's writer).
  examples: {
    gated: [
      ['terraform apply p', 'p'],
      ['terraform plan -destroy -out p && terraform apply p', 'p'],
      ['tofu apply -auto-approve prod.tfplan', 'prod.tfplan'],
      ['terraform -chdir=envs/prod apply tfplan', 'tfplan'],
      ['terraform apply test/fixtures/overwrites/destroy.tfplan', 'test/fixtures/overwrites/destroy.tfplan'],
      ['terraform apply test/fixtures/overwrites/replace.tfplan', 'test/fixtures/overwrites/replace.tfplan'],
    ],
    allowed: ['terraform apply', 'terraform apply -auto-approve', 'terraform plan -out p', 'terraform show p', 'terraform apply -var-file=prod.tfvars', 'terraform apply test', 'terraform apply test/fixtures/overwrites/create.tfplan'],
  },
});

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
