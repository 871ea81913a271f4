import { expect } from 'chai';
import * as errors from '../../../server/errors.ts';
import { toProblem } from '../../../server/http/problem.ts';

describe('the error table', () => {
  it('renders every domain error with the title of its status, never a generic one', () => {
    const samples: errors.AppError[] = [
      new errors.ValidationError('v'),
      new errors.UnauthorizedError(),
      new errors.ForbiddenError(),
      new errors.NotFoundError('case'),
      new errors.ConflictError('c'),
      new errors.InvalidTransitionError('ASSIGN', 'filed', []),
      new errors.GuardRefusedError('g'),
      new errors.UnprocessableError('u'),
      new errors.PayloadTooLargeError('p'),
      new errors.UnsupportedMediaError('m'),
      new errors.TooManyRequestsError('t', 1),
      new errors.ServiceUnavailableError('s'),
      new errors.RangeNotSatisfiableError('r'),
    ];
    for (const error of samples) {
      const problem = toProblem(error);
      expect(problem.status).to.equal(error.status);
      expect(problem.title).to.equal(errors.STATUS_TITLES[error.status]);
    }
    expect(toProblem(new errors.RangeNotSatisfiableError('past the end')).title).to.equal(
      'Range Not Satisfiable',
    );
  });

  it('answers a database that cannot be reached with 503, not 500', () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), {
      name: 'MongoServerSelectionError',
    });
    expect(toProblem(down)).to.include({ status: 503, title: 'Service Unavailable' });
  });

  it('answers 503 when FerretDB is up but the PostgreSQL under it is down or recovering', () => {
    const ferret = (message: string) =>
      Object.assign(new Error(message), { name: 'MongoServerError', code: 1 });
    for (const message of [
      '[msg_find.go:344 handler.handleMaxTimeMSError] FATAL: terminating connection due to unexpected postmaster exit (SQLSTATE 57P01)',
      '[msg_insert.go:168] failed to connect to `user=redress database=ferretdb`: dial tcp 127.0.0.1:42641: connect: connection refused',
      'FATAL: the database system is starting up (SQLSTATE 57P03)',
    ]) {
      expect(toProblem(ferret(message)), message).to.include({ status: 503 });
    }
    // Any other internal error stays a 500: it is a bug to fix, not an outage to wait out.
    expect(toProblem(ferret('[msg_find.go:1] unexpected type')).status).to.equal(500);
  });
});
