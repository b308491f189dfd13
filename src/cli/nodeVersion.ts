/** The oldest Node.js the CLI is built and tested for (package.json `engines`); VS Code runs the extension on its own. */
export const MIN_NODE: [number, number] = [20, 19];

/** The message for a Node.js older than MIN_NODE, or null when this one will do. */
export function nodeTooOld(version = process.versions.node, execPath = process.execPath): string | null {
  const [major, minor] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return null;
  return `agent-guard: needs Node.js ${MIN_NODE.join('.')} or newer; this is v${version} (${execPath})\n`;
}
