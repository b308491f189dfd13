// Cloud CLIs (aws, gcloud, gsutil, bq, az, doctl, and the storage clients s3cmd, rclone, mc): delete, terminate, remove-bucket, recursive rm.
//
// Each CLI's command is read once into a Deletion (what kind of thing goes, its name, how bad), and one rule per
// kind decides: a person reads "Deletes a managed database" whichever CLI asked. What no table names falls to the
// CLI's own catch-all (cloud.aws-delete, cloud.gcloud-delete, …).

import type { ArgSpec } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import type { Severity } from '../types';
import { AWS_ARGS, awsDeletion, awsParameters, isLocalEndpoint } from './cloudAws';
import { AZ_ARGS, azDeletion } from './cloudAzure';
import type { Deletion, Target } from './cloudDeletion';
import { doctlDeletion } from './cloudDigitalOcean';
import { bqDeletion, GCLOUD_ARGS, gcloudDeletion, gsutilDeletion, RELEASE_TRACKS } from './cloudGoogle';
import { mcDeletion, rcloneDeletion, s3cmdDeletion } from './cloudStorage';
import { defineRule, GatedExample, joinResources, RuleMatch, standIn } from './rule';
import { own } from '../own';

// ---------------------------------------------------------------------------------------------------------------
// The rules

const READERS: Record<string, (inv: Invocation) => Deletion | null> = {
  aws: awsDeletion,
  gcloud: gcloudDeletion,
  gsutil: gsutilDeletion,
  bq: bqDeletion,
  az: azDeletion,
  doctl: doctlDeletion,
  s3cmd: s3cmdDeletion,
  rclone: rcloneDeletion,
  mc: mcDeletion,
};

const CLOUD_CLIS = Object.keys(READERS);

function cloudDeletion(inv: Invocation): Deletion | null {
  return own(READERS, inv.program)?.(inv) ?? null;
}

function deletionRule(
  id: string,
  severity: Severity,
  summary: string,
  target: Target,
  programs: readonly string[],
  examples: { gated: GatedExample[]; allowed: string[] },
) {
  return defineRule({
    id,
    severity,
    summary,
    programs,
    match(inv) {
      const d = cloudDeletion(inv);
      if (!d || d.target !== target) return null;
      return { resource: d.resource, severity: d.severity, detail: d.detail };
    },
    examples,
  });
}

export const projectDelete = deletionRule(
  'cloud.project-delete',
  'catastrophic',
  'Deletes a whole project, account, resource group or stack, with everything in it',
  'project',
  ['aws', 'gcloud', 'az'],
  {
    gated: [
      ['gcloud projects delete acme-prod', 'acme-prod'],
      ['az group delete --name rg-prod --yes --no-wait', 'rg-prod'],
      ['az group delete -g rg-staging -y', 'rg-staging'],
      ['aws cloudformation delete-stack --stack-name api-prod --region eu-west-1', 'api-prod'],
      ['aws organizations close-account --account-id 123456789012', '123456789012'],
    ],
    allowed: ['gcloud projects describe acme-prod', 'az group list -o table', 'aws cloudformation describe-stacks --stack-name api-prod', 'az group show -n rg-prod'],
  },
);

export const clusterDelete = deletionRule(
  'cloud.cluster-delete',
  'catastrophic',
  'Deletes a whole Kubernetes cluster and everything running in it',
  'cluster',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws eks delete-cluster --name prod-cluster', 'prod-cluster'],
      ['gcloud container clusters delete prod-gke --region us-central1 --quiet', 'prod-gke'],
      ['az aks delete -g rg-prod -n aks-prod --yes', 'aks-prod'],
      ['doctl kubernetes cluster delete k8s-prod --force', 'k8s-prod'],
      ['doctl k8s c rm k8s-old --dangerous', 'k8s-old'],
    ],
    allowed: ['aws eks describe-cluster --name prod-cluster', 'gcloud container clusters get-credentials prod-gke --region us-central1', 'doctl kubernetes cluster list'],
  },
);

export const databaseDelete = deletionRule(
  'cloud.database-delete',
  'destructive',
  'Deletes a managed database and the data in it',
  'database',
  CLOUD_CLIS,
  {
    gated: [
      ['aws rds delete-db-instance --db-instance-identifier orders-prod --final-db-snapshot-identifier orders-final', 'orders-prod'],
      ['aws rds delete-db-instance --db-instance-identifier orders-prod --skip-final-snapshot', 'orders-prod'],
      ['aws rds delete-db-cluster --db-cluster-identifier aurora-prod --skip-final-snapshot --delete-automated-backups', 'aurora-prod'],
      ['aws dynamodb delete-table --table-name Sessions', 'Sessions'],
      ['gcloud sql instances delete prod-pg', 'prod-pg'],
      ['gcloud sql databases delete app --instance=prod-pg', 'app'],
      ['az sql server delete -g rg-prod -n sql-prod --yes', 'sql-prod'],
      ['doctl databases delete f81d4fae-7dec-11d0-a765-00a0c91e6bf6 --force', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'],
      ['bq rm -r -f -d analytics', 'analytics'],
    ],
    allowed: ['aws rds describe-db-instances', 'aws dynamodb scan --table-name Sessions', 'gcloud sql instances list', 'az sql db show -g rg -s sql-prod -n app', 'bq ls analytics'],
  },
);

export const instanceDelete = deletionRule(
  'cloud.instance-delete',
  'destructive',
  'Deletes virtual machines, and with them whatever is on their local disks',
  'instance',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws ec2 terminate-instances --instance-ids i-0abc123 i-0def456', 'i-0abc123 i-0def456'],
      ['gcloud compute instances delete web-1 web-2 --zone us-central1-a', 'web-1 web-2'],
      ['az vm delete -g rg-prod -n vm-web --yes', 'vm-web'],
      ['doctl compute droplet delete 386734086 -f', '386734086'],
    ],
    allowed: ['aws ec2 describe-instances --instance-ids i-0abc123', 'aws ec2 terminate-instances --instance-ids i-0abc123 --dry-run', 'aws ec2 stop-instances --instance-ids i-0abc123', 'gcloud compute instances list'],
  },
);

export const volumeDelete = deletionRule(
  'cloud.volume-delete',
  'destructive',
  'Deletes a disk, volume or file system and the data on it',
  'volume',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws ec2 delete-volume --volume-id vol-049df61146c4d7901', 'vol-049df61146c4d7901'],
      ['aws efs delete-file-system --file-system-id fs-0123456789abcdef0', 'fs-0123456789abcdef0'],
      ['gcloud compute disks delete pg-data --zone europe-west1-b', 'pg-data'],
      ['doctl compute volume delete 7724db7c-e098-11e5-b522-000f53304e51', '7724db7c-e098-11e5-b522-000f53304e51'],
    ],
    allowed: ['aws ec2 describe-volumes', 'aws ec2 create-snapshot --volume-id vol-049df61146c4d7901', 'gcloud compute disks list'],
  },
);

export const backupDelete = deletionRule(
  'cloud.backup-delete',
  'destructive',
  'Deletes a backup or snapshot, the copy a restore would come from',
  'backup',
  ['aws', 'gcloud', 'az', 'doctl'],
  {
    gated: [
      ['aws ec2 delete-snapshot --snapshot-id snap-1234567890abcdef0', 'snap-1234567890abcdef0'],
      ['aws rds delete-db-snapshot --db-snapshot-identifier orders-2024-01-01', 'orders-2024-01-01'],
      ['aws backup delete-recovery-point --backup-vault-name prod-vault --recovery-point-arn arn:aws:backup:us-east-1:123:recovery-point:1', 'arn:aws:backup:us-east-1:123:recovery-point:1'],
      ['aws backup delete-backup-vault --backup-vault-name prod-vault', 'prod-vault'],
      ['gcloud sql backups delete 1700000000000 --instance=prod-pg', '1700000000000'],
    ],
    allowed: ['aws ec2 describe-snapshots --owner-ids self', 'aws backup list-recovery-points-by-backup-vault --backup-vault-name prod-vault', 'gcloud sql backups list --instance=prod-pg'],
  },
);

export const secretDelete = deletionRule(
  'cloud.secret-delete',
  'destructive',
  'Deletes an encryption key or secret; whatever depends on it stops working, and encrypted data may become unreadable',
  'secret',
  ['aws', 'gcloud', 'az'],
  {
    gated: [
      ['aws kms schedule-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --pending-window-in-days 7', '1234abcd-12ab-34cd-56ef-1234567890ab'],
      ['aws secretsmanager delete-secret --secret-id prod/db --force-delete-without-recovery', 'prod/db'],
      ['aws secretsmanager delete-secret --secret-id prod/api-key', 'prod/api-key'],
      ['gcloud secrets delete stripe-key --quiet', 'stripe-key'],
      ['az keyvault purge --name kv-prod', 'kv-prod'],
      ['az keyvault secret delete --vault-name kv-prod --name db-password', 'kv-prod/db-password'],
    ],
    allowed: ['aws kms cancel-key-deletion --key-id 1234abcd', 'aws secretsmanager get-secret-value --secret-id prod/db', 'gcloud secrets versions access latest --secret stripe-key', 'az keyvault secret show --vault-name kv-prod -n db-password'],
  },
);

export const bucketDelete = deletionRule(
  'cloud.bucket-delete',
  'destructive',
  'Deletes a storage bucket or account, with anything still in it; a freed bucket name can be claimed by anyone',
  'bucket',
  ['aws', 'gcloud', 'gsutil', 'az', 's3cmd', 'mc'],
  {
    gated: [
      ['aws s3 rb s3://acme-uploads', 's3://acme-uploads'],
      ['aws s3 rb s3://acme-uploads --force', 's3://acme-uploads'],
      ['aws s3api delete-bucket --bucket acme-logs', 's3://acme-logs'],
      ['gsutil rb gs://acme-tmp', 'gs://acme-tmp'],
      ['gsutil -m rm -r gs://acme-assets', 'gs://acme-assets'],
      ['gcloud storage buckets delete gs://acme-tmp', 'gs://acme-tmp'],
      ['az storage account delete -n acmeprodstore -g rg-prod --yes', 'acmeprodstore'],
      ['s3cmd rb s3://acme-uploads --recursive --force', 's3://acme-uploads'],
      ['mc rb --force prod/acme-uploads', 'prod/acme-uploads'],
    ],
    allowed: ['aws s3 mb s3://acme-uploads', 'aws s3 ls s3://acme-uploads', 'gsutil ls gs://acme-assets', 'gcloud storage buckets describe gs://acme-tmp'],
  },
);

export const storageRecursiveDelete = deletionRule(
  'cloud.storage-recursive-delete',
  'destructive',
  'Deletes every object under a bucket path',
  'prefix',
  ['aws', 'gcloud', 'gsutil', 'az', 's3cmd', 'rclone', 'mc'],
  {
    gated: [
      ['aws s3 rm s3://acme-uploads/tenants/42/ --recursive', 's3://acme-uploads/tenants/42/'],
      ['aws s3 rm --recursive s3://acme-backups', 's3://acme-backups'],
      ['gsutil -m rm -r gs://acme-assets/v1', 'gs://acme-assets/v1'],
      ['gcloud storage rm gs://acme-assets/cache/**', 'gs://acme-assets/cache/**'],
      ['az storage blob delete-batch -s uploads --account-name acmeprodstore --pattern "2023/*"', 'uploads'],
      ['s3cmd del --recursive --force s3://acme-uploads', 's3://acme-uploads'],
      ['rclone purge prod:acme-uploads', 'prod:acme-uploads'],
      ['rclone delete prod:acme-uploads/tenants/42 --include "*.csv"', 'prod:acme-uploads/tenants/42'],
      ['mc rm -r --force prod/acme-uploads/tenants', 'prod/acme-uploads/tenants'],
    ],
    allowed: ['rclone ls prod:acme-uploads', 'rclone purge prod:acme-uploads --dry-run', 's3cmd ls s3://acme-uploads', 'mc ls prod/acme-uploads', 'aws s3 cp s3://acme-uploads/a.txt .', 'aws s3 rm s3://acme-uploads/ --recursive --dryrun', 'aws --endpoint-url http://localhost:4566 s3 rm s3://test --recursive', 'gsutil ls -r gs://acme-assets/v1'],
  },
);

export const storageObjectDelete = deletionRule(
  'cloud.storage-object-delete',
  'risky',
  'Deletes objects from a storage bucket',
  'object',
  ['aws', 'gcloud', 'gsutil', 'az', 's3cmd', 'rclone', 'mc'],
  {
    gated: [
      ['aws s3 rm s3://acme-uploads/invoices/2024-01.pdf', 's3://acme-uploads/invoices/2024-01.pdf'],
      ['aws s3api delete-object --bucket acme-uploads --key reports/q1.csv', 's3://acme-uploads/reports/q1.csv'],
      ['aws s3api delete-objects --bucket acme-uploads --delete file://keys.json', 's3://acme-uploads'],
      ['gsutil rm gs://acme-assets/logo.png', 'gs://acme-assets/logo.png'],
      ['az storage blob delete -c uploads -n avatar.png --account-name acmeprodstore', 'uploads/avatar.png'],
      ['s3cmd del s3://acme-uploads/invoices/2024-01.pdf', 's3://acme-uploads/invoices/2024-01.pdf'],
      ['rclone deletefile prod:acme-uploads/logo.png', 'prod:acme-uploads/logo.png'],
      ['mc rm prod/acme-uploads/logo.png', 'prod/acme-uploads/logo.png'],
    ],
    allowed: ['aws s3 cp report.csv s3://acme-uploads/reports/', 'aws s3api get-object --bucket acme-uploads --key reports/q1.csv out.csv', 'gsutil cp logo.png gs://acme-assets/'],
  },
);

export const storageSyncDelete = deletionRule(
  'cloud.storage-sync-delete',
  'destructive',
  'Makes the destination match the source by deleting whatever exists only at the destination',
  'mirror',
  ['aws', 'gcloud', 'gsutil', 's3cmd', 'rclone', 'mc'],
  {
    gated: [
      ['aws s3 sync ./dist s3://acme-site --delete', 's3://acme-site'],
      ['gsutil -m rsync -r -d ./public gs://acme-site', 'gs://acme-site'],
      ['gcloud storage rsync ./public gs://acme-site --recursive --delete-unmatched-destination-objects', 'gs://acme-site'],
      ['s3cmd sync ./public/ s3://acme-site --delete-removed', 's3://acme-site'],
      ['rclone sync ./public prod:acme-site', 'prod:acme-site'],
      ['mc mirror --remove ./public prod/acme-site', 'prod/acme-site'],
    ],
    allowed: ['rclone copy ./public prod:acme-site', 'rclone sync ./public prod:acme-site --dry-run', 's3cmd sync ./public/ s3://acme-site', 'mc mirror ./public prod/acme-site', 'aws s3 sync ./dist s3://acme-site', 'aws s3 sync ./dist s3://acme-site --delete --dryrun', 'gsutil rsync -n -d -r ./public gs://acme-site'],
  },
);

export const awsDelete = deletionRule(
  'cloud.aws-delete',
  'destructive',
  'Deletes or terminates an AWS resource',
  'other',
  ['aws'],
  {
    gated: [
      ['aws lambda delete-function --function-name resize-images', 'resize-images'],
      ['aws ecr delete-repository --repository-name api --force', 'api'],
      ['aws route53 delete-hosted-zone --id Z1D633PJN98FT9', 'Z1D633PJN98FT9'],
      ['aws iam delete-role --role-name deploy-bot', 'deploy-bot'],
      ['aws logs delete-log-group --log-group-name /aws/lambda/resize-images', '/aws/lambda/resize-images'],
      ['aws sns delete-topic --topic-arn arn:aws:sns:us-east-1:123:orders', 'arn:aws:sns:us-east-1:123:orders'],
      ['aws sqs purge-queue --queue-url https://sqs.us-east-1.amazonaws.com/123/jobs', 'https://sqs.us-east-1.amazonaws.com/123/jobs'],
    ],
    allowed: ['aws lambda list-functions', 'aws iam get-role --role-name deploy-bot', 'aws ec2 delete-tags --resources i-0abc --tags Key=env', 'aws lambda delete-function help', 'aws sts get-caller-identity'],
  },
);

export const gcloudDelete = deletionRule(
  'cloud.gcloud-delete',
  'destructive',
  'Deletes a Google Cloud resource',
  'other',
  ['gcloud'],
  {
    gated: [
      ['gcloud run services delete api --region us-central1 --quiet', 'api'],
      ['gcloud functions delete resize --gen2 --region=us-east1', 'resize'],
      ['gcloud beta pubsub topics delete orders', 'orders'],
    ],
    allowed: ['gcloud run services describe api --region us-central1', 'gcloud functions list', 'gcloud help run services delete', 'gcloud run services delete --help'],
  },
);

export const azDelete = deletionRule(
  'cloud.az-delete',
  'destructive',
  'Deletes an Azure resource',
  'other',
  ['az'],
  {
    gated: [
      ['az webapp delete -g rg-prod -n acme-web', 'acme-web'],
      ['az network vnet delete --ids /subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', '/subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v'],
    ],
    allowed: ['az webapp list -g rg-prod', 'az webapp show -g rg-prod -n acme-web', 'az webapp delete --help'],
  },
);

export const doctlDelete = deletionRule(
  'cloud.doctl-delete',
  'destructive',
  'Deletes a DigitalOcean resource',
  'other',
  ['doctl'],
  {
    gated: [
      ['doctl apps delete 5a4a3c1f-0000-4d3c-9d4a-1b2c3d4e5f60 --force', '5a4a3c1f-0000-4d3c-9d4a-1b2c3d4e5f60'],
      ['doctl compute domain delete example.com', 'example.com'],
    ],
    allowed: ['doctl apps list', 'doctl compute droplet list --format ID,Name', 'doctl compute ssh web-1'],
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Settings that delete: no deletion verb, but the data or its backups go all the same.

/** A lifecycle document (S3 or GCS) read from `file://…` or given inline; undefined when it cannot be read. */
function lifecycleText(inv: Invocation, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const file = /^(file|fileb):\/\/(.+)$/.exec(value)?.[2] ?? (inv.program === 'aws' ? undefined : value);
  if (file === undefined) return value;
  const abs = inv.site?.resolve(file);
  const r = abs === undefined ? undefined : inv.site!.read(abs);
  return r?.ok ? r.text : undefined;
}

/** Whether a lifecycle document expires or deletes objects (S3 `Expiration`, GCS `"type": "Delete"`); unknown counts. */
function lifecycleDeletes(text: string | undefined): boolean {
  return text === undefined || /Expiration|"?type"?\s*[:=]\s*"?Delete/i.test(text);
}

/** What a setting change deletes, per CLI; null when it deletes nothing. */
function deletingSetting(inv: Invocation): RuleMatch | null {
  if (inv.program === 'aws') {
    const a = inv.parsed(AWS_ARGS);
    const [service, operation] = a.positionals;
    if (!operation || a.has('--help', '--dry-run', '--generate-cli-skeleton') || isLocalEndpoint(a.value('--endpoint-url'))) return null;
    const p = awsParameters(inv.args.slice(a.positionalIndex[1] + 1));
    const key = `${service} ${operation}`;
    if (/^(rds|docdb|neptune) modify-db-(instance|cluster)$/.test(key) && p.get('--backup-retention-period')?.[0] === '0') {
      return { resource: p.get('--db-instance-identifier')?.[0] ?? p.get('--db-cluster-identifier')?.[0] ?? standIn(inv, operation), detail: 'backup retention 0: the automated backups are deleted and no more are taken' };
    }
    if (key === 's3api put-bucket-lifecycle-configuration' || key === 's3api put-bucket-lifecycle') {
      const text = lifecycleText(inv, p.get('--lifecycle-configuration')?.[0]);
      if (!lifecycleDeletes(text)) return null;
      const bucket = p.get('--bucket')?.[0];
      return { resource: bucket ? `s3://${bucket}` : standIn(inv, operation), detail: text === undefined ? 'the lifecycle rules could not be read' : 'a lifecycle rule expires (deletes) objects' };
    }
    if (key === 'dynamodb update-continuous-backups' && /PointInTimeRecoveryEnabled\s*[=:]\s*false/i.test(inv.args.join(' '))) {
      return { resource: p.get('--table-name')?.[0] ?? standIn(inv, operation), detail: 'point-in-time recovery off: its continuous backups are deleted' };
    }
    return null;
  }
  if (inv.program === 'az') {
    const a = inv.parsed(AZ_DEPLOY_ARGS);
    const words = a.positionals;
    const deployment = (words[0] === 'deployment' && words[1] === 'group') || (words[0] === 'group' && words[1] === 'deployment');
    if (!deployment || !['create', 'update'].includes(words[2]) || a.has('--help', '-h', '--what-if', '-w', '--validate')) return null;
    if ((a.value('--mode') ?? '').toLowerCase() !== 'complete') return null;
    return { resource: a.value('-g', '--resource-group') ?? standIn(inv, 'deployment'), detail: 'Complete mode deletes every resource in the group that the template does not name' };
  }
  if (inv.program === 'gsutil') {
    const a = inv.parsed(GSUTIL_LIFECYCLE_ARGS);
    const [verb, sub, file, ...buckets] = a.positionals;
    if (verb !== 'lifecycle' || sub !== 'set' || !lifecycleDeletes(lifecycleText(inv, file))) return null;
    return { resource: buckets.length ? joinResources(buckets) : standIn(inv, 'lifecycle set'), detail: 'a lifecycle rule deletes objects' };
  }
  if (inv.program === 'gcloud') {
    const a = inv.parsed(GCLOUD_ARGS);
    const words = RELEASE_TRACKS.has(a.positionals[0]) ? a.positionals.slice(1) : a.positionals;
    if (words[0] !== 'storage' || words[1] !== 'buckets' || words[2] !== 'update') return null;
    const file = inv.args.find((x) => x.startsWith('--lifecycle-file='))?.slice('--lifecycle-file='.length) ?? inv.args[inv.args.indexOf('--lifecycle-file') + 1];
    if (!inv.args.some((x) => x.startsWith('--lifecycle-file')) || !lifecycleDeletes(lifecycleText(inv, file))) return null;
    return { resource: words[3] ?? standIn(inv, 'buckets update'), detail: 'a lifecycle rule deletes objects' };
  }
  return null;
}

const AZ_DEPLOY_ARGS: ArgSpec = { values: [...(AZ_ARGS.values ?? []), '--mode', '-f', '--template-file', '-u', '--template-uri', '-p', '--parameters', '--template-spec', '--rollback-on-error', '--query-string', '--handle-extended-json-format'] };
const GSUTIL_LIFECYCLE_ARGS: ArgSpec = { values: ['-o', '-h', '-p', '-u'] };

export const deletingSettingRule = defineRule({
  id: 'cloud.deleting-setting',
  severity: 'destructive',
  summary: 'Changes a setting that deletes data or its backups (retention 0, lifecycle expiry, a Complete-mode deployment)',
  programs: ['aws', 'az', 'gsutil', 'gcloud'],
  match: deletingSetting,
  // The lifecycle files are read from the repository's root (test/fixtures).
  examples: {
    gated: [
      ['aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 0 --apply-immediately', 'prod'],
      ['aws s3api put-bucket-lifecycle-configuration --bucket prod --lifecycle-configuration file://expire.json', 's3://prod'],
      ['aws s3api put-bucket-lifecycle-configuration --bucket logs --lifecycle-configuration file://test/fixtures/overwrites/lifecycle-expire.json', 's3://logs'],
      ['aws dynamodb update-continuous-backups --table-name orders --point-in-time-recovery-specification PointInTimeRecoveryEnabled=false', 'orders'],
      ['az deployment group create -g prod --mode Complete -f empty.json', 'prod'],
      ['az deployment group create --resource-group shop --template-file main.bicep --mode complete', 'shop'],
      ['gsutil lifecycle set test/fixtures/overwrites/lifecycle-expire.json gs://logs', 'gs://logs'],
      ['gcloud storage buckets update gs://logs --lifecycle-file=test/fixtures/overwrites/lifecycle-expire.json', 'gs://logs'],
    ],
    allowed: [
      'aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 7',
      'aws s3api put-bucket-lifecycle-configuration --bucket logs --lifecycle-configuration file://test/fixtures/overwrites/lifecycle-transition.json',
      'az deployment group create -g prod -f main.bicep',
      'az deployment group create -g prod --mode Incremental -f main.bicep',
      'az deployment group what-if -g prod --mode Complete -f main.bicep',
      'gsutil lifecycle get gs://logs',
      'aws s3api get-bucket-lifecycle-configuration --bucket prod',
    ],
  },
});
