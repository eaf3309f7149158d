import type { Statement } from 'better-sqlite3';
import { Column, getTableColumns, type InferSelectModel } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './client.ts';
import { preparedOnce } from './prepared.ts';

/**
 * Whole rows of one table for the hot reads (the item pages), run by better-sqlite3 directly and
 * decoded as Drizzle would decode them. Drizzle maps each value of each row through its column
 * after checking what kind of field it is; on a module's items that mapping cost more than
 * SQLite's own work. Here the select list is every column in schema order, and only the columns
 * whose Drizzle type converts a value (a timestamp to a Date, JSON text to an object) are
 * converted, with that type's own conversion. The SQL is ours; the row type and the
 * conversions stay the schema's.
 */
export interface RowReader<Row> {
  /** `"id", "module_id", …`: every column, in schema order. */
  readonly columns: string;
  /** `sql` (holding `${columns}` where it selects) prepared on first use; `@name` parameters. */
  prepare(sql: string): PreparedRows<Row>;
}

export interface PreparedRows<Row> {
  all(params?: Record<string, unknown>): Row[];
  get(params?: Record<string, unknown>): Row | undefined;
}

type Decode = ((value: unknown) => unknown) | null;

export function rowReader<Table extends SQLiteTable>(
  db: Db,
  table: Table,
): RowReader<InferSelectModel<Table>> {
  type Row = InferSelectModel<Table>;
  const entries = Object.entries(getTableColumns(table)) as [string, Column][];
  const columns = entries.map(([, column]) => `"${column.name}"`).join(', ');
  const keys = entries.map(([key]) => key);
  const decoders: Decode[] = entries.map(([, column]) =>
    column.mapFromDriverValue === Column.prototype.mapFromDriverValue
      ? null
      : (value) => column.mapFromDriverValue(value),
  );

  // Rows come as arrays and are built by a function written for this table's columns, an object
  // literal of fixed shape. Built in a loop, each row took a property at a time under a key the
  // engine could not predict, and that cost as much as SQLite's whole read; changing
  // better-sqlite3's own row objects in place (a number field to a Date) made V8 reshape each one.
  const fields = keys.map((key, index) =>
    decoders[index]
      ? `${JSON.stringify(key)}: v[${index}] === null ? null : d[${index}](v[${index}])`
      : `${JSON.stringify(key)}: v[${index}]`,
  );
  const build = new Function('d', `return (v) => ({ ${fields.join(', ')} });`)(decoders) as (
    values: unknown[],
  ) => Row;

  return {
    columns,
    prepare(sql) {
      // Built lazily, as repositories are created before migrations run.
      const statement = preparedOnce((): Statement => db.$client.prepare(sql).raw(true));
      return {
        all: (params = {}) => (statement().all(params) as unknown[][]).map(build),
        get: (params = {}) => {
          const values = statement().get(params) as unknown[] | undefined;
          return values === undefined ? undefined : build(values);
        },
      };
    },
  };
}
