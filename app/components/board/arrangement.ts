/**
 * The shape a drag rearranges on both boards: column id → ordered card ids. Pure, so what a drop
 * does is tested without a browser; each board maps the result onto its own move (a position
 * between neighbours for deals, an index in the column for tasks).
 */
export type Arrangement<K extends string = string> = Record<K, string[]>;

/** The column a card is in; a column id stands for itself (a drop on a column's empty space). */
export function containerOf<K extends string>(arrangement: Arrangement<K>, id: string): K | undefined {
  if (id in arrangement) return id as K;
  return (Object.keys(arrangement) as K[]).find((column) => arrangement[column].includes(id));
}

/**
 * The order a column will have if the card is dropped over `overId` now: a card over another one
 * in its column takes that one's place (as dnd-kit's sortable list shows it). The drop handler
 * and the screen-reader announcements share this, so what is heard is what happens.
 */
export function dropOrder<K extends string>(
  arrangement: Arrangement<K>,
  activeId: string,
  overId: string,
): { column: K; ids: string[] } | undefined {
  const column = containerOf(arrangement, activeId);
  if (!column) return undefined;
  const ids = arrangement[column];
  const from = ids.indexOf(activeId);
  const to = ids.indexOf(overId);
  if (to < 0 || to === from) return { column, ids };
  const next = ids.filter((id) => id !== activeId);
  next.splice(to, 0, activeId);
  return { column, ids: next };
}

/**
 * The arrangement once a card crossing into another column is placed in it (above or below the
 * card it is over, or at the end), so the list makes room for it while the drag goes on. The same
 * object when nothing changes, so a state update with it can bail out.
 */
export function crossInto<K extends string>(
  arrangement: Arrangement<K>,
  activeId: string,
  overId: string,
  below: boolean,
): Arrangement<K> {
  const from = containerOf(arrangement, activeId);
  const to = containerOf(arrangement, overId);
  if (!from || !to || from === to) return arrangement;
  const target = arrangement[to];
  const overIndex = target.indexOf(overId);
  const index = overIndex >= 0 ? overIndex + (below ? 1 : 0) : target.length;
  return {
    ...arrangement,
    [from]: arrangement[from].filter((id) => id !== activeId),
    [to]: [...target.slice(0, index), activeId, ...target.slice(index)],
  };
}
