import { expect } from 'chai';
import { MongoBulkWriteError, MongoNetworkError, MongoServerError } from 'mongodb';
import { isDatabaseUnavailable } from '../../../server/db/unavailable.ts';

// The driver's own error classes, built as it builds them, so a 503 is decided on what a kill
// of the database really throws (test/faults saw each of these).
const bulk = (error: Error | { message: string; code: number }) =>
  new MongoBulkWriteError(error as never, {} as never);

describe('database unavailable: which errors answer 503', () => {
  it('takes a bulk insert cut by the network (connection closed, reset) as unavailable', () => {
    expect(
      isDatabaseUnavailable(bulk(new MongoNetworkError('connection 10 to 127.0.0.1:46589 closed'))),
    ).to.equal(true);
    expect(isDatabaseUnavailable(bulk(new MongoNetworkError('read ECONNRESET')))).to.equal(true);
  });

  it('takes a write on a socket the database closed (EPIPE) as unavailable', () => {
    const ended = Object.assign(new Error('This socket has been ended by the other party'), {
      code: 'EPIPE',
    });
    expect(isDatabaseUnavailable(ended)).to.equal(true);
  });

  it('takes FerretDB’s word that PostgreSQL is away as unavailable, also inside a bulk write', () => {
    const away = new MongoServerError({
      message: 'failed to connect to `host=127.0.0.1`',
      code: 1,
    });
    expect(isDatabaseUnavailable(away)).to.equal(true);
    expect(isDatabaseUnavailable(bulk(away))).to.equal(true);
  });

  it('leaves a duplicate key, a validation failure and a plain bug to be what they are', () => {
    expect(
      isDatabaseUnavailable(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })),
    ).to.equal(false);
    expect(isDatabaseUnavailable(bulk({ message: 'E11000 duplicate key', code: 11000 }))).to.equal(
      false,
    );
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).to.equal(false);
    expect(isDatabaseUnavailable(undefined)).to.equal(false);
  });
});
