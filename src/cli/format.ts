// How a decision reads to a person in a terminal.

import type { Decision } from '../core/types';

const LABEL = { allow: 'ALLOWED', confirm: 'HELD', deny: 'REFUSED' } as const;

export function formatDecision(d: Decision): string {
  const tier = d.freeze ? `${d.tier}, frozen` : d.tier;
  const lines = [`${LABEL[d.decision]} (${tier})${d.rules.length ? ' — ' + d.rules.join(', ') : ''}`, `  ${d.reason}`];
  if (d.decision !== 'allow') {
    lines.push(`  command: ${d.command}`);
    for (const f of d.findings.filter((x) => d.rules.includes(x.rule))) {
      if (f.detail) lines.push(`  ${f.rule}: ${f.detail}`);
    }
    if (d.decision === 'confirm' && d.resource) lines.push(`  a person approves by typing: ${d.resource}`);
  }
  return lines.join('\n');
}
