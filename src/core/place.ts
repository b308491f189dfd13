// Where a command runs names some resources better than its words: `terraform destroy` destroys this folder's
// workspace, `git push -f` rewrites the current branch. Rules say which fact names their resource (data, so decisions
// still cross threads); the caller that knows the working folder reads the facts and renames. Nothing here reads files.

import type { Decision, Finding } from './types';

/** Which fact of the working folder names a rule's resource better than the command's own words. */
export const PLACE_FACTS = ['git-branch', 'git-repository', 'terraform-workspace', 'npm-package', 'folder'] as const;
export type PlaceFact = (typeof PLACE_FACTS)[number];

/** What the caller read about the working folder; a fact it could not read is left out. */
export interface Place {
  /** The working folder's own name (`infra`, not the path). */
  folder?: string;
  /** The checked-out branch; absent on a detached HEAD or outside a repository. */
  gitBranch?: string;
  /** The repository `origin` points at, as `owner/name` (what `gh repo delete` with no name deletes). */
  gitRepository?: string;
  /** The selected Terraform/OpenTofu workspace (`.terraform/environment`); absent when none was ever selected. */
  terraformWorkspace?: string;
  /** The folder's package, `name@version` from its package.json (what `npm unpublish` with no name removes). */
  npmPackage?: string;
}

/** The name a person recognises for a fact, or undefined when the place does not know it. */
export function placeName(fact: PlaceFact, place: Place): string | undefined {
  const clean = (s: string | undefined) => (s && /^[^\s\x00-\x1f]{1,200}$/.test(s) ? s : undefined);
  switch (fact) {
    case 'git-branch':
      return clean(place.gitBranch);
    case 'git-repository':
      return clean(place.gitRepository);
    case 'npm-package':
      return clean(place.npmPackage);
    case 'terraform-workspace': {
      // "default" names nothing a person recognises: the folder does.
      const ws = clean(place.terraformWorkspace);
      return ws && ws !== 'default' ? ws : clean(place.folder);
    }
    case 'folder':
      return clean(place.folder);
  }
}

/** The decision with the resources its rules left to the place renamed; unchanged when nothing applies. */
export function nameInPlace(d: Decision, place: Place): Decision {
  if (!d.findings.some((f) => f.inPlace)) return d;
  const renamed = new Map<string, string>();
  const findings: Finding[] = d.findings.map((f) => {
    const name = f.inPlace ? placeName(f.inPlace, place) : undefined;
    if (!name) return f;
    renamed.set(f.resource, name);
    return { ...f, resource: name };
  });
  if (!renamed.size) return d;
  let resource = d.resource;
  if (resource !== null) {
    // The decision's resource joins its findings' resources with spaces: rename each whole one, longest first.
    for (const [from, to] of [...renamed].sort((a, b) => b[0].length - a[0].length)) resource = resource.split(from).join(to);
    resource = [...new Set(resource.split(' '))].join(' ');
  }
  return { ...d, resource, findings };
}
