import { expect } from 'chai';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { fileCase, timelineOf } from '../../helpers/cases.ts';
import {
  BACKENDS,
  eventually,
  expectNothingKept,
  multipartBody,
  pdf,
  png,
  rawRequest,
  resetEvidence,
  sendAndCut,
  sha256,
  startEvidenceWorld,
  storedObjects,
  tamper,
  tempFiles,
  upload,
  uploadDir,
  type EvidenceWorld,
} from '../../helpers/evidence.ts';
import { startTestServer } from '../../helpers/server.ts';

const HOUR = 3_600_000;

for (const backend of BACKENDS) {
  describe(`evidence: crash safety and integrity (${backend} storage)`, () => {
    let w: EvidenceWorld;
    before(async () => {
      w = await startEvidenceWorld(backend);
    });
    after(() => w.t.stop());
    beforeEach(() => resetEvidence(w.t));

    async function cutUploadAt(caseId: string, fraction: number, files: Buffer[]) {
      const { body, contentType } = multipartBody(
        files.map((content, i) => ({ name: `part-${i}.png`, content })),
        { kind: 'screenshot' },
      );
      await sendAndCut(
        w.t.server.url,
        `/api/v1/cases/${caseId}/evidence`,
        { ...w.complainant.auth, 'Content-Type': contentType },
        body,
        Math.floor(body.length * fraction),
        async () => (await tempFiles(w.t)).length > 0,
      );
      // The upload's own cleanup runs as the socket closes; the sweep is the safety net.
      await eventually(async () => (await tempFiles(w.t)).length === 0);
      await w.t.server.loops.evidenceSweeper!.runOnce();
    }

    it('keeps nothing when the connection dies half-way through a file', async () => {
      const c = await fileCase(w.t, w.complainant);
      await cutUploadAt(c.id, 0.5, [png(301, 200 * 1024)]);
      await expectNothingKept(w.t, c.id);
      // The server is fine afterwards.
      const res = await upload(w.t, w.complainant, c.id, [{ name: 'a.png', content: png(302) }]);
      expect(res.status).to.equal(201);
    });

    it('keeps nothing when the connection dies after the first file, inside the second', async () => {
      const c = await fileCase(w.t, w.complainant);
      await cutUploadAt(c.id, 0.75, [png(311, 100 * 1024), png(312, 100 * 1024)]);
      await expectNothingKept(w.t, c.id);
    });

    it('answers a multipart body that ends without its closing boundary with 400', async () => {
      const c = await fileCase(w.t, w.complainant);
      const { body, contentType } = multipartBody([{ name: 'a.png', content: png(321, 50_000) }], {
        kind: 'screenshot',
      });
      const truncated = body.subarray(0, body.length - 40);
      const res = await rawRequest(`${w.t.server.url}/api/v1/cases/${c.id}/evidence`, {
        method: 'POST',
        headers: { ...w.complainant.auth, 'Content-Type': contentType },
        body: truncated,
      });
      expect(res.status).to.equal(400);
      expect(res.headers['content-type']).to.match(/problem\+json/);
      expect(JSON.parse(res.body.toString()).type).to.equal('/problems/malformed-multipart');
      await expectNothingKept(w.t, c.id);
    });

    it('removes temp files a crash left behind once they are old, and spares young ones', async () => {
      const tmp = join(uploadDir(w.t), '.tmp');
      await mkdir(tmp, { recursive: true });
      await writeFile(join(tmp, 'crashed.part'), 'half an upload');
      const old = new Date(Date.now() - 2 * HOUR);
      await utimes(join(tmp, 'crashed.part'), old, old);
      await writeFile(join(tmp, 'in-progress.part'), 'an upload still running');
      await w.t.server.loops.evidenceSweeper!.runOnce();
      expect(await tempFiles(w.t)).to.deep.equal(['in-progress.part']);
    });

    it('flags evidence whose stored bytes were altered and cuts the download short', async () => {
      const c = await fileCase(w.t, w.complainant);
      const image = png(331, 150_000);
      const res = await upload(w.t, w.complainant, c.id, [{ name: 'proof.png', content: image }]);
      expect(res.status).to.equal(201);
      const href = res.body.items[0].href as string;
      await tamper(w.t, sha256(image));

      const download = await rawRequest(`${w.t.server.url}${href}`, { headers: w.officer.auth });
      expect(download.complete, 'the response must not complete').to.equal(false);
      expect(download.body.length).to.be.below(image.length);

      const list = await w.t.http.get(`/api/v1/cases/${c.id}/evidence`).set(w.officer.auth);
      expect(list.body.items[0].flagged).to.equal(true);
      const timeline = await timelineOf(w.t, w.officer, c.id);
      expect(timeline.verified).to.equal(true);
      const last = timeline.entries.at(-1) as unknown as {
        type: string;
        actor: { role: string };
        data: { reason: string; detectedBy: { id: string } };
      };
      expect(last.type).to.equal('EVIDENCE_FLAGGED');
      expect(last.actor.role).to.equal('system');
      expect(last.data.reason).to.equal('hash-mismatch');
      expect(last.data.detectedBy.id).to.equal(w.officer.id);

      const again = await w.t.http.get(href).set(w.complainant.auth);
      expect(again.status).to.equal(409);
      expect(again.body.type).to.equal('/problems/evidence-flagged');
    });

    it('flags evidence whose stored bytes are gone instead of serving anything', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.complainant, c.id, [{ name: 'a.pdf', content: pdf(341) }]);
      const db = w.t.server.database.connection;
      if (backend === 'gridfs') {
        await db.collection('evidence.files').deleteMany({});
      } else {
        await rm(join(uploadDir(w.t), ...[0, 2].map((i) => sha256(pdf(341)).slice(i, i + 2))), {
          recursive: true,
        });
      }
      const download = await w.t.http.get(res.body.items[0].href as string).set(w.officer.auth);
      expect(download.status).to.equal(409);
      const list = await w.t.http.get(`/api/v1/cases/${c.id}/evidence`).set(w.officer.auth);
      expect(list.body.items[0].flagged).to.equal(true);
    });

    it('collects stored content no case references, only past its grace period', async () => {
      const kept = await fileCase(w.t, w.complainant);
      const dropped = await fileCase(w.t, w.stranger);
      const pending = await fileCase(w.t, w.stranger);
      const [a, b, p] = [png(351), png(352), png(353)];
      expect(
        (await upload(w.t, w.complainant, kept.id, [{ name: 'a.png', content: a }])).status,
      ).to.equal(201);
      expect(
        (await upload(w.t, w.stranger, dropped.id, [{ name: 'b.png', content: b }])).status,
      ).to.equal(201);
      expect(
        (await upload(w.t, w.stranger, pending.id, [{ name: 'p.png', content: p }])).status,
      ).to.equal(201);
      // As if the cases were never written: what a failed upload after the store step leaves.
      const db = w.t.server.database.connection;
      await db.collection('cases').deleteMany({
        _id: { $in: [new Types.ObjectId(dropped.id), new Types.ObjectId(pending.id)] },
      });
      // The failed upload never claimed its change; the other one did, and its writer died
      // before updating the case: a journal entry still counts as a reference.
      await db.collection('case_changes').deleteMany({ caseId: new Types.ObjectId(dropped.id) });
      const evidence = w.t.server.services.evidence;

      expect(await evidence.collectGarbage()).to.include({ removed: 0 });
      expect(await storedObjects(w.t)).to.have.length(3);

      expect(await evidence.collectGarbage({ graceMs: 0 })).to.include({ removed: 1 });
      expect(await storedObjects(w.t)).to.deep.equal([sha256(a), sha256(p)].sort());
      const list = await w.t.http.get(`/api/v1/cases/${kept.id}/evidence`).set(w.complainant.auth);
      const download = await rawRequest(`${w.t.server.url}${list.body.items[0].href as string}`, {
        headers: w.complainant.auth,
      });
      expect(download.body.equals(a)).to.equal(true);

      // The same bytes uploaded again after collection are stored again.
      const again = await upload(w.t, w.complainant, kept.id, [
        { name: 'b-again.png', content: b },
      ]);
      expect(again.status).to.equal(201);
      expect(await storedObjects(w.t)).to.include(sha256(b));
    });

    if (backend === 'fs') {
      it('sweeps old temp files when the server starts', async () => {
        const root = uploadDir(w.t);
        const tmp = join(root, '.tmp');
        await mkdir(tmp, { recursive: true });
        await writeFile(join(tmp, 'before-restart.part'), 'left by a crash');
        const old = new Date(Date.now() - 2 * HOUR);
        await utimes(join(tmp, 'before-restart.part'), old, old);
        const second = await startTestServer({ UPLOAD_DIR: root });
        try {
          expect(await tempFiles(w.t)).to.deep.equal([]);
        } finally {
          await second.stop();
        }
      });
    }
  });
}
