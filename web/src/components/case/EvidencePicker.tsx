import {
  Alert,
  Box,
  Button,
  Group,
  Input,
  List,
  NativeSelect,
  Paper,
  Progress,
  Stack,
  Text,
} from '@mantine/core';
import { useId, useState, type DragEvent } from 'react';
import { useI18n } from '../../i18n';
import {
  ACCEPT,
  DEFAULT_LIMITS,
  EVIDENCE_KINDS,
  pick,
  refusalOf,
  type EvidenceKind,
  type PickedFile,
  type Refusal,
} from './upload';

export function formatBytes(bytes: number, number: (value: number) => string): string {
  if (bytes >= 1024 ** 2) return `${number(Math.round((bytes / 1024 ** 2) * 10) / 10)} MB`;
  if (bytes >= 1024) return `${number(Math.round(bytes / 1024))} KB`;
  return `${number(bytes)} B`;
}

interface Props {
  files: PickedFile[];
  onChange(files: PickedFile[]): void;
  maxFileBytes?: number;
  maxFiles?: number;
  disabled?: boolean;
  /** Shown under the label, e.g. that files must be chosen again after a reload. */
  hint?: string;
}

function RefusalList({ refusals }: { refusals: Refusal[] }) {
  const { t, fmt } = useI18n();
  const text = (refusal: Refusal): string => {
    switch (refusal.reason) {
      case 'type':
        return t('evidence.refusedType', { name: refusal.name });
      case 'size':
        return t('evidence.refusedSize', {
          name: refusal.name,
          size: formatBytes(refusal.limitBytes, fmt.number),
        });
      case 'empty':
        return t('evidence.refusedEmpty', { name: refusal.name });
      case 'count':
        return t('evidence.refusedCount', { name: refusal.name, max: refusal.max });
    }
  };
  return (
    <Box aria-live="polite">
      {refusals.length > 0 && (
        <Alert color="red" variant="outline" role="alert" title={t('evidence.refusedTitle')}>
          <List size="sm">
            {refusals.map((refusal, index) => (
              <List.Item key={`${refusal.name}-${index}`}>{text(refusal)}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Box>
  );
}

/** The labelled file input inside a drop zone; both hand their files to `onFiles`. */
function FileDrop({
  onFiles,
  description,
  disabled,
}: {
  onFiles(list: FileList | null): void;
  description: string;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!disabled) onFiles(event.dataTransfer.files);
  };
  return (
    <Paper
      withBorder
      p="md"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      bg={dragging ? 'blue.0' : undefined}
      style={{ borderStyle: 'dashed' }}
    >
      <Input.Wrapper
        label={t('evidence.files')}
        id={inputId}
        description={description}
        inputWrapperOrder={['label', 'description', 'input']}
      >
        <Input
          component="input"
          type="file"
          id={inputId}
          aria-describedby={`${inputId}-description`}
          multiple
          accept={ACCEPT}
          disabled={disabled}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
            onFiles(event.currentTarget.files);
            event.currentTarget.value = '';
          }}
          styles={{ input: { paddingTop: 6, height: 'auto', minHeight: 40 } }}
        />
      </Input.Wrapper>
      <Text size="sm" c="dimmed" mt="xs">
        {t('evidence.drop')}
      </Text>
    </Paper>
  );
}

/**
 * Choose files (input or drag and drop), name the kind of each, and follow each upload. The
 * files stay in memory only: File objects cannot be stored across a reload.
 */
export function EvidencePicker({
  files,
  onChange,
  maxFileBytes = DEFAULT_LIMITS.maxFileBytes,
  maxFiles = DEFAULT_LIMITS.maxFiles,
  disabled = false,
  hint,
}: Props) {
  const { t, fmt } = useI18n();
  const [refusals, setRefusals] = useState<Refusal[]>([]);

  function add(list: FileList | null) {
    if (!list) return;
    const refused: Refusal[] = [];
    const accepted: PickedFile[] = [];
    for (const file of Array.from(list)) {
      const refusal = refusalOf(file, maxFileBytes);
      if (refusal) refused.push(refusal);
      else if (files.length + accepted.length >= maxFiles)
        refused.push({ reason: 'count', name: file.name, max: maxFiles });
      else accepted.push(pick(file));
    }
    setRefusals(refused);
    if (accepted.length) onChange([...files, ...accepted]);
  }

  const description =
    hint ?? t('evidence.filesHint', { size: formatBytes(maxFileBytes, fmt.number), max: maxFiles });
  return (
    <Stack gap="sm">
      <FileDrop onFiles={add} description={description} disabled={disabled} />
      <RefusalList refusals={refusals} />
      {files.length > 0 && (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {files.map((item) => (
            <PickedRow
              key={item.id}
              item={item}
              disabled={disabled}
              onKind={(kind) => onChange(files.map((f) => (f.id === item.id ? { ...f, kind } : f)))}
              onRemove={() => onChange(files.filter((f) => f.id !== item.id))}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function PickedRow({
  item,
  disabled,
  onKind,
  onRemove,
}: {
  item: PickedFile;
  disabled: boolean;
  onKind(kind: EvidenceKind): void;
  onRemove(): void;
}) {
  const { t, tDynamic, fmt } = useI18n();
  const nameId = useId();
  const locked = disabled || item.status === 'uploading' || item.status === 'done';
  const percent = Math.round(item.progress * 100);
  return (
    <Paper component="li" withBorder p="sm">
      <Stack gap="xs">
        <Text fw={600} id={nameId} style={{ overflowWrap: 'anywhere' }}>
          {item.file.name}{' '}
          <Text span c="dimmed" size="sm">
            ({formatBytes(item.file.size, fmt.number)})
          </Text>
        </Text>
        <Group align="end" gap="sm" wrap="wrap">
          <NativeSelect
            label={t('evidence.kind')}
            aria-describedby={nameId}
            value={item.kind}
            disabled={locked}
            onChange={(event) => onKind(event.currentTarget.value as EvidenceKind)}
            data={EVIDENCE_KINDS.map((kind) => ({
              value: kind,
              label: tDynamic(`evidenceKind.${kind}`),
            }))}
            style={{ flex: '1 1 12rem' }}
          />
          {!locked && (
            <Button variant="default" onClick={onRemove} aria-describedby={nameId}>
              {t('evidence.remove')}
            </Button>
          )}
        </Group>
        {item.status !== 'ready' && (
          <Progress
            value={percent}
            color={
              item.status === 'failed' ? 'red.9' : item.status === 'done' ? 'green.9' : 'blue.8'
            }
            aria-label={t('evidence.progress', { name: item.file.name })}
          />
        )}
        <Text size="sm" role="status" c={item.status === 'failed' ? 'red.9' : undefined}>
          {item.status === 'uploading' && t('evidence.uploading', { percent })}
          {item.status === 'done' && t('evidence.uploaded')}
          {item.status === 'failed' && t('evidence.failed', { detail: item.error ?? '' })}
        </Text>
      </Stack>
    </Paper>
  );
}
