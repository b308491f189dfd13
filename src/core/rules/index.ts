// The rule registry: an explicit, sorted list of families. Nothing registers itself by import side effect.

import * as cloud from './cloud';
import * as containers from './containers';
import * as exec from './exec';
import * as fs from './fs';
import * as git from './git';
import * as guard from './guard';
import * as http from './http';
import * as iac from './iac';
import * as k8s from './k8s';
import * as ops from './ops';
import * as packages from './packages';
import * as paas from './paas';
import * as shell from './shell';
import * as sql from './sql';
import * as system from './system';
import * as windows from './windows';
import type { Rule } from './rule';

/** Every family, by the prefix of its rule ids. */
export const FAMILIES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  cloud,
  containers,
  exec,
  fs,
  git,
  guard,
  http,
  iac,
  k8s,
  ops,
  packages,
  paas,
  shell,
  sql,
  system,
  windows,
};

function isRule(x: unknown): x is Rule {
  return typeof x === 'object' && x !== null && typeof (x as Rule).id === 'string' && typeof (x as Rule).match === 'function';
}

export const RULES: readonly Rule[] = Object.values(FAMILIES)
  .flatMap((family) => Object.values(family).filter(isRule))
  // Plain code-unit order: localeCompare would load ICU collation on every start (tens of ms).
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
