import { useCallback, useEffect, useMemo, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { PickedFile } from '../../components/case/upload';
import { useSession } from '../../session';
import { CheckAnswers } from './filing/CheckAnswers';
import { FilingContext, type Filing } from './filing/context';
import { Done } from './filing/Done';
import { clearDraft, EMPTY_DRAFT, loadDraft, saveDraft, type Draft } from './filing/draft';
import { CompanyStep, TransactionStep } from './filing/FactSteps';
import { CategoryStep, ChecksStep, SolvedPage } from './filing/FirstSteps';
import { EvidenceStep, StoryStep } from './filing/StorySteps';

function FilingProvider({ userId, children }: { userId: string; children: React.ReactNode }) {
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
    () => ({ userId, draft, update, files, setFiles, reset }),
    [userId, draft, update, files, reset],
  );
  return <FilingContext.Provider value={value}>{children}</FilingContext.Provider>;
}

/** The guided filing: one route per step under /file, the draft kept per user in localStorage. */
export function FileComplaint() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <FilingProvider key={user.id} userId={user.id}>
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
        <Route path="done/:id" element={<Done />} />
        <Route path="*" element={<Navigate to="category" replace />} />
      </Routes>
    </FilingProvider>
  );
}
