/** Rows grouped by their item, in the order they came (Map.groupBy needs Node 21). */
export function groupByItem<T extends { itemId: number }>(rows: readonly T[]): Map<number, T[]> {
  const byItem = new Map<number, T[]>();
  for (const row of rows) {
    const list = byItem.get(row.itemId);
    if (list) list.push(row);
    else byItem.set(row.itemId, [row]);
  }
  return byItem;
}
