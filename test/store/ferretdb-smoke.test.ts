/**
 * Smoke test for the MongoDB-wire test server (test/support/ferretdb.ts): the mongoose
 * features the Mongo store relies on work on FerretDB, and the known gaps stay known.
 */
import mongoose, { Schema, type Connection } from 'mongoose';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';

interface Item {
  key: string;
  n: number;
  group: string;
  tags: string[];
  state?: string;
}

const itemSchema = new Schema<Item>({
  key: { type: String, required: true, unique: true },
  n: { type: Number, default: 0 },
  group: { type: String, default: 'g' },
  tags: { type: [String], default: [] },
  state: String,
});

function errorCode(r: PromiseSettledResult<unknown>): unknown {
  return r.status === 'rejected' ? (r.reason as { code?: unknown }).code : 'ok';
}

describe('FerretDB test server with mongoose', () => {
  let db: FerretDB;
  let conn: Connection;
  let Item: mongoose.Model<Item>;

  beforeAll(async () => {
    db = await startFerretDB();
    conn = await mongoose.createConnection(db.uri).asPromise();
    Item = conn.model<Item>('Item', itemSchema);
    await Item.syncIndexes();
  }, FERRETDB_START_TIMEOUT_MS);

  afterAll(async () => {
    await conn?.close();
    await db?.stop();
  });

  beforeEach(async () => {
    await Item.deleteMany({});
  });

  it('reports a MongoDB 7 server and has the unique index after syncIndexes', async () => {
    const info = await conn.db!.admin().command({ buildInfo: 1 });
    expect(info['version']).toMatch(/^7\./);
    const indexes = await Item.listIndexes();
    expect(indexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: { key: 1 }, unique: true })]),
    );
  });

  it('inserts, then rejects a duplicate key with code 11000', async () => {
    await Item.create({ key: 'a' });
    await expect(Item.create({ key: 'a' })).rejects.toMatchObject({ code: 11000 });
    expect(await Item.countDocuments()).toBe(1);
  });

  it('lets exactly one of five concurrent inserts of one key succeed', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => Item.create({ key: 'race', n })));
    const codes = results.map(errorCode);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 11000)).toHaveLength(4);
    expect(await Item.countDocuments({ key: 'race' })).toBe(1);
  });

  it('sorts, skips, limits, projects, counts and finds distinct values', async () => {
    await Item.insertMany([
      { key: 'b', n: 2, group: 'x', tags: ['t1'] },
      { key: 'a', n: 1, group: 'x', tags: ['t1', 't2'] },
      { key: 'c', n: 3, group: 'y' },
    ]);
    const sorted = await Item.find({}, { key: 1, _id: 0 }).sort({ n: -1 }).skip(1).limit(2).lean();
    expect(sorted).toEqual([{ key: 'b' }, { key: 'a' }]);
    expect(await Item.countDocuments({ n: { $gte: 2 } })).toBe(2);
    expect((await Item.distinct('tags')).sort()).toEqual(['t1', 't2']);
    expect(await Item.exists({ key: 'c' })).not.toBeNull();
  });

  it('aggregates with $match/$unwind/$group/$sort/$count', async () => {
    await Item.insertMany([
      { key: 'a', n: 1, group: 'x', tags: ['t1', 't2'] },
      { key: 'b', n: 2, group: 'x', tags: ['t2'] },
      { key: 'c', n: 4, group: 'y' },
    ]);
    const byGroup = await Item.aggregate<{ _id: string; total: number }>([
      { $match: { n: { $gt: 0 } } },
      { $group: { _id: '$group', total: { $sum: '$n' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(byGroup).toEqual([
      { _id: 'x', total: 3 },
      { _id: 'y', total: 4 },
    ]);
    const tagCounts = await Item.aggregate([
      { $unwind: '$tags' },
      { $group: { _id: '$tags', c: { $sum: 1 } } },
      { $sort: { c: -1, _id: 1 } },
    ]);
    expect(tagCounts).toEqual([
      { _id: 't2', c: 2 },
      { _id: 't1', c: 1 },
    ]);
    expect(await Item.aggregate([{ $match: { group: 'x' } }, { $count: 'n' }])).toEqual([{ n: 2 }]);
  });

  it('supports update operators, findOneAndUpdate, bulkWrite and deleteMany', async () => {
    await Item.create({ key: 'a', n: 1, tags: ['x'] });
    await Item.updateOne({ key: 'a' }, { $inc: { n: 2 }, $push: { tags: 'y' }, $set: { state: 's' } });
    await Item.updateOne({ key: 'a' }, { $addToSet: { tags: 'x' }, $unset: { state: 1 } });
    const after = await Item.findOneAndUpdate(
      { key: 'a' },
      { $inc: { n: 1 } },
      { returnDocument: 'after' },
    ).lean();
    expect(after).toMatchObject({ n: 4, tags: ['x', 'y'] });
    expect(after?.state).toBeUndefined();

    const upserted = await Item.findOneAndUpdate(
      { key: 'new' },
      { $setOnInsert: { n: 7 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(upserted).toMatchObject({ key: 'new', n: 7 });

    const bulk = await Item.bulkWrite([
      { insertOne: { document: { key: 'bw' } } },
      { updateOne: { filter: { key: 'bw' }, update: { $set: { n: 9 } } } },
      { updateOne: { filter: { key: 'bw2' }, update: { $set: { n: 1 } }, upsert: true } },
      { deleteOne: { filter: { key: 'new' } } },
    ]);
    expect(bulk).toMatchObject({ insertedCount: 1, modifiedCount: 1, upsertedCount: 1, deletedCount: 1 });

    expect((await Item.deleteMany({ n: { $lt: 5 } })).deletedCount).toBe(2); // 'a' (4) and 'bw2' (1)
    expect(await Item.distinct('key')).toEqual(['bw']);
  });

  // These rely on ferretdb-test's default -serialize mode; raw FerretDB v1 loses concurrent updates.
  it('keeps single-document writes atomic under concurrency', async () => {
    await Item.create({ key: 'ctr' });
    await Promise.all(Array.from({ length: 20 }, () => Item.updateOne({ key: 'ctr' }, { $inc: { n: 1 } })));
    expect((await Item.findOne({ key: 'ctr' }).lean())?.n).toBe(20);

    await Item.create({ key: 'job', state: 'free' });
    const claims = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        Item.findOneAndUpdate(
          { key: 'job', state: 'free' },
          { $set: { state: 'taken', n } },
          { returnDocument: 'after' },
        ),
      ),
    );
    expect(claims.filter((c) => c !== null)).toHaveLength(1);

    const upserts = await Promise.allSettled(
      [1, 2, 3].map(() =>
        Item.findOneAndUpdate({ key: 'up' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' }),
      ),
    );
    expect(upserts.map(errorCode)).toEqual(['ok', 'ok', 'ok']);
    expect((await Item.findOne({ key: 'up' }).lean())?.n).toBe(3);
  });

  describe('known FerretDB v1.24 gaps (if one of these starts passing, update test/support/ferretdb.ts docs)', () => {
    it('reports an update that violates a unique index as InternalError (code 1), not 11000', async () => {
      await Item.create([{ key: 'a' }, { key: 'b' }]);
      await expect(Item.updateOne({ key: 'b' }, { $set: { key: 'a' } })).rejects.toMatchObject({ code: 1 });
    });

    it('rejects partialFilterExpression and TTL indexes as NotImplemented (238)', async () => {
      const coll = conn.db!.collection('gaps');
      await expect(
        coll.createIndex({ a: 1 }, { unique: true, partialFilterExpression: { a: { $exists: true } } }),
      ).rejects.toMatchObject({ code: 238 });
      await expect(coll.createIndex({ at: 1 }, { expireAfterSeconds: 60 })).rejects.toMatchObject({
        code: 238,
      });
    });

    it('silently computes only the first $group accumulator and does not evaluate $project field paths', async () => {
      await Item.insertMany([
        { key: 'a', n: 1 },
        { key: 'b', n: 2 },
      ]);
      const [g] = await Item.aggregate([
        { $group: { _id: null, count: { $sum: 1 }, total: { $sum: '$n' } } },
      ]);
      expect(g).toEqual({ _id: null, count: 2, total: 0 }); // MongoDB: total 3
      const p = await Item.aggregate([{ $sort: { key: 1 } }, { $project: { _id: 0, k: '$key' } }]);
      expect(p).toEqual([{ k: '$key' }, { k: '$key' }]); // MongoDB: 'a', 'b'
    });

    it('has no transactions', async () => {
      const session = await conn.startSession();
      try {
        await expect(
          session.withTransaction(async () => {
            await Item.create([{ key: 'tx' }], { session });
          }),
        ).rejects.toThrow();
      } finally {
        await session.endSession();
      }
    });
  });
});
