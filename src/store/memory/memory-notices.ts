/** In-memory NoticeStore. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { NewNotice, Notice, NoticePatch, NoticeStore } from '../../core/notice-port';
import { clone } from './clone';

export class MemoryNotices implements NoticeStore {
  private readonly byId = new Map<string, Notice>();

  async create(input: NewNotice): Promise<Notice> {
    const now = new Date();
    const notice: Notice = { ...clone(input), id: newId(), createdAt: now, updatedAt: now };
    this.byId.set(notice.id, notice);
    return clone(notice);
  }

  async get(id: string) {
    const n = this.byId.get(id);
    return n ? clone(n) : undefined;
  }

  async update(id: string, patch: NoticePatch): Promise<Notice> {
    const n = this.byId.get(id);
    if (!n) throw new DajeongError('not_found', `notice ${id} not found`);
    for (const [key, value] of Object.entries(clone(patch))) {
      if (value === undefined) delete (n as unknown as Record<string, unknown>)[key];
      else (n as unknown as Record<string, unknown>)[key] = value;
    }
    n.updatedAt = new Date();
    return clone(n);
  }

  async delete(id: string) {
    this.byId.delete(id);
  }

  async list(query: { activeAt?: Date; limit?: number }): Promise<Notice[]> {
    const t = query.activeAt;
    const out = [...this.byId.values()].filter((n) => !t || (n.startsAt <= t && t < n.endsAt));
    out.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime() || (a.id < b.id ? 1 : -1));
    return clone(out.slice(0, query.limit ?? 100));
  }
}
