import { Alert, Input, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useI18n } from '../../i18n';
import { chunksOf } from './read-file';
import { formatBytes } from './shared';
import type { VerifyReport } from './verify-core';
import { VerifyResult } from './VerifyResult';

type Run =
  | { phase: 'idle' }
  | { phase: 'reading'; name: string; size: number; bytes: number; cases: number }
  | { phase: 'done'; name: string; report: VerifyReport }
  | { phase: 'csv'; name: string }
  | { phase: 'error'; name: string; detail: string };

/** Reads a file through the shared verifier, reporting progress; a newer file cancels an older one. */
function useVerifier() {
  const [run, setRun] = useState<Run>({ phase: 'idle' });
  const current = useRef<AbortController | null>(null);
  useEffect(() => () => current.current?.abort(), []);

  async function verify(file: File) {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    const { name, size } = file;
    if (/\.csv$/i.test(name)) {
      setRun({ phase: 'csv', name });
      return;
    }
    setRun({ phase: 'reading', name, size, bytes: 0, cases: 0 });
    try {
      const { verifyExport } = await import('./verify-core');
      const report = await verifyExport(chunksOf(file, controller.signal), (progress) => {
        if (!controller.signal.aborted)
          setRun({ phase: 'reading', name, size, bytes: progress.bytes, cases: progress.cases });
      });
      if (!controller.signal.aborted) setRun({ phase: 'done', name, report });
    } catch (error) {
      if (!controller.signal.aborted)
        setRun({
          phase: 'error',
          name,
          detail: error instanceof Error ? error.message : String(error),
        });
    }
  }
  return { run, verify };
}

function DropZone({ onFile }: { onFile(file: File): void }) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    <Paper
      withBorder
      p="lg"
      bg={over ? 'blue.0' : undefined}
      style={{ borderStyle: 'dashed', borderWidth: 2 }}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <Stack gap="xs">
        <Input.Wrapper
          id="export-file"
          label={t('verify.file')}
          description={t('verify.fileHint')}
          size="md"
        >
          <input
            id="export-file"
            type="file"
            accept=".ndjson,.jsonl,.json,application/x-ndjson,application/json"
            aria-describedby="export-file-description"
            className="file-input"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) onFile(file);
            }}
          />
        </Input.Wrapper>
        <Text size="sm" c="dimmed">
          {over ? t('verify.dropActive') : t('verify.drop')}
        </Text>
      </Stack>
    </Paper>
  );
}

function Reading({ run }: { run: Extract<Run, { phase: 'reading' }> }) {
  const { t, lang, fmt } = useI18n();
  const percent = run.size > 0 ? Math.min(100, Math.round((run.bytes / run.size) * 100)) : 0;
  return (
    <Stack gap="xs">
      <Progress.Root size="lg">
        <Progress.Section
          value={percent}
          aria-label={t('verify.progressLabel', { name: run.name })}
        />
      </Progress.Root>
      <Text size="sm" role="status">
        {t('verify.progressLabel', { name: run.name })}
      </Text>
      <Text size="sm" aria-hidden>
        {t('verify.progress', {
          name: run.name,
          done: formatBytes(run.bytes, lang),
          total: formatBytes(run.size, lang),
          cases: fmt.number(run.cases),
        })}
      </Text>
    </Stack>
  );
}

export function VerifyExport() {
  const { t } = useI18n();
  const { run, verify } = useVerifier();
  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap="xs">
        <Title order={1}>{t('verify.title')}</Title>
        <Text>{t('verify.intro')}</Text>
        <Text fw={700}>{t('verify.private')}</Text>
      </Stack>
      <DropZone onFile={(file) => void verify(file)} />
      {run.phase === 'reading' && <Reading run={run} />}
      {run.phase === 'csv' && <Alert color="orange">{t('verify.csv')}</Alert>}
      {run.phase === 'error' && (
        <Alert color="red">{t('verify.readError', { detail: run.detail })}</Alert>
      )}
      {run.phase === 'done' && <VerifyResult name={run.name} report={run.report} />}
    </Stack>
  );
}
