import { expect } from 'chai';
import { fileCase, send, timelineOf } from '../../helpers/cases.ts';
import {
  BACKENDS,
  csv,
  eml,
  gif,
  jpeg,
  pdf,
  png,
  rawRequest,
  resetEvidence,
  sha256,
  startEvidenceWorld,
  storedObjects,
  tempFiles,
  text,
  upload,
  webp,
  type EvidenceWorld,
} from '../../helpers/evidence.ts';

interface EvidenceItemBody {
  id: string;
  kind: string;
  description: string | null;
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string;
  flagged: boolean;
  href: string;
}

/** RFC 5987 `filename*` of a Content-Disposition header, decoded. */
function dispositionName(header: string | undefined): string | undefined {
  const match = /filename\*=UTF-8''([^;]+)/.exec(header ?? '');
  return match ? decodeURIComponent(match[1]!) : undefined;
}

for (const backend of BACKENDS) {
  describe(`evidence uploads and downloads (${backend} storage)`, () => {
    let w: EvidenceWorld;
    before(async () => {
      w = await startEvidenceWorld(backend);
    });
    after(() => w.t.stop());
    beforeEach(() => resetEvidence(w.t));

    it('stores two files of one request, records them in one timeline entry, and lists them', async () => {
      const c = await fileCase(w.t, w.complainant);
      const image = png(11);
      const statement = pdf(11);
      const res = await upload(
        w.t,
        w.complainant,
        c.id,
        [
          { name: 'screen.png', content: image, type: 'image/png' },
          { name: 'statement.pdf', content: statement, type: 'application/pdf' },
        ],
        { kind: 'bank_statement', description: '  11月的银行流水  ' },
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.evidenceCount).to.equal(2);
      const items = res.body.items as EvidenceItemBody[];
      expect(items.map((i) => [i.mediaType, i.sha256, i.size, i.originalName])).to.deep.equal([
        ['image/png', sha256(image), image.length, 'screen.png'],
        ['application/pdf', sha256(statement), statement.length, 'statement.pdf'],
      ]);
      expect(items.every((i) => i.kind === 'bank_statement' && !i.flagged)).to.equal(true);
      expect(items[0]!.description).to.equal('11月的银行流水');

      const timeline = await timelineOf(w.t, w.complainant, c.id);
      expect(timeline.verified).to.equal(true);
      expect(timeline.entries.map((e) => e.type)).to.deep.equal(['FILED', 'EVIDENCE_ADDED']);
      const added = timeline.entries[1] as unknown as {
        fromState: string;
        toState: string;
        data: { items: { id: string; name: string }[] };
      };
      expect(added.fromState).to.equal('filed').and.to.equal(added.toState);
      expect(added.data.items.map((i) => i.name)).to.deep.equal(['screen.png', 'statement.pdf']);

      const list = await w.t.http.get(`/api/v1/cases/${c.id}/evidence`).set(w.officer.auth);
      expect(list.status).to.equal(200);
      expect(list.body.items.map((i: EvidenceItemBody) => i.id)).to.deep.equal(
        items.map((i) => i.id),
      );
      expect(list.body.totalBytes).to.equal(image.length + statement.length);
      expect(await storedObjects(w.t)).to.deep.equal([sha256(image), sha256(statement)].sort());
      expect(await tempFiles(w.t)).to.deep.equal([]);

      const stored = await w.t.server.database.connection
        .collection('cases')
        .findOne({}, { projection: { evidence: 1 } });
      expect(Object.keys(stored!.evidence[0]).sort()).to.deep.equal(
        [
          'backend',
          'description',
          'flagged',
          'id',
          'kind',
          'mediaType',
          'originalName',
          'sha256',
          'size',
          'storageKey',
          'uploadedAt',
          'uploadedBy',
        ].sort(),
      );
      expect(stored!.evidence[0].backend).to.equal(backend);
      expect(stored!.evidence[0].uploadedBy).to.deep.equal({
        id: w.complainant.id,
        role: 'complainant',
      });
    });

    it('decides every allowed type from the bytes, whatever the name says', async () => {
      const c = await fileCase(w.t, w.complainant);
      const files = [
        { name: 'a.bin', content: png(21), expected: 'image/png' },
        { name: 'b.bin', content: jpeg(21), expected: 'image/jpeg' },
        { name: 'c.bin', content: webp(21), expected: 'image/webp' },
        { name: 'd.bin', content: gif(21), expected: 'image/gif' },
        { name: 'e.bin', content: pdf(21), expected: 'application/pdf' },
        { name: 'f.csv', content: csv(), expected: 'text/csv' },
        { name: 'g.txt', content: text(21), expected: 'text/plain' },
        { name: 'h.eml', content: eml(), expected: 'message/rfc822' },
      ];
      const res = await upload(w.t, w.complainant, c.id, files, { kind: 'other' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.items.map((i: EvidenceItemBody) => i.mediaType)).to.deep.equal(
        files.map((f) => f.expected),
      );
    });

    it('lets an officer upload and compliance read, but never a stranger (404), compliance or admin (403)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const byOfficer = await upload(
        w.t,
        w.officer,
        c.id,
        [{ name: 'reply.pdf', content: pdf(31) }],
        {
          kind: 'correspondence',
        },
      );
      expect(byOfficer.status).to.equal(201);
      expect(byOfficer.body.items[0].uploadedBy).to.deep.equal({
        id: w.officer.id,
        role: 'officer',
      });
      const href = byOfficer.body.items[0].href as string;

      for (const user of [w.complainant, w.officer, w.compliance]) {
        const res = await w.t.http.get(href).set(user.auth).buffer(true);
        expect(res.status, user.role).to.equal(200);
      }
      const stranger = await w.t.http.get(href).set(w.stranger.auth);
      expect(stranger.status).to.equal(404);
      expect(stranger.headers['content-type']).to.match(/problem\+json/);
      expect(
        (await w.t.http.get(`/api/v1/cases/${c.id}/evidence`).set(w.stranger.auth)).status,
      ).to.equal(404);
      expect(
        (await w.t.http.get(`/api/v1/cases/${c.id}/evidence`).set(w.admin.auth)).status,
      ).to.equal(403);

      for (const user of [w.compliance, w.admin]) {
        const res = await upload(w.t, user, c.id, [{ name: 'x.png', content: png(32) }]);
        expect(res.status, user.role).to.equal(403);
      }
      const unknown = await w.t.http
        .get(`/api/v1/cases/${c.id}/evidence/00000000-0000-4000-8000-000000000000`)
        .set(w.officer.auth);
      expect(unknown.status).to.equal(404);
      expect(unknown.body.detail).to.equal('No such evidence.');
    });

    it('downloads the exact bytes as an attachment with safe headers, and serves byte ranges', async () => {
      const c = await fileCase(w.t, w.complainant);
      const image = png(41, 150_000);
      const res = await upload(w.t, w.complainant, c.id, [{ name: 'large.png', content: image }]);
      expect(res.status).to.equal(201);
      const url = `${w.t.server.url}${res.body.items[0].href as string}`;

      const whole = await rawRequest(url, { headers: w.complainant.auth });
      expect(whole.status).to.equal(200);
      expect(whole.complete).to.equal(true);
      expect(whole.body.equals(image)).to.equal(true);
      expect(whole.headers['content-type']).to.equal('image/png');
      expect(whole.headers['content-length']).to.equal(String(image.length));
      expect(whole.headers['x-content-type-options']).to.equal('nosniff');
      expect(whole.headers['content-disposition']).to.match(/^attachment; filename="large.png"/);
      expect(whole.headers['etag']).to.equal(`"${sha256(image)}"`);
      expect(whole.headers['accept-ranges']).to.equal('bytes');

      const part = await rawRequest(url, {
        headers: { ...w.complainant.auth, Range: 'bytes=10-19' },
      });
      expect(part.status).to.equal(206);
      expect(part.headers['content-range']).to.equal(`bytes 10-19/${image.length}`);
      expect(part.body.equals(image.subarray(10, 20))).to.equal(true);

      const tail = await rawRequest(url, { headers: { ...w.complainant.auth, Range: 'bytes=-5' } });
      expect(tail.status).to.equal(206);
      expect(tail.body.equals(image.subarray(-5))).to.equal(true);

      const beyond = await w.t.http
        .get(res.body.items[0].href as string)
        .set(w.complainant.auth)
        .set('Range', `bytes=${image.length}-`);
      expect(beyond.status).to.equal(416);
      expect(beyond.headers['content-range']).to.equal(`bytes */${image.length}`);

      const stale = await rawRequest(url, {
        headers: { ...w.complainant.auth, Range: 'bytes=0-9', 'If-Range': '"another-version"' },
      });
      expect(stale.status).to.equal(200);
      expect(stale.body.length).to.equal(image.length);
    });

    it('stores identical bytes once, however many cases and uploads hold them', async () => {
      const first = await fileCase(w.t, w.complainant);
      const second = await fileCase(w.t, w.stranger);
      const image = png(51);
      const a = await upload(w.t, w.complainant, first.id, [
        { name: 'one.png', content: image },
        { name: 'same-again.png', content: image },
      ]);
      const b = await upload(w.t, w.stranger, second.id, [{ name: 'theirs.png', content: image }]);
      expect([a.status, b.status]).to.deep.equal([201, 201]);
      expect(await storedObjects(w.t)).to.deep.equal([sha256(image)]);
      const ids = [...a.body.items, ...b.body.items].map((i: EvidenceItemBody) => i.id);
      expect(new Set(ids).size).to.equal(3);
      const theirs = await rawRequest(`${w.t.server.url}${b.body.items[0].href as string}`, {
        headers: w.stranger.auth,
      });
      expect(theirs.body.equals(image)).to.equal(true);
      // Each case sees only its own items.
      const mine = await w.t.http.get(`/api/v1/cases/${first.id}/evidence`).set(w.complainant.auth);
      expect(mine.body.items.map((i: EvidenceItemBody) => i.originalName)).to.deep.equal([
        'one.png',
        'same-again.png',
      ]);
    });

    it('keeps a Chinese file name and returns it intact in Content-Disposition', async () => {
      const c = await fileCase(w.t, w.complainant);
      const name = '银行流水 2026年11月（工商银行）.pdf';
      const res = await upload(w.t, w.complainant, c.id, [{ name, content: pdf(61) }], {
        kind: 'bank_statement',
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.items[0].originalName).to.equal(name);
      const download = await rawRequest(`${w.t.server.url}${res.body.items[0].href as string}`, {
        headers: w.complainant.auth,
      });
      const header = download.headers['content-disposition'];
      expect(dispositionName(header)).to.equal(name);
      // The fallback for clients without RFC 5987 is plain ASCII.
      expect(/filename="([^"]*)"/.exec(header!)![1]).to.match(/^[\x20-\x7e]+\.pdf$/);
    });

    it('stores a PNG sent as a PDF as the PNG it is, and saves it with a .png extension', async () => {
      const c = await fileCase(w.t, w.complainant);
      const image = png(71);
      const res = await upload(w.t, w.complainant, c.id, [
        { name: 'statement.pdf', content: image, type: 'application/pdf' },
      ]);
      expect(res.status).to.equal(201);
      expect(res.body.items[0]).to.include({
        mediaType: 'image/png',
        originalName: 'statement.pdf',
      });
      const download = await rawRequest(`${w.t.server.url}${res.body.items[0].href as string}`, {
        headers: w.complainant.auth,
      });
      expect(download.headers['content-type']).to.equal('image/png');
      expect(dispositionName(download.headers['content-disposition'])).to.equal(
        'statement.pdf.png',
      );
    });

    it('does a retried upload with the same Idempotency-Key once, and refuses other files under it', async () => {
      const c = await fileCase(w.t, w.complainant);
      const send = (seed: number) =>
        upload(w.t, w.complainant, c.id, [{ name: 'retry.png', content: png(seed) }]).set(
          'Idempotency-Key',
          'upload-1',
        );
      const first = await send(75);
      const again = await send(75);
      expect([first.status, again.status]).to.deep.equal([201, 201]);
      expect(again.headers['idempotency-replayed']).to.equal('true');
      expect(again.body.items[0].id).to.equal(first.body.items[0].id);
      const other = await send(76);
      expect(other.status).to.equal(422);
      const list = await w.t.http.get(`/api/v1/cases/${c.id}/evidence`).set(w.complainant.auth);
      expect(list.body.items).to.have.length(1);
      expect(await tempFiles(w.t)).to.deep.equal([]);
    });

    it('records every one of several concurrent uploads to one case', async () => {
      const c = await fileCase(w.t, w.complainant);
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          upload(w.t, w.complainant, c.id, [{ name: `shot-${i}.png`, content: png(80 + i) }]),
        ),
      );
      expect(responses.map((r) => r.status)).to.deep.equal(Array(6).fill(201));
      const view = await w.t.http.get(`/api/v1/cases/${c.id}`).set(w.complainant.auth);
      expect(view.body.evidenceCount).to.equal(6);
      const timeline = await timelineOf(w.t, w.complainant, c.id);
      expect(timeline.verified).to.equal(true);
      expect(timeline.entries.filter((e) => e.type === 'EVIDENCE_ADDED')).to.have.length(6);
      const list = await w.t.http.get(`/api/v1/cases/${c.id}/evidence`).set(w.complainant.auth);
      expect(list.body.items).to.have.length(6);
    });

    it('documents the upload as multipart/form-data in the OpenAPI document', async () => {
      const doc = await w.t.http.get('/openapi.json').expect(200);
      const post = doc.body.paths['/api/v1/cases/{id}/evidence'].post;
      const schema = post.requestBody.content['multipart/form-data'].schema;
      const resolved = schema.$ref
        ? doc.body.components.schemas[String(schema.$ref).split('/').pop()!]
        : schema;
      expect(resolved.properties.files.items.format).to.equal('binary');
      expect(resolved.required).to.deep.equal(['files', 'kind']);
      expect(doc.body.paths['/api/v1/cases/{id}/evidence/{evidenceId}'].get).to.be.an('object');
    });

    it('lets a complainant escalate once real evidence is on the case', async () => {
      const filed = await fileCase(w.t, w.complainant);
      let c = await send(w.t, w.officer, filed, { type: 'TRIAGE_ACCEPT' });
      c = await send(w.t, w.officer, c, {
        type: 'ISSUE_RESPONSE',
        outcome: 'rejected',
        message: '经核实交易为本人操作',
      });
      c = await send(w.t, w.complainant, c, { type: 'REJECT_RESPONSE', reason: '不是我操作的' });
      const refused = await w.t.http
        .post(`/api/v1/cases/${c.id}/events`)
        .set(w.complainant.auth)
        .send({ type: 'ESCALATE' });
      expect(refused.status).to.equal(422);
      expect(JSON.stringify(refused.body)).to.contain('evidence');

      const res = await upload(w.t, w.complainant, c.id, [{ name: '截图.png', content: png(91) }]);
      expect(res.status).to.equal(201);
      c = await send(w.t, w.complainant, c, { type: 'ESCALATE' });
      expect(c.state).to.equal('escalated.preparingSubmission');
      // Evidence can still be added while escalated: the consumer body may ask for more.
      const more = await upload(w.t, w.officer, c.id, [{ name: 'more.pdf', content: pdf(91) }], {
        kind: 'correspondence',
      });
      expect(more.status).to.equal(201);
    });
  });
}
