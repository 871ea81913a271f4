import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { CaseModel } from '../cases/model.ts';
import type { CaseChangeModel } from '../cases/journal.ts';
import type { UserService } from '../users/service.ts';
import { createAccountEmails } from './account-emails.ts';
import { mongoAttemptStore } from './attempt-store.ts';
import { createAttempts } from './attempts.ts';
import { caseReads, compose } from './compose.ts';
import { createDeadlineWarnings, warningReads } from './deadline-warnings.ts';
import { createClaimPruning, createDispatch, createDueQueue } from './dispatcher.ts';
import type { NotificationClaimModel, NotificationModel } from './model.ts';
import { createParkedEmails } from './parked.ts';
import { createNotificationInserter, mailDomain, messageIdsIn } from './queue.ts';
import { createRelay, journalOutbox } from './relay.ts';
import type { MailTransport } from './transport.ts';

export { SET_PASSWORD_TEMPLATE } from './account-emails.ts';
export { mailDomain } from './queue.ts';

export interface NotificationSettings {
  mailFrom: string;
  publicUrl: string | undefined;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  batchSize: number;
  /** 0 turns deadline warnings off. */
  deadlineWarningMs: number;
}

export interface NotificationServiceDeps {
  notifications: NotificationModel;
  claims: NotificationClaimModel;
  /** Read only: the case a message is about, and the deadlines the warning sweep looks at. */
  cases: CaseModel;
  /** The case change journal, which is the outbox: read, and its `relayed` flag set. */
  changes: CaseChangeModel;
  users: UserService;
  clock: Clock;
  transport: MailTransport;
  logger: Logger;
  settings: NotificationSettings;
  /** Names this dispatcher in its claims (logs only); unique per instance by default. */
  owner?: string;
  /** For the retry jitter; tests pass a fixed one. */
  random?: () => number;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

export interface DispatchSummary {
  relayed: number;
  warned: number;
  sent: number;
  failed: number;
  parked: number;
  skipped: number;
  /** Due notifications left alone because another dispatcher held them. */
  busy: number;
}

/** Claims are kept this long at least, far beyond any lease, then pruned. */
const CLAIM_RETENTION_MS = 24 * 3_600_000;
/**
 * The deadline-warning pass reads every assigned case due within the lead time, so the
 * dispatcher (every few seconds) runs it at most this often; a warning may go out a minute late.
 */
const WARNING_SWEEP_INTERVAL_MS = 60_000;

/** Runs `sweep` at most once an interval of the service clock; 0 when it is not time yet. */
function throttled(clock: Clock, intervalMs: number, sweep: () => Promise<number>) {
  let last: number | null = null;
  return async (): Promise<number> => {
    const now = clock.now().getTime();
    if (last !== null && Math.abs(now - last) < intervalMs) return 0;
    last = now;
    return sweep();
  };
}

/**
 * Status-change emails. Nothing here runs inside a request: the case service writes outbox
 * items into its change journal in the same insert that claims a case version, and this
 * service, driven by a background loop, relays them into `notifications` (relay.ts), queues
 * deadline warnings (deadline-warnings.ts), claims due ones with an insert (atomic on FerretDB,
 * unlike its updates), renders and sends them, and records the outcome (attempts.ts,
 * dispatcher.ts). See README.md in this folder for the terms and the guarantees.
 */
export function createNotificationService(deps: NotificationServiceDeps) {
  const { notifications, claims, cases, changes, users, clock, transport, logger, settings } = deps;
  const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const domain = mailDomain(settings.mailFrom);
  const claimKeepMs = Math.max(CLAIM_RETENTION_MS, 10 * settings.leaseMs);
  const insertNotification = createNotificationInserter({ notifications, clock });
  const messageIdFor = messageIdsIn(domain);

  const relay = createRelay({ outbox: journalOutbox(changes), insertNotification, messageIdFor });
  const sweepDeadlineWarnings = createDeadlineWarnings({
    reads: warningReads(cases, notifications),
    insertNotification,
    messageIdFor,
    clock,
    leadMs: settings.deadlineWarningMs,
  });
  const composing = { reads: caseReads(cases, changes), users, settings, domain };
  const attemptDelivery = createAttempts({
    store: mongoAttemptStore(notifications, claims),
    compose: (n, now) => compose(composing, n, now),
    transport,
    clock,
    logger,
    settings,
    owner,
    claimKeepMs,
    random: deps.random ?? Math.random,
  });
  const dispatch = createDispatch({
    dueBatch: createDueQueue({ notifications, batchSize: settings.batchSize }),
    attemptDelivery,
    clock,
    batchSize: settings.batchSize,
  });
  const pruneClaims = createClaimPruning({ claims, clock, claimKeepMs });
  const maybeSweepDeadlineWarnings = throttled(
    clock,
    WARNING_SWEEP_INTERVAL_MS,
    sweepDeadlineWarnings,
  );
  const parked = createParkedEmails({
    notifications,
    cases,
    clock,
    logger,
    maxAttempts: settings.maxAttempts,
  });

  return {
    relay,
    sweepDeadlineWarnings,
    dispatch,
    queueSetPasswordEmail: createAccountEmails({ insertNotification, clock, domain }),

    /**
     * One dispatcher run: relay the journal, queue deadline warnings, send what is due. The
     * background loop calls it; tests call it to step the dispatcher by hand.
     */
    async runOnce(): Promise<DispatchSummary> {
      const relayed = await relay();
      const warned = await maybeSweepDeadlineWarnings();
      const sent = await dispatch();
      await pruneClaims();
      return { relayed, warned, ...sent };
    },

    list: parked.list,
    retry: parked.retry,

    close(): void {
      transport.close();
    },
  };
}
