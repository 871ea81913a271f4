import { expect } from 'chai';
import { connect } from 'node:net';
import { fileCase, send } from '../../helpers/cases.ts';
import {
  BACKENDS,
  elf,
  exe,
  expectNothingKept,
  filler,
  html,
  pdf,
  png,
  resetEvidence,
  startEvidenceWorld,
  storedObjects,
  upload,
  uploadRaw,
  type EvidenceWorld,
} from '../../helpers/evidence.ts';

function expectProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
) {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  expect(res.body.status).to.equal(status);
  expect(res.body.detail).to.be.a('string').and.not.equal('');
}

for (const backend of BACKENDS) {
  describe(`evidence uploads: bad input (${backend} storage)`, () => {
    let w: EvidenceWorld;
    before(async () => {
      w = await startEvidenceWorld(backend);
    });
    after(() => w.t.stop());
    beforeEach(() => resetEvidence(w.t));

    const refusedTypes: [string, () => Buffer, string][] = [
      ['a Windows executable renamed .png', exe, 'x-msdownload'],
      ['a Linux executable renamed .png', elf, 'x-elf'],
      ['an HTML page renamed .png', html, 'HTML'],
      ['a shell script renamed .png', () => Buffer.from('#!/bin/sh\nrm -rf ~\n'), 'script'],
      ['Latin-1 text (not UTF-8)', () => Buffer.from('caf\xe9 cr\xe8me', 'latin1'), 'UTF-8'],
      ['text with NUL bytes', () => Buffer.from('abc\0def\n'), 'UTF-8'],
      ['a ZIP archive', () => Buffer.concat([Buffer.from('PK\x03\x04'), filler(200)]), 'zip'],
    ];
    for (const [what, content, mention] of refusedTypes) {
      it(`refuses ${what} with 415, keeping nothing`, async () => {
        const c = await fileCase(w.t, w.complainant);
        const res = await upload(w.t, w.complainant, c.id, [
          { name: 'photo.png', content: content(), type: 'image/png' },
        ]);
        expectProblem(res, 415);
        expect(res.body.detail).to.contain(mention);
        await expectNothingKept(w.t, c.id);
      });
    }

    it('refuses a whole request when one of its files is refused, keeping none of them', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.complainant, c.id, [
        { name: 'fine.png', content: png(101) },
        { name: 'evil.png', content: exe() },
      ]);
      expectProblem(res, 415);
      await expectNothingKept(w.t, c.id);
    });

    it('refuses a file over the per-file limit with 413 while it streams, keeping nothing', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.complainant, c.id, [
        { name: 'ok.png', content: png(111) },
        { name: 'huge.png', content: png(112, 300 * 1024) },
      ]);
      expectProblem(res, 413);
      expect(res.body.detail).to.contain('huge.png').and.contain('0.3 MB');
      await expectNothingKept(w.t, c.id);
    });

    it('refuses what would take the case past its total limit (413)', async () => {
      const c = await fileCase(w.t, w.complainant);
      for (let i = 0; i < 4; i++) {
        const res = await upload(w.t, w.complainant, c.id, [
          { name: `part-${i}.png`, content: png(120 + i, 240 * 1024) },
        ]);
        expect(res.status).to.equal(201);
      }
      const before = await storedObjects(w.t);
      const res = await upload(w.t, w.complainant, c.id, [
        { name: 'one-too-many.png', content: png(129, 100 * 1024) },
      ]);
      expectProblem(res, 413);
      expect(res.body.detail).to.contain('case');
      expect(await storedObjects(w.t)).to.deep.equal(before);
      const view = await w.t.http.get(`/api/v1/cases/${c.id}`).set(w.complainant.auth);
      expect(view.body.evidenceCount).to.equal(4);
    });

    it('refuses a body declared far beyond the limits with 413 before reading it', async () => {
      const c = await fileCase(w.t, w.complainant);
      const { hostname, port } = new URL(w.t.server.url);
      const socket = connect(Number(port), hostname);
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(
        `POST /api/v1/cases/${c.id}/evidence HTTP/1.1\r\nHost: ${hostname}\r\n` +
          `Authorization: ${w.complainant.auth.Authorization}\r\n` +
          `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${500 * 1024 ** 2}\r\n\r\n` +
          `--x\r\n`,
      );
      await closed;
      expect(answer).to.match(/^HTTP\/1.1 413 /);
      expect(answer).to.match(/connection: close/i);
      expect(answer).to.contain('application/problem+json');
      await expectNothingKept(w.t, c.id);
    });

    it('refuses 11 files in one request (400 naming the limit), keeping nothing', async () => {
      const c = await fileCase(w.t, w.complainant);
      const files = Array.from({ length: 11 }, (_, i) => ({
        name: `shot-${i}.png`,
        content: png(130 + i),
      }));
      const res = await upload(w.t, w.complainant, c.id, files);
      expectProblem(res, 400);
      expect(res.body.detail).to.contain('At most 10 files');
      await expectNothingKept(w.t, c.id);
    });

    it('refuses an empty file (400)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.complainant, c.id, [
        { name: 'empty.png', content: Buffer.alloc(0) },
      ]);
      expectProblem(res, 400);
      expect(res.body.detail).to.contain('empty');
      await expectNothingKept(w.t, c.id);
    });

    it('refuses a form without files (400)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.complainant, c.id, []);
      expectProblem(res, 400);
      expect(res.body.errors).to.deep.equal([
        { path: 'body.files', message: 'at least one file is required' },
      ]);
    });

    const badForms: [string, Record<string, string>, string][] = [
      ['a missing kind', {}, 'body.kind'],
      ['an unknown kind', { kind: 'selfie' }, 'body.kind'],
      [
        'a description over 2,000 characters',
        { kind: 'other', description: '长'.repeat(2001) },
        'body.description',
      ],
      ['an unknown field', { kind: 'other', priority: 'vip' }, 'body'],
    ];
    for (const [what, fields, path] of badForms) {
      it(`refuses ${what} (400 naming ${path}), keeping nothing`, async () => {
        const c = await fileCase(w.t, w.complainant);
        const res = await upload(
          w.t,
          w.complainant,
          c.id,
          [{ name: 'a.png', content: png(140) }],
          fields,
        );
        expectProblem(res, 400);
        expect((res.body.errors as { path: string }[]).map((e) => e.path).join(' ')).to.contain(
          path,
        );
        await expectNothingKept(w.t, c.id);
      });
    }

    it('refuses a file in another field than "files" (400)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.complainant, c.id, [
        { name: 'a.png', content: png(150), field: 'attachment' },
      ]);
      expectProblem(res, 400);
      expect(res.body.detail).to.contain('"files"');
      await expectNothingKept(w.t, c.id);
    });

    it('refuses a JSON body (415)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await w.t.http
        .post(`/api/v1/cases/${c.id}/evidence`)
        .set(w.complainant.auth)
        .send({ kind: 'other', files: ['aGVsbG8='] });
      expectProblem(res, 415);
      expect(res.body.detail).to.contain('multipart/form-data');
    });

    it('keeps only the last component of a path-like name (../../etc/passwd → passwd)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const windows = await uploadRaw(w.t, w.complainant, c.id, [
        { name: '../../etc/passwd', content: Buffer.from('root:x:0:0:root:/root:/bin/bash\n') },
        { name: '..\\..\\Windows\\win.ini', content: Buffer.from('[fonts]\n') },
        { name: '..', content: Buffer.from('dots\n') },
      ]);
      expect(windows.status, JSON.stringify(windows.body)).to.equal(201);
      expect(windows.body.items.map((i: { originalName: string }) => i.originalName)).to.deep.equal(
        ['passwd', 'win.ini', 'evidence'],
      );
    });

    it('strips NUL, control and bidi characters from a name', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await uploadRaw(w.t, w.complainant, c.id, [
        {
          name: 'unused',
          encodedName: encodeURIComponent('in\u0000voice\u0001\u001f\u007f\u202egpj.exe\r\n.png'),
          content: png(160),
        },
        { name: 'tab%0Aand\tnewline.png', content: png(161) },
      ]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.items.map((i: { originalName: string }) => i.originalName)).to.deep.equal([
        'invoicegpj.exe.png',
        'tabandnewline.png',
      ]);
    });

    it('refuses a name with raw control bytes in the part header as malformed multipart (400)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await uploadRaw(w.t, w.complainant, c.id, [
        { name: 'bad\u0000name.png', content: png(165) },
      ]);
      expectProblem(res, 400);
      await expectNothingKept(w.t, c.id);
    });

    it('cuts a 1,000-character name to 255 bytes, keeping its extension and whole characters', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.complainant, c.id, [
        { name: `${'a'.repeat(996)}.png`, content: png(170) },
        { name: `${'证'.repeat(996)}.pdf`, content: pdf(170) },
      ]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const [latin, chinese] = res.body.items.map((i: { originalName: string }) => i.originalName);
      expect(Buffer.byteLength(latin)).to.equal(255);
      expect(latin).to.match(/^a+\.png$/);
      expect(Buffer.byteLength(chinese)).to.be.at.most(255).and.at.least(252);
      expect(chinese).to.match(/^证+\.pdf$/);
    });

    it("answers a stranger uploading to someone else's case with 404, reading nothing", async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await upload(w.t, w.stranger, c.id, [{ name: 'a.png', content: png(180) }]);
      expectProblem(res, 404);
      await expectNothingKept(w.t, c.id);
      const missing = await upload(w.t, w.complainant, 'ffffffffffffffffffffffff', [
        { name: 'a.png', content: png(181) },
      ]);
      expectProblem(missing, 404);
    });

    it('refuses uploads once the case is closed or withdrawn (409)', async () => {
      const closed = await fileCase(w.t, w.complainant);
      await send(w.t, w.officer, closed, { type: 'TRIAGE_REJECT', reason: 'duplicate' });
      const withdrawn = await fileCase(w.t, w.complainant);
      await send(w.t, w.complainant, withdrawn, { type: 'WITHDRAW' });
      for (const [c, state] of [
        [closed, 'closed'],
        [withdrawn, 'withdrawn'],
      ] as const) {
        const res = await upload(w.t, w.complainant, c.id, [{ name: 'a.png', content: png(190) }]);
        expectProblem(res, 409);
        expect(res.body.state).to.equal(state);
      }
      expect(await storedObjects(w.t)).to.deep.equal([]);
    });

    it('refuses an upload without a token (401)', async () => {
      const c = await fileCase(w.t, w.complainant);
      const res = await w.t.http
        .post(`/api/v1/cases/${c.id}/evidence`)
        .field('kind', 'other')
        .attach('files', png(200), 'a.png');
      expectProblem(res, 401);
    });
  });
}
