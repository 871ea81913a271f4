import {
  Alert,
  Button,
  DataList,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { bodyName } from '../../../components/case/bodies';
import { EscalationChecklist } from '../../../components/case/EscalationChecklist';
import { useTimeline, type CaseData, type TimelineEntry } from '../../../components/case/queries';
import { ErrorSummary, type FieldError } from '../../../components/ErrorSummary';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useI18n } from '../../../i18n';
import { countryName } from '../filing/places';
import { useCaseEvent, type EventState } from './useCaseEvent';

function lastOf(entries: TimelineEntry[] | undefined, type: string): TimelineEntry | undefined {
  return [...(entries ?? [])].reverse().find((entry) => entry.type === type);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function Outcome({ event }: { event: EventState }) {
  const { t } = useI18n();
  return (
    <>
      {event.conflict && (
        <Alert color="orange" variant="outline" role="alert">
          <Text>{t('case.view.conflict')}</Text>
        </Alert>
      )}
      <ProblemAlert error={event.failure} />
    </>
  );
}

function AnswerRequest({ view, question }: { view: CaseData; question: string }) {
  const { t } = useI18n();
  const event = useCaseEvent(view.id, view.version);
  const [answer, setAnswer] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = answer.trim()
      ? []
      : [{ fieldId: 'answer', message: t('case.view.answerMissing') }];
    setErrors(found);
    if (found.length) return;
    if (await event.send({ type: 'PROVIDE_INFO', answer: answer.trim() })) setAnswer('');
  }

  return (
    <Paper withBorder p="md">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Title order={3}>{t('case.view.questionTitle')}</Title>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{question}</Text>
          <ErrorSummary errors={errors} />
          <Outcome event={event} />
          <Textarea
            id="answer"
            label={t('case.view.answer')}
            autosize
            minRows={4}
            value={answer}
            onChange={(e) => setAnswer(e.currentTarget.value)}
            error={errors[0]?.message}
          />
          <Button type="submit" loading={event.busy} w="fit-content">
            {t('event.PROVIDE_INFO')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

/** The officer's response as the ISSUE_RESPONSE entry recorded it. */
function ResponseDetails({ data }: { data: Record<string, unknown> }) {
  const { t, tDynamic } = useI18n();
  const rows: [string, string][] = [];
  if (text(data.outcome))
    rows.push([t('timeline.field.outcome'), tDynamic(`responseOutcome.${text(data.outcome)}`)]);
  if (text(data.message)) rows.push([t('timeline.field.message'), text(data.message)]);
  if (text(data.remedy)) rows.push([t('timeline.field.remedy'), text(data.remedy)]);
  return (
    <DataList orientation="vertical" gap="xs">
      {rows.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel fw={700}>{label}</DataList.ItemLabel>
          <DataList.ItemValue style={{ whiteSpace: 'pre-wrap' }}>{value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

function ReplyToResponse({ view, response }: { view: CaseData; response?: TimelineEntry }) {
  const { t } = useI18n();
  const event = useCaseEvent(view.id, view.version);
  const [reason, setReason] = useState('');
  const can = (type: string) => view.allowedEvents.includes(type);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3}>{t('case.view.responseTitle')}</Title>
        <ResponseDetails data={response?.data ?? {}} />
        <Outcome event={event} />
        {can('REJECT_RESPONSE') && (
          <Textarea
            id="rejectReason"
            label={t('case.view.rejectReason')}
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        )}
        <Group gap="sm">
          {can('ACCEPT_RESPONSE') && (
            <Button
              loading={event.busy}
              onClick={() => void event.send({ type: 'ACCEPT_RESPONSE' })}
            >
              {t('event.ACCEPT_RESPONSE')}
            </Button>
          )}
          {can('REJECT_RESPONSE') && (
            <Button
              variant="outline"
              loading={event.busy}
              onClick={() =>
                void event.send({
                  type: 'REJECT_RESPONSE',
                  ...(reason.trim() ? { reason: reason.trim() } : {}),
                })
              }
            >
              {t('event.REJECT_RESPONSE')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function Escalate({ view }: { view: CaseData }) {
  const { t, tDynamic, lang } = useI18n();
  const event = useCaseEvent(view.id, view.version);
  const [open, setOpen] = useState(false);
  const body = view.consumerBody
    ? bodyName(tDynamic, view.consumerBody, (code) => countryName(lang, code))
    : t('case.view.theBody');
  const explain = t('case.view.escalateExplain', { body });
  return (
    <>
      <EscalationChecklist view={view} body={body} />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={3}>{t('case.view.escalateTitle')}</Title>
          <Text>{explain}</Text>
          <Outcome event={event} />
          <Button variant="outline" onClick={() => setOpen(true)} w="fit-content">
            {t('event.ESCALATE')}
          </Button>
        </Stack>
        <Modal
          lockScroll={false}
          withCloseButton={false}
          opened={open}
          onClose={() => setOpen(false)}
          title={t('case.view.escalateConfirm', { body })}
        >
          <Stack gap="sm">
            <Text>{explain}</Text>
            <Text>{t('case.view.escalateReceives')}</Text>
            <Group gap="sm">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                loading={event.busy}
                onClick={async () => {
                  await event.send({ type: 'ESCALATE' });
                  setOpen(false);
                }}
              >
                {t('event.ESCALATE')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      </Paper>
    </>
  );
}

function Withdraw({ view }: { view: CaseData }) {
  const { t } = useI18n();
  const event = useCaseEvent(view.id, view.version);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3}>{t('case.view.withdrawTitle')}</Title>
        <Text>{t('case.view.withdrawExplain')}</Text>
        <Outcome event={event} />
        <Button variant="outline" color="red.9" onClick={() => setOpen(true)} w="fit-content">
          {t('event.WITHDRAW')}
        </Button>
      </Stack>
      <Modal
        lockScroll={false}
        withCloseButton={false}
        opened={open}
        onClose={() => setOpen(false)}
        title={t('case.view.withdrawConfirm')}
      >
        <Stack gap="sm">
          <Text>{t('case.view.withdrawExplain')}</Text>
          <Textarea
            id="withdrawReason"
            label={t('case.view.withdrawReason')}
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group gap="sm">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red.9"
              loading={event.busy}
              onClick={async () => {
                await event.send({
                  type: 'WITHDRAW',
                  ...(reason.trim() ? { reason: reason.trim() } : {}),
                });
                setOpen(false);
              }}
            >
              {t('event.WITHDRAW')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

/** Only what the complainant may do now, from the case's allowedEvents. */
export function Actions({ view }: { view: CaseData }) {
  const { t } = useI18n();
  const timeline = useTimeline(view.id);
  const can = (type: string) => view.allowedEvents.includes(type);
  const any = ['PROVIDE_INFO', 'ACCEPT_RESPONSE', 'REJECT_RESPONSE', 'ESCALATE', 'WITHDRAW'].some(
    can,
  );
  if (!any) return null;
  const request = lastOf(timeline.data?.entries, 'REQUEST_INFO');
  const response = lastOf(timeline.data?.entries, 'ISSUE_RESPONSE');
  return (
    <Stack gap="sm" component="section" aria-labelledby="actions-title">
      <Title order={2} id="actions-title">
        {t('case.view.actionsTitle')}
      </Title>
      {can('PROVIDE_INFO') && <AnswerRequest view={view} question={text(request?.data.question)} />}
      {(can('ACCEPT_RESPONSE') || can('REJECT_RESPONSE')) && (
        <ReplyToResponse view={view} response={response} />
      )}
      {can('ESCALATE') && <Escalate view={view} />}
      {can('WITHDRAW') && <Withdraw view={view} />}
    </Stack>
  );
}
