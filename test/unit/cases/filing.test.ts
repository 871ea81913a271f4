import { expect } from 'chai';
import { ownerOfFiling } from '../../../server/cases/filing.ts';
import { verifyChain } from '../../../server/cases/timeline.ts';
import { ForbiddenError, UnprocessableError, ValidationError } from '../../../server/errors.ts';
import {
  complainant,
  complainantId,
  fakeFiling,
  FILED_AT,
  input,
  officer,
  officerId,
  users,
} from './fixtures.ts';

// Filing against fake accounts, a fake allocator and a fake repository: no database.
describe('cases: filing', () => {
  const now = new Date(FILED_AT);

  it('refuses a transaction in the future, naming the field', async () => {
    const transaction = { ...input.transaction, occurredAt: '2026-11-03T00:00:00Z' };
    const error = await ownerOfFiling(users, complainant, { ...input, transaction }, now).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).fields[0]!.path).to.equal('transaction.occurredAt');
  });

  it('files for the complainant, or for the complainant an officer names', async () => {
    expect(await ownerOfFiling(users, complainant, input, now)).to.equal(complainantId);
    const onBehalf = { ...input, complainantId };
    expect(await ownerOfFiling(users, officer, onBehalf, now)).to.equal(complainantId);
  });

  it('refuses an officer naming nobody or a non-complainant, and a complainant filing for another', async () => {
    const refusal = (actor: typeof officer | typeof complainant, id?: string) =>
      ownerOfFiling(users, actor, { ...input, ...(id ? { complainantId: id } : {}) }, now).catch(
        (e: unknown) => e,
      );
    expect(await refusal(officer)).to.be.instanceOf(ValidationError);
    expect(await refusal(officer, officerId)).to.be.instanceOf(UnprocessableError);
    expect(await refusal(complainant, officerId)).to.be.instanceOf(ForbiddenError);
  });

  it('stores the initial state, its deadlines, a sealed FILED entry and the filing email', async () => {
    const { file, inserted } = fakeFiling();
    const view = await file({ ...complainant, email: 'c@example.com' } as never, input);
    expect(inserted).to.have.length(1);
    const { record, notifications } = inserted[0]!;
    expect(view).to.include({ reference: 'RD-2026-000042', state: 'filed', version: 1 });
    expect(record.timeline.map((e) => [e.seq, e.type, e.fromState, e.toState])).to.deep.equal([
      [1, 'FILED', null, 'filed'],
    ]);
    expect(verifyChain(record.timeline).verified).to.equal(true);
    expect(record.deadlines.map((d) => [d.kind, d.status])).to.deep.equal([
      ['acknowledge', 'running'],
    ]);
    expect(record.nextDueAt?.toISOString()).to.equal(record.deadlines[0]!.dueAt);
    expect(notifications.map((n) => [n.template, n.recipientId, n.entrySeq])).to.deep.equal([
      ['filed', complainantId, 1],
    ]);
  });

  it('records on whose behalf an officer filed', async () => {
    const { file, inserted } = fakeFiling();
    await file({ ...officer, email: 'o@example.com' } as never, { ...input, complainantId });
    const { record } = inserted[0]!;
    expect(record.ownerId.toHexString()).to.equal(complainantId);
    expect(record.filedById.toHexString()).to.equal(officerId);
    expect(record.timeline[0]!.data).to.include({ onBehalfOf: complainantId });
  });
});
