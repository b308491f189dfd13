// Modules most command lines never need, loaded the first time a line needs one. In the extension's first bundle
// (dist/main.js) esbuild.split.mjs leaves every module a `late()` loader requires out and puts it in dist/late.js, which
// the bundle loads on that first call (src/gate/codeCache.ts): starting VS Code then neither compiles nor evaluates the
// PowerShell and cmd readers, the inline code reader, the SQL, mongo and GraphQL readers or minimatch. Everywhere else
// (the CLI, the judge worker, the unit tests) the `require` inside is Node's own or esbuild's inline one, and the
// module loads on first use all the same.

/**
 * A loader that runs `load` (a `require` of one module, nothing else) the first time it is called and returns what it
 * returned from then on. A module that cannot load throws each time it is asked for, so a line that needs it fails
 * there (the gate's judgment of an unreadable line) rather than the whole engine failing to start.
 */
export function late<T>(load: () => T): () => T {
  let module: T | undefined;
  return () => (module ??= load());
}
