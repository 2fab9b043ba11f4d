import type { DatabaseSchema, SchemaTable } from "./introspect.js";

/** One step of a join: `table.column = other.otherColumn`, following a foreign key either way. */
export interface JoinStep {
  from: string;
  to: string;
  on: string;
  /** The columns the step joins, `from`'s first. */
  pairs: { from: string; to: string }[];
  /** From the table a key refers to, to the table that holds the key: one row becomes many. */
  fansOut: boolean;
}

/**
 * The shortest chain of foreign keys from one of the `from` tables to `to`, as JOIN clauses a
 * model can copy ("JOIN Album ON Album.ArtistId = Artist.ArtistId"); undefined when none links them.
 * Small models mostly fail a multi-table question by skipping the table in the middle.
 */
export function joinPath(schema: DatabaseSchema, from: string[], to: string): string[] | undefined {
  return joinSteps(schema, from, to)?.map(clause);
}

/** The same chain as steps. */
export function joinSteps(schema: DatabaseSchema, from: string[], to: string): JoinStep[] | undefined {
  return shortestSteps(foreignKeyEdges(schema), from, to);
}

function clause(step: JoinStep): string {
  return `JOIN ${step.to} ON ${step.on}`;
}

function shortestSteps(edges: Map<string, JoinStep[]>, from: string[], to: string): JoinStep[] | undefined {
  const target = to.toLowerCase();
  const starts = from.map((name) => name.toLowerCase());
  if (starts.includes(target)) return [];
  const previous = new Map<string, JoinStep | null>(starts.map((name) => [name, null]));
  const queue = [...starts];
  while (queue.length > 0) {
    const table = queue.shift() as string;
    for (const step of edges.get(table) ?? []) {
      const next = step.to.toLowerCase();
      if (previous.has(next)) continue;
      previous.set(next, step);
      if (next === target) return stepsTo(previous, next);
      queue.push(next);
    }
  }
  return undefined;
}

function stepsTo(previous: Map<string, JoinStep | null>, table: string): JoinStep[] {
  const steps: JoinStep[] = [];
  for (let step = previous.get(table); step; step = previous.get(step.from.toLowerCase()))
    steps.unshift(step);
  return steps;
}

function foreignKeyEdges(schema: DatabaseSchema): Map<string, JoinStep[]> {
  const edges = new Map<string, JoinStep[]>();
  const add = (step: JoinStep) => {
    const key = step.from.toLowerCase();
    edges.set(key, [...(edges.get(key) ?? []), step]);
  };
  for (const table of schema.tables) {
    for (const key of table.foreignKeys) {
      const target = schema.tables.find((t) => t.name.toLowerCase() === key.table.toLowerCase());
      if (!target) continue;
      const pairs = key.columns.map((column, i) => ({
        from: column,
        to: key.toColumns[i] ?? primaryKeyOf(target, i),
      }));
      const on = pairs.map((p) => `${table.name}.${p.from} = ${target.name}.${p.to}`).join(" AND ");
      add({ from: table.name, to: target.name, on, pairs, fansOut: false });
      const back = pairs.map((p) => ({ from: p.to, to: p.from }));
      add({ from: target.name, to: table.name, on, pairs: back, fansOut: true });
    }
  }
  return edges;
}

function primaryKeyOf(table: SchemaTable, index: number): string {
  return table.primaryKey[index] ?? "rowid";
}
