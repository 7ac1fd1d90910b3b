/** Route labels: name <-> id, refcounted (rtlabel_name2id / rtlabel_unref). Id 0 = no label. */

const MAX_LABELS = 50000;

export class LabelTable {
  private readonly byName = new Map<string, { id: number; refs: number }>();
  private readonly byId = new Map<number, string>();
  private next = 1;

  /** Takes a reference on `name`'s id (0 for '' or when the table is full). */
  ref(name: string): number {
    if (name === '') return 0;
    const hit = this.byName.get(name);
    if (hit) {
      hit.refs++;
      return hit.id;
    }
    if (this.byName.size >= MAX_LABELS) return 0;
    let id = this.next;
    while (this.byId.has(id)) id = id >= MAX_LABELS ? 1 : id + 1;
    this.next = id >= MAX_LABELS ? 1 : id + 1;
    this.byName.set(name, { id, refs: 1 });
    this.byId.set(id, name);
    return id;
  }

  unref(id: number): void {
    if (id === 0) return;
    const name = this.byId.get(id);
    if (name === undefined) return;
    const e = this.byName.get(name)!;
    if (--e.refs === 0) {
      this.byName.delete(name);
      this.byId.delete(id);
    }
  }

  name(id: number): string {
    return this.byId.get(id) ?? '';
  }

  /** The labels referenced now, sorted (what `route show` could name; tests check the counting). */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
