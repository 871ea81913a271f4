import { expect } from 'chai';
import { Types } from 'mongoose';
import { fileCase } from '../../helpers/cases.ts';
import {
  BACKENDS,
  png,
  resetEvidence,
  sha256,
  startEvidenceWorld,
  storedObjects,
  upload,
  type EvidenceWorld,
} from '../../helpers/evidence.ts';
import { createCaseChangeModel } from '../../../server/cases/journal.ts';
import { createCaseModel } from '../../../server/cases/model.ts';
import {
  createEvidenceCheckModel,
  createEvidenceRefModel,
} from '../../../server/evidence/gc-model.ts';
import { createEvidence } from '../../../server/evidence/setup.ts';
import { hourKey } from '../../../server/hour-buckets.ts';
import { createLogger } from '../../../server/logger.ts';

const HOUR = 3_600_000;

for (const backend of BACKENDS) {
  // The collector reads its work list by hour bucket (FerretDB pushes only equality down):
  // these make sure that a storing whose grace period ended in an hour it already passed is
  // still decided about. Its wall clock is driven by hand through a collector of its own.
  describe(`evidence collection from its work list (${backend} storage)`, () => {
    let w: EvidenceWorld;
    let wall: number;

    before(async () => {
      w = await startEvidenceWorld(backend);
    });
    after(() => w.t.stop());
    beforeEach(() => resetEvidence(w.t));

    function collector() {
      const { connection } = w.t.server.database;
      return createEvidence({
        config: w.t.server.config,
        connection,
        cases: w.t.server.services.cases,
        caseRecords: createCaseModel(connection),
        caseChanges: createCaseChangeModel(connection),
        refs: createEvidenceRefModel(connection),
        checks: createEvidenceCheckModel(connection),
        clock: w.t.clock,
        logger: createLogger('silent'),
        wallClock: () => wall,
      });
    }

    it('removes unheld bytes stored hours before, and keeps the same bytes another case holds', async () => {
      wall = Date.now();
      const gc = collector();
      await gc.collectGarbage({ graceMs: HOUR });

      const kept = await fileCase(w.t, w.complainant);
      const dropped = await fileCase(w.t, w.stranger);
      const [shared, lost] = [png(361), png(362)];
      for (const [user, c, files] of [
        [w.complainant, kept, [shared]],
        [w.stranger, dropped, [shared, lost]],
      ] as const) {
        const res = await upload(
          w.t,
          user,
          c.id,
          files.map((content, i) => ({ name: `${i}.png`, content })),
        );
        expect(res.status).to.equal(201);
      }
      // As if the second case had never been written: what a failed upload leaves.
      const db = w.t.server.database.connection;
      const droppedId = new Types.ObjectId(dropped.id);
      await db.collection('cases').deleteOne({ _id: droppedId });
      await db.collection('case_changes').deleteMany({ caseId: droppedId });

      wall += HOUR / 2;
      expect(await gc.collectGarbage({ graceMs: HOUR })).to.include({ removed: 0 });
      expect(await storedObjects(w.t)).to.have.length(2);

      wall += 3 * HOUR;
      expect(await gc.collectGarbage({ graceMs: HOUR })).to.include({ removed: 1 });
      expect(await storedObjects(w.t)).to.deep.equal([sha256(shared)]);
      expect(await db.collection('evidence_checks').countDocuments()).to.equal(0);
      const download = await w.t.http
        .get(`/api/v1/cases/${kept.id}/evidence`)
        .set(w.complainant.auth)
        .expect(200);
      expect(download.body.items).to.have.length(1);
    });

    if (backend === 'gridfs') {
      it('removes the chunks a storing that died half-way left, once its grace is over', async () => {
        wall = Date.now();
        const gc = collector();
        await gc.collectGarbage({ graceMs: HOUR });
        const db = w.t.server.database.connection;
        const attempt = new Types.ObjectId();
        const lost = sha256(png(363));
        await db.collection('evidence_checks').insertOne({
          _id: attempt.toHexString() as never,
          sha256: lost,
          createdAt: new Date(wall),
          checkHour: hourKey(wall),
        });
        await db.collection('evidence.chunks').insertOne({
          files_id: attempt,
          n: 0,
          data: Buffer.from('half a file'),
        });

        wall += HOUR / 2;
        expect(await gc.collectGarbage({ graceMs: HOUR })).to.include({ partial: 0 });
        wall += 3 * HOUR;
        expect(await gc.collectGarbage({ graceMs: HOUR })).to.include({ partial: 1 });
        expect(
          await db.collection('evidence.chunks').countDocuments({ files_id: attempt }),
        ).to.equal(0);
      });
    }
  });
}
