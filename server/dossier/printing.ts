// The dossier's printable parts: the body's clocks and the platform's timeliness as lines, and
// the timeline as the reader sees it. Every line is built from labels and formatted values, never
// from a code: the PDF prints these as they are, and the JSON carries them for any other printer.
import type { BodyClockStanding, ClockStanding, Timeliness } from '../../workflows/timeliness.ts';
import {
  BODY_CLOCK_LABELS,
  BODY_DECISION_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  CLOCK_STATUS_LABELS,
  DEADLINE_KIND_LABELS,
  DEADLINE_UNIT_LABELS,
  ENTRY_FIELD_LABELS,
  EVENT_LABELS,
  EVIDENCE_KIND_LABELS,
  LEGAL_OUTCOME_LABELS,
  RESPONSE_OUTCOME_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  labelFor,
  type Label,
} from '../../workflows/labels.ts';
import type { TimelineEntry } from '../cases/timeline.ts';
import type { DossierFormat } from './format.ts';
import { UI, field, say, type Locale } from './labels.ts';

/** `7个工作日`, `6 months`, `15 calendar days`. */
export function lengthText(duration: BodyClockStanding['duration'], locale: Locale): string {
  const unit = DEADLINE_UNIT_LABELS[duration.unit][locale];
  if (locale === 'en') return `${duration.amount} ${unit}`;
  return duration.unit === 'months' ? `${duration.amount}${unit}` : `${duration.amount}个${unit}`;
}

const ANCHOR_TEXT: Record<string, Label> = {
  escalated: UI.anchorEscalated,
  accepted: UI.anchorAccepted,
  decided: UI.anchorDecided,
  finalResponse: UI.anchorFinalResponse,
};

/** One clock of the body: what it is, how long, from when, by when, how it stands, its source. */
export function bodyClockLines(clock: BodyClockStanding, fmt: DossierFormat): string[] {
  const { locale } = fmt;
  const values = {
    length: lengthText(clock.duration, locale),
    status: CLOCK_STATUS_LABELS[clock.status][locale],
    anchor: ANCHOR_TEXT[clock.from]?.[locale] ?? '',
    start: clock.startsAt ? fmt.day(clock.startsAt) : '',
    due: clock.dueAt ? fmt.day(clock.dueAt) : '',
  };
  let text: string;
  if (!clock.startsAt || !clock.dueAt) text = say(UI.clockUndated, locale, values);
  else if (clock.projected) text = say(UI.clockProjected, locale, values);
  else text = say(UI.clockFrom, locale, values);
  return [
    field(BODY_CLOCK_LABELS[clock.key], locale, text),
    `    ${say(UI.clockSource, locale, { source: clock.source })}`,
  ];
}

function standingText(standing: ClockStanding | null, fmt: DossierFormat): string {
  const { locale } = fmt;
  if (!standing) return say(UI.notStarted, locale);
  const status = CLOCK_STATUS_LABELS[standing.status][locale];
  return standing.dueAt
    ? say(UI.standingDue, locale, { status, due: fmt.instant(standing.dueAt) })
    : status;
}

/** The CFPB's "timely response", and the two platform clocks it is judged on. */
export function timelinessLines(timeliness: Timeliness, fmt: DossierFormat): string[] {
  const { locale } = fmt;
  const verdict =
    timeliness.timely === null ? UI.timelyOpen : timeliness.timely ? UI.timelyYes : UI.timelyNo;
  return [
    field(UI.timely, locale, say(verdict, locale)),
    field(DEADLINE_KIND_LABELS.acknowledge, locale, standingText(timeliness.acknowledged, fmt)),
    field(DEADLINE_KIND_LABELS.finalResponse, locale, standingText(timeliness.answered, fmt)),
  ];
}

export interface PrintedEntry {
  seq: number;
  when: string;
  what: string;
  who: string;
  from: string | null;
  to: string;
  details: string[];
  hash: string;
}

const TEXT_FIELDS = [
  'question',
  'answer',
  'message',
  'remedy',
  'reason',
  'note',
  'externalReference',
] as const;

/** An entry's payload in words: codes by their labels, text as written, ids left out. */
function detailsOf(entry: TimelineEntry, fmt: DossierFormat): string[] {
  const { locale } = fmt;
  const data = entry.data ?? {};
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
  const lines: string[] = [];
  const add = (label: Label, value: string | null) => {
    if (value) lines.push(field(label, locale, value));
  };
  if (text(data.outcome)) {
    const table =
      entry.type === 'RECORD_LEGAL_OUTCOME' ? LEGAL_OUTCOME_LABELS : RESPONSE_OUTCOME_LABELS;
    add(ENTRY_FIELD_LABELS.outcome, labelFor(table, String(data.outcome), locale));
  }
  if (text(data.decision))
    add(ENTRY_FIELD_LABELS.decision, labelFor(BODY_DECISION_LABELS, String(data.decision), locale));
  if (text(data.deadline))
    add(ENTRY_FIELD_LABELS.deadline, labelFor(DEADLINE_KIND_LABELS, String(data.deadline), locale));
  if (text(data.category))
    add(ENTRY_FIELD_LABELS.category, labelFor(CATEGORY_LABELS, String(data.category), locale));
  if (text(data.channel))
    add(ENTRY_FIELD_LABELS.channel, labelFor(CHANNEL_LABELS, String(data.channel), locale));
  if (data.amount && typeof data.amount === 'object') {
    const amount = data.amount as { amountMinor?: unknown; currency?: unknown };
    if (typeof amount.amountMinor === 'number' && typeof amount.currency === 'string') {
      add(
        ENTRY_FIELD_LABELS.amount,
        fmt.money({ amountMinor: amount.amountMinor, currency: amount.currency }),
      );
    }
  }
  for (const key of TEXT_FIELDS) add(ENTRY_FIELD_LABELS[key], text(data[key]));
  const respondent = data.respondent as
    { address?: unknown; registrationNumber?: unknown } | undefined;
  if (respondent && typeof respondent === 'object') {
    // UPDATE_DETAILS: the details it completed, each by name, so the reader sees what changed.
    add(ENTRY_FIELD_LABELS['respondent.address'], text(respondent.address));
    add(ENTRY_FIELD_LABELS['respondent.registrationNumber'], text(respondent.registrationNumber));
  }
  if (Array.isArray(data.items)) {
    for (const item of data.items as { name?: unknown; kind?: unknown }[]) {
      const kind = labelFor(
        EVIDENCE_KIND_LABELS,
        typeof item.kind === 'string' ? item.kind : 'other',
        locale,
      );
      lines.push(`${text(item.name) ?? ''} (${kind})`.trim());
    }
  }
  return lines;
}

export function printedTimeline(
  entries: readonly TimelineEntry[],
  fmt: DossierFormat,
): PrintedEntry[] {
  const { locale } = fmt;
  return entries.map((entry) => ({
    seq: entry.seq,
    when: fmt.instant(entry.at),
    what: labelFor(EVENT_LABELS, entry.type, locale),
    who: labelFor(ROLE_LABELS, entry.actor.role, locale),
    from: entry.fromState === null ? null : labelFor(STATE_LABELS, entry.fromState, locale),
    to: labelFor(STATE_LABELS, entry.toState, locale),
    details: detailsOf(entry, fmt),
    hash: entry.hash,
  }));
}
