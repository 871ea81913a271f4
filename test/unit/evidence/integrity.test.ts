import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { IntegrityError, verifyingStream } from '../../../server/evidence/integrity.ts';

// The hash check of a whole-file download, on bytes in memory.
const bytes = Buffer.from('the bytes of a receipt, in two chunks');
const item = {
  id: 'e1',
  size: bytes.length,
  sha256: createHash('sha256').update(bytes).digest('hex'),
};

async function read(chunks: Buffer[], expected = item) {
  const failures: string[] = [];
  const received: Buffer[] = [];
  const stream = Readable.from(chunks).pipe(
    verifyingStream(expected, async (reason) => void failures.push(reason)),
  );
  try {
    for await (const chunk of stream) received.push(chunk as Buffer);
    return { error: null, failures, received: Buffer.concat(received) };
  } catch (error) {
    return { error, failures, received: Buffer.concat(received) };
  }
}

describe('evidence: verifying a download', () => {
  it('passes matching bytes through whole', async () => {
    const result = await read([bytes.subarray(0, 10), bytes.subarray(10)]);
    expect(result.error).to.equal(null);
    expect(result.received.equals(bytes)).to.equal(true);
  });

  it('cuts altered bytes short of their end and reports a hash mismatch', async () => {
    const altered = Buffer.from(bytes);
    altered[3] = 0x21;
    const result = await read([altered.subarray(0, 10), altered.subarray(10)]);
    expect(result.error).to.be.instanceOf(IntegrityError);
    expect(result.failures).to.deep.equal(['hash-mismatch']);
    expect(result.received.length).to.be.below(bytes.length);
  });

  it('reports a size mismatch for bytes longer or shorter than recorded', async () => {
    const longer = await read([bytes, Buffer.from('!')]);
    expect(longer.failures).to.deep.equal(['size-mismatch']);
    const shorter = await read([bytes.subarray(0, 5)]);
    expect(shorter.failures).to.deep.equal(['size-mismatch']);
    expect(shorter.received.length).to.equal(0);
  });
});
