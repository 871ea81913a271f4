import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Image,
  Paper,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { ProblemAlert } from '../ProblemAlert';
import { EvidencePicker, formatBytes } from './EvidencePicker';
import { problemText, refreshCase, useEvidence, type EvidenceData } from './queries';
import { uploadAll, type PickedFile } from './upload';
import { Loading } from './Loading';

type Item = EvidenceData['items'][number];

/**
 * A PDF shown in the page. The download answers as an attachment, which a frame would save
 * rather than show, so the bytes are fetched and framed from a blob: URL (CSP frame-src blob:).
 */
function PdfView({ item }: { item: Item }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let live = true;
    fetch(item.href, { credentials: 'same-origin' })
      .then(async (response) => {
        if (!response.ok) throw new Error(response.statusText);
        const blob = new Blob([await response.arrayBuffer()], { type: 'application/pdf' });
        objectUrl = URL.createObjectURL(blob);
        if (live) setUrl(objectUrl);
      })
      .catch((error: unknown) => live && setFailed(error));
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [item.href]);
  if (failed) return <ProblemAlert error={failed} />;
  if (!url) return <Loading />;
  return (
    <iframe
      src={url}
      title={t('evidence.pdfTitle', { name: item.originalName })}
      style={{ width: '100%', height: 420, border: '1px solid var(--mantine-color-gray-4)' }}
    />
  );
}

function EvidenceRow({ item }: { item: Item }) {
  const { t, tDynamic, fmt } = useI18n();
  const [showPdf, setShowPdf] = useState(false);
  const isImage = item.mediaType.startsWith('image/');
  const isPdf = item.mediaType === 'application/pdf';
  return (
    <Paper component="li" withBorder p="sm">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Text fw={700} style={{ overflowWrap: 'anywhere' }}>
            {item.originalName}
          </Text>
          {item.flagged && (
            <Badge color="red.9" variant="filled" tt="none">
              {t('evidence.flagged')}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t('evidence.meta', {
            kind: tDynamic(`evidenceKind.${item.kind}`),
            size: formatBytes(item.size, fmt.number),
            at: fmt.dateTime(item.uploadedAt),
          })}
        </Text>
        {item.description && <Text size="sm">{item.description}</Text>}
        {isImage && !item.flagged && (
          <Image
            src={item.href}
            alt={t('evidence.imageAlt', { name: item.originalName })}
            maw={240}
            mah={240}
            fit="contain"
            radius="sm"
          />
        )}
        {showPdf && <PdfView item={item} />}
        <Group gap="sm">
          {isPdf && !item.flagged && (
            <Button variant="default" size="xs" onClick={() => setShowPdf((shown) => !shown)}>
              {showPdf ? t('evidence.hidePdf') : t('evidence.showPdf')}
            </Button>
          )}
          <Anchor href={item.href} download={item.originalName} size="sm">
            {t('common.download')}
            <VisuallyHidden component="span"> {item.originalName}</VisuallyHidden>
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}

function AddEvidence({
  caseId,
  limits,
  headingOrder,
}: {
  caseId: string;
  limits: EvidenceData['limits'];
  headingOrder: 3 | 4;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const update = (id: string, change: Partial<PickedFile>) =>
    setFiles((list) => list.map((file) => (file.id === id ? { ...file, ...change } : file)));

  async function upload() {
    setBusy(true);
    setDone(false);
    const ok = await uploadAll(caseId, files, update, (error) => problemText(error, t));
    await refreshCase(queryClient, caseId);
    setBusy(false);
    if (ok) {
      setFiles([]);
      setDone(true);
    }
  }

  const pending = files.filter((file) => file.status !== 'done').length;
  return (
    <Stack gap="sm" mt="md">
      <Title order={headingOrder}>{t('evidence.addTitle')}</Title>
      <EvidencePicker
        files={files}
        onChange={(next) => {
          setFiles(next);
          setDone(false);
        }}
        maxFileBytes={limits.maxFileBytes}
        maxFiles={limits.maxFiles}
        disabled={busy}
      />
      <Text role="status" size="sm">
        {done ? t('evidence.addedAll') : ''}
      </Text>
      {pending > 0 && (
        <Group>
          <Button onClick={() => void upload()} loading={busy}>
            {t('evidence.upload')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** A case's evidence: each file with its kind, size and time, shown inline where it can be. */
export function EvidencePanel({
  caseId,
  canUpload,
  headingOrder = 2,
}: {
  caseId: string;
  canUpload: boolean;
  headingOrder?: 2 | 3;
}) {
  const { t } = useI18n();
  const evidence = useEvidence(caseId);
  return (
    <Box component="section" aria-labelledby={`evidence-${caseId}`}>
      <Title order={headingOrder} id={`evidence-${caseId}`} mb="sm">
        {t('evidence.title')}
      </Title>
      {evidence.isPending && <Loading />}
      <ProblemAlert error={evidence.error} />
      {evidence.data && evidence.data.items.length === 0 && <Text>{t('evidence.none')}</Text>}
      {evidence.data && evidence.data.items.length > 0 && (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
          {evidence.data.items.map((item) => (
            <EvidenceRow key={item.id} item={item} />
          ))}
        </Stack>
      )}
      {canUpload && evidence.data && (
        <AddEvidence
          caseId={caseId}
          limits={evidence.data.limits}
          headingOrder={headingOrder === 2 ? 3 : 4}
        />
      )}
    </Box>
  );
}
