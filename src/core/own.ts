// Tables keyed by a word from a command line (a program, a subcommand, an option) are plain objects: a word such as
// `constructor`, `__proto__` or `toString` names what every object inherits, never an entry of the table.

/** TABLE's own entry for KEY, or undefined (for a name the table only inherits from Object.prototype as well). */
export function own<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
