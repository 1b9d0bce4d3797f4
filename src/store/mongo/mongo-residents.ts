/** ResidentStore on MongoDB: identity ownership is decided by the unique {channel, externalUserId} index. */
import type { ChannelIdentity, Resident } from '../../core/conversation';
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { ResidentStore } from '../../core/store-port';
import { isDuplicateKey } from './errors';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';
import type { IdentityDoc, ResidentDoc } from './resident-schema';

export class MongoResidents implements ResidentStore {
  constructor(private readonly m: Pick<Models, 'residents' | 'identities'>) {}

  async findOrCreateByIdentity(identity: ChannelIdentity, init?: { locale?: string }): Promise<Resident> {
    const existing = await this.findByIdentity(identity);
    if (existing) return existing;
    // Resident first, identity second: until the identity insert wins, nobody can reach the
    // new resident, so a loser only has to delete its own orphan.
    const resident: ResidentDoc = defined({ _id: newId(), locale: init?.locale, createdAt: new Date() });
    await this.m.residents.create(resident);
    try {
      await this.insertIdentity(resident._id, identity);
    } catch (err) {
      await this.m.residents.deleteOne({ _id: resident._id }).catch(() => undefined);
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.findByIdentity(identity);
      if (winner) return winner;
      throw new DajeongError('conflict', 'identity changed owner concurrently', { retryable: true });
    }
    return this.require(resident._id);
  }

  async get(id: string): Promise<Resident | undefined> {
    const [doc, identities] = await Promise.all([
      this.m.residents.findById(id).lean<ResidentDoc>(),
      this.m.identities.find({ residentId: id }).sort({ linkedAt: 1, _id: 1 }).lean<IdentityDoc[]>(),
    ]);
    if (!doc) return undefined;
    const resident = fromDoc<Resident>(doc);
    resident.identities = identities.map((i) => ({ channel: i.channel, externalUserId: i.externalUserId }));
    return resident;
  }

  async linkIdentity(residentId: string, identity: ChannelIdentity): Promise<Resident> {
    if (!(await this.m.residents.exists({ _id: residentId }))) {
      throw new DajeongError('not_found', `resident ${residentId} not found`);
    }
    try {
      await this.insertIdentity(residentId, identity);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const owner = await this.m.identities
        .findOne({ channel: identity.channel, externalUserId: identity.externalUserId })
        .lean<IdentityDoc>();
      if (owner?.residentId !== residentId)
        throw new DajeongError('conflict', 'identity belongs to another resident');
    }
    return this.require(residentId);
  }

  async delete(id: string): Promise<void> {
    await this.m.identities.deleteMany({ residentId: id });
    await this.m.residents.deleteOne({ _id: id });
  }

  private async findByIdentity(identity: ChannelIdentity): Promise<Resident | undefined> {
    const link = await this.m.identities
      .findOne({ channel: identity.channel, externalUserId: identity.externalUserId })
      .lean<IdentityDoc>();
    return link ? this.get(link.residentId) : undefined;
  }

  private async insertIdentity(residentId: string, identity: ChannelIdentity): Promise<void> {
    const doc: IdentityDoc = {
      _id: newId(),
      residentId,
      channel: identity.channel,
      externalUserId: identity.externalUserId,
      linkedAt: new Date(),
    };
    await this.m.identities.create(doc);
  }

  private async require(id: string): Promise<Resident> {
    const resident = await this.get(id);
    if (!resident) throw new DajeongError('not_found', `resident ${id} not found`);
    return resident;
  }
}
