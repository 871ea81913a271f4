import { useEffect } from 'react';

/** WCAG 2.4.2: each page of the single-page app names itself in the tab and to screen readers. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    if (!title) return;
    const before = document.title;
    document.title = `${title} – Redress`;
    return () => {
      document.title = before;
    };
  }, [title]);
}
