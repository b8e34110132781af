/** An item of the sample API: any JSON object, plus the id the store assigns. */
export type Item = Record<string, unknown> & { id: number };

/** In-memory item store; its content is lost when the instance stops. */
export class ItemStore {
  private readonly items = new Map<number, Item>();
  private nextId = 1;

  list(): Item[] {
    return [...this.items.values()];
  }

  get(id: number): Item | undefined {
    return this.items.get(id);
  }

  create(fields: Record<string, unknown>): Item {
    const item = { ...fields, id: this.nextId++ };
    this.items.set(item.id, item);
    return item;
  }

  /** Replaces the fields of an existing item, keeping its id; undefined when it is missing. */
  replace(id: number, fields: Record<string, unknown>): Item | undefined {
    if (!this.items.has(id)) {
      return undefined;
    }
    const item = { ...fields, id };
    this.items.set(id, item);
    return item;
  }

  delete(id: number): boolean {
    return this.items.delete(id);
  }
}
