import { expect } from 'chai';
import mongoose from 'mongoose';
import { createCaseModel } from '../../../server/cases/model.ts';
import { PERSONAL_DATA, personalFieldsOf } from '../../../server/privacy/personal-data.ts';
import { createUserModel } from '../../../server/users/model.ts';

// The one list of personal fields is what an erasure will walk: a field it names must exist,
// and the contact details the escalation rules read must be on it.
describe('privacy: the personal data declaration', () => {
  const connection = mongoose.createConnection();
  const schemas: Record<string, mongoose.Schema> = {
    users: createUserModel(connection).schema,
    cases: createCaseModel(connection).schema,
  };
  after(() => connection.close());

  it('names only fields the stored documents have', () => {
    for (const field of PERSONAL_DATA) {
      const schema = schemas[field.collection];
      if (!schema) continue;
      const top = field.path.split(/[.[]/)[0]!;
      expect(schema.path(top), `${field.collection}.${field.path}`).to.not.equal(undefined);
    }
  });

  it("declares the account's name, email, phone and postal address", () => {
    expect(personalFieldsOf('users').map((f) => f.path)).to.include.members([
      'name',
      'email',
      'phone',
      'postalAddress',
    ]);
    expect(personalFieldsOf('cases').map((f) => f.path)).to.include('narrative');
  });
});
