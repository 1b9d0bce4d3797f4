/** CannedAnswerStore in memory (embedded store and tests). */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { CannedAnswerRecord, CannedAnswerStore, NewCannedAnswer } from '../../core/canned-port';
import { clone } from './clone';

export class MemoryCannedAnswers implements CannedAnswerStore {
  private readonly byId = new Map<string, CannedAnswerRecord>();

  async create(input: NewCannedAnswer) {
    const now = new Date();
    const record: CannedAnswerRecord = { ...clone(input), id: newId(), createdAt: now, updatedAt: now };
    this.byId.set(record.id, record);
    return clone(record);
  }

  async get(id: string) {
    const r = this.byId.get(id);
    return r ? clone(r) : undefined;
  }

  async listVisible(ownerId: string, teams: string[], limit = 500) {
    const out = [...this.byId.values()].filter(
      (r) => (r.scope === 'personal' && r.ownerId === ownerId) || (r.scope === 'team' && r.team !== undefined && teams.includes(r.team)),
    );
    out.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    return clone(out.slice(0, limit));
  }

  async update(id: string, patch: Partial<Pick<CannedAnswerRecord, 'title' | 'text' | 'language'>>) {
    const r = this.byId.get(id);
    if (!r) throw new DajeongError('not_found', `canned answer ${id} not found`);
    Object.assign(r, clone(patch), { updatedAt: new Date() });
    return clone(r);
  }

  async delete(id: string) {
    this.byId.delete(id);
  }
}
