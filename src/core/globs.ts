// minimatch, for the globs in a person's own rules and credential locations: the modules that use it load it the
// first time they compile one (src/core/late.ts), so a gate with no such settings never loads it.
export { Minimatch, minimatch } from 'minimatch';
