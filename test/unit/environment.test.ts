import * as assert from 'node:assert/strict';
import { detectTier, stricterTier, tierFromName } from '../../src/core/environment';

describe('environment detection', () => {
  it('reads tiers from names people use', () => {
    assert.equal(tierFromName('prod-eu-west'), 'production');
    assert.equal(tierFromName('gke_acme_live'), 'production');
    assert.equal(tierFromName('staging'), 'staging');
    assert.equal(tierFromName('dev'), 'development');
    assert.equal(tierFromName('product-catalog'), undefined);
  });

  it('takes the strictest signal and shows the evidence', () => {
    const d = detectTier({ files: ['.env.development', '.env.production', '.env.example'], kubeContext: 'staging-cluster', gitBranch: 'main' });
    assert.equal(d.tier, 'production');
    assert.deepEqual(d.evidence, ['.env.production is in the workspace', '.env.development is in the workspace (development)', 'kubectl context is "staging-cluster" (staging)']);
    assert.equal(detectTier({ files: [], terraformWorkspace: 'prod\n' }).tier, 'production');
    assert.equal(detectTier({ files: [], gitBranch: 'release/2.4' }).tier, 'production');
  });

  it('says unknown, and how to label, when nothing points anywhere', () => {
    const d = detectTier({ files: ['package.json', '.env.example'], gitBranch: 'feature/x' });
    assert.equal(d.tier, 'unknown');
    assert.match(d.evidence[0], /agentGuard\.environment/);
    assert.equal(stricterTier('development', 'unknown'), 'development');
  });
});
