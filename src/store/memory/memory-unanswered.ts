/** In-memory UnansweredStore, one item per key, and who asked each item how often. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type {
  UnansweredItem,
  UnansweredOccurrence,
  UnansweredResolution,
  UnansweredStatus,
  UnansweredStore,
} from '../../core/unanswered-port';
import { clone } from './clone';

export class MemoryUnanswered implements UnansweredStore {
  private readonly byId = new Map<string, UnansweredItem>();
  private readonly byKey = new Map<string, string>();
  /** item id -> resident id -> occurrences. */
  private readonly askedBy = new Map<string, Map<string, number>>();

  async record(o: UnansweredOccurrence): Promise<UnansweredItem> {
    const at = o.at ?? new Date();
    const id = this.byKey.get(o.key);
    let item = id ? this.byId.get(id) : undefined;
    if (!item) {
      item = {
        id: newId(),
        key: o.key,
        text: o.text,
        language: o.language,
        count: 0,
        reasons: { low_confidence: 0, not_helpful: 0 },
        status: 'open',
        firstAt: at,
        lastAt: at,
      };
      this.byId.set(item.id, item);
      this.byKey.set(o.key, item.id);
    }
    item.count += 1;
    item.reasons[o.reason] += 1;
    if (at > item.lastAt) item.lastAt = at;
    if (o.intent !== undefined) item.lastIntent = o.intent;
    if (o.faqId !== undefined) item.lastFaqId = o.faqId;
    // Still unanswered after being turned into an entry: the fix did not work, so it is reviewed again.
    if (item.status === 'resolved') {
      item.status = 'open';
      delete item.resolution;
    }
    if (o.residentId) {
      const residents = this.askedBy.get(item.id) ?? new Map<string, number>();
      residents.set(o.residentId, (residents.get(o.residentId) ?? 0) + 1);
      this.askedBy.set(item.id, residents);
    }
    return clone(item);
  }

  async get(id: string) {
    const item = this.byId.get(id);
    return item ? clone(item) : undefined;
  }

  async list(query: { status?: UnansweredStatus; limit?: number }): Promise<UnansweredItem[]> {
    const out = [...this.byId.values()].filter((i) => !query.status || i.status === query.status);
    out.sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
    return clone(out.slice(0, query.limit ?? 100));
  }

  async resolve(id: string, resolution: UnansweredResolution): Promise<UnansweredItem> {
    const item = this.byId.get(id);
    if (!item) throw new DajeongError('not_found', `unanswered item ${id} not found`);
    item.status = resolution.kind === 'dismissed' ? 'dismissed' : 'resolved';
    item.resolution = clone(resolution);
    return clone(item);
  }

  async listByResident(residentId: string) {
    const out: (UnansweredItem & { askedByResident: number })[] = [];
    for (const [itemId, residents] of this.askedBy) {
      const item = this.byId.get(itemId);
      const times = residents.get(residentId);
      if (item && times) out.push({ ...clone(item), askedByResident: times });
    }
    return out;
  }

  async forgetResident(residentId: string): Promise<number> {
    let deleted = 0;
    for (const [itemId, residents] of this.askedBy) {
      const times = residents.get(residentId);
      if (!times) continue;
      residents.delete(residentId);
      const item = this.byId.get(itemId);
      if (residents.size === 0) {
        this.askedBy.delete(itemId);
        if (item) {
          this.byId.delete(itemId);
          this.byKey.delete(item.key);
          deleted++;
        }
      } else if (item) {
        item.count = Math.max(0, item.count - times);
      }
    }
    return deleted;
  }
}
