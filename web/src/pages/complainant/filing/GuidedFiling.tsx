import { useCallback, useEffect, useMemo, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { PickedFile } from '../../../components/case/upload';
import { CheckAnswers } from './CheckAnswers';
import { FilingContext, type Filing, type OnBehalf } from './context';
import { Done } from './Done';
import { clearDraft, EMPTY_DRAFT, loadDraft, saveDraft, type Draft } from './draft';
import { CompanyStep, TransactionStep } from './FactSteps';
import { CategoryStep, ChecksStep, SolvedPage } from './FirstSteps';
import { EvidenceStep, StoryStep } from './StorySteps';

function FilingProvider({
  userId,
  basePath,
  onBehalf,
  children,
}: {
  userId: string;
  basePath: string;
  onBehalf: OnBehalf | null;
  children: React.ReactNode;
}) {
  const [draft, setDraft] = useState<Draft>(() => loadDraft(userId));
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [dirty, setDirty] = useState(false);

  // Every keystroke is kept: a reload or a crash loses nothing that was typed.
  useEffect(() => {
    if (dirty) saveDraft(userId, draft);
  }, [dirty, draft, userId]);

  const update = useCallback((patch: Partial<Draft>) => {
    setDirty(true);
    setDraft((current) => ({ ...current, ...patch }));
  }, []);

  const reset = useCallback(() => {
    clearDraft(userId);
    setDirty(false);
    setDraft({ ...EMPTY_DRAFT });
  }, [userId]);

  const value = useMemo<Filing>(
    () => ({ userId, basePath, onBehalf, draft, update, files, setFiles, reset }),
    [userId, basePath, onBehalf, draft, update, files, reset],
  );
  return <FilingContext.Provider value={value}>{children}</FilingContext.Provider>;
}

/**
 * The guided filing: one route per step under `basePath`, the draft kept in localStorage under
 * `draftKey`. Complainants file for themselves at /file; officers use the same steps for
 * someone who phoned or wrote (`onBehalf`).
 */
export function GuidedFiling({
  basePath,
  draftKey,
  onBehalf,
}: {
  basePath: string;
  draftKey: string;
  onBehalf: OnBehalf | null;
}) {
  return (
    <FilingProvider key={draftKey} userId={draftKey} basePath={basePath} onBehalf={onBehalf}>
      <Routes>
        <Route index element={<Navigate to="category" replace />} />
        <Route path="category" element={<CategoryStep />} />
        <Route path="checks" element={<ChecksStep />} />
        <Route path="solved" element={<SolvedPage />} />
        <Route path="company" element={<CompanyStep />} />
        <Route path="transaction" element={<TransactionStep />} />
        <Route path="story" element={<StoryStep />} />
        <Route path="evidence" element={<EvidenceStep />} />
        <Route path="check-answers" element={<CheckAnswers />} />
        {!onBehalf && <Route path="done/:id" element={<Done />} />}
        <Route path="*" element={<Navigate to="category" replace />} />
      </Routes>
    </FilingProvider>
  );
}
