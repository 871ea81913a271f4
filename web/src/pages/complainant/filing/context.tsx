import { createContext, useContext } from 'react';
import type { PickedFile } from '../../../components/case/upload';
import type { Draft } from './draft';

export interface Filing {
  userId: string;
  draft: Draft;
  update(patch: Partial<Draft>): void;
  /** In memory only: File objects cannot be stored across a reload. */
  files: PickedFile[];
  setFiles(update: PickedFile[] | ((files: PickedFile[]) => PickedFile[])): void;
  /** Forgets the draft (after a submit, or when self-help solved it). */
  reset(): void;
}

export const FilingContext = createContext<Filing | null>(null);

export function useFiling(): Filing {
  const value = useContext(FilingContext);
  if (!value) throw new Error('useFiling outside FileComplaint');
  return value;
}

/** The steps in order; each is a route under /file so the browser's back button walks them. */
export const STEPS = [
  'category',
  'checks',
  'company',
  'transaction',
  'story',
  'evidence',
  'check-answers',
] as const;
export type StepName = (typeof STEPS)[number];

export const stepPath = (step: StepName) => `/file/${step}`;
