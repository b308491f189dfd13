// The GraphQL operations an HTTP request carries: JSON `{query, variables}` (or a batch), `query=…` form fields, a
// multipart `operations` field, httpie's JSON items, or a bare document.

import type { GraphqlOperation } from './graphql';
import { late } from '../late';
import { BARE_DOCUMENT, formFields, HttpRequest } from './request';

// The GraphQL reader loads when a request first carries a document (src/core/late.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const graphqlReader = late((): typeof import('./graphql') => require('./graphql'));

/** A GraphQL body: JSON `{query, variables}` (or a batch of them), `query=…` form fields, or a bare document. */
export function graphqlOperations(req: HttpRequest): { operations: GraphqlOperation[]; hidden: boolean } {
  const operations: GraphqlOperation[] = [];
  let hidden = req.hidden;
  const read = (document: string, variables: unknown): void => {
    const ops = graphqlReader().readGraphql(document, variablesOf(variables));
    if (ops) operations.push(...ops);
    else hidden = true;
  };
  const fromJson = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.map(fromJson).some(Boolean);
    if (typeof value !== 'object' || value === null || typeof (value as { query?: unknown }).query !== 'string') return false;
    read((value as { query: string }).query, (value as { variables?: unknown }).variables);
    return true;
  };
  for (const { text, dynamic } of req.texts) {
    const t = text.trim();
    const before = operations.length;
    if (t.startsWith('{') || t.startsWith('[')) {
      const json = parseJson(t);
      if (json === undefined) operations.push(...(graphqlReader().readGraphql(t) ?? []));
      else fromJson(json);
    } else if (BARE_DOCUMENT.test(t)) {
      read(t, {});
    }
    if (dynamic && operations.length === before) hidden = true;
  }
  const form = formFields(req);
  const query = form.find(([k]) => k === 'query');
  if (query) read(query[1], parseJson(form.find(([k]) => k === 'variables')?.[1] ?? '{}'));
  const multipart = form.find(([k]) => k === 'operations');
  if (multipart) fromJson(parseJson(multipart[1]));
  if (req.json) fromJson(req.json);
  return { operations, hidden };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function variablesOf(v: unknown): Record<string, unknown> {
  const parsed = typeof v === 'string' ? parseJson(v) : v;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}
