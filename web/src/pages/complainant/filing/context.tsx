import { createContext, useContext } from 'react';
import type { PickedFile } from '../../../components/case/upload';
import type { Draft } from './draft';

/** An officer filing for someone who phoned or wrote: whose case it is and how they came. */
export interface OnBehalf {
  complainantId: string;
  name: string;
  email: string;
  locale: 'en' | 'zh-CN';
  channel: 'phone' | 'email' | 'letter';
}

export interface Filing {
  /** Whose draft this is in localStorage: the complainant's id, or the officer's and theirs. */
  userId: string;
  /** Where the steps live: /file for a complainant, under /file-on-behalf for an officer. */
  basePath: string;
  onBehalf: OnBehalf | null;
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

/** The path of a step of this filing (the steps are routes, so the back button walks them). */
export function useStepPath(): (step: StepName | 'solved') => string {
  const { basePath } = useFiling();
  return (step) => `${basePath}/${step}`;
}
