import { Badge } from '@mantine/core';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';

// White text on these stays above 4.5:1 (Mantine's green.9 and orange.9 fall just short).
const COLOURS: Record<string, string> = {
  filed: 'blue.9',
  platformReview: 'indigo.9',
  responseIssued: 'teal.9',
  escalated: '#b03f0c',
  legalReferral: 'grape.9',
  resolved: '#1e7a34',
  withdrawn: 'gray.8',
  closed: 'gray.8',
};

/**
 * A case's state in plain words; a sub-state without words of its own shows its parent's.
 * Words addressed to the complainant ("waiting for your answer") have a staff twin
 * (`staffState.*`) for everyone else.
 */
export function stateWords(
  tDynamic: (key: string) => string,
  state: string,
  staff = false,
): string {
  if (staff) {
    const staffKey = `staffState.${state}`;
    const staffWords = tDynamic(staffKey);
    if (staffWords !== staffKey) return staffWords;
  }
  const key = `state.${state}`;
  const words = tDynamic(key);
  if (words !== key) return words;
  const top = state.split('.')[0] ?? state;
  return tDynamic(`state.${top}`);
}

export function StateBadge({ state }: { state: string }) {
  const { tDynamic } = useI18n();
  const { user } = useSession();
  const staff = user !== null && user.role !== 'complainant';
  const top = state.split('.')[0] ?? state;
  return (
    <Badge
      color={COLOURS[top] ?? 'gray.8'}
      variant="filled"
      tt="none"
      size="lg"
      radius="sm"
      styles={{
        root: { height: 'auto', maxWidth: '100%', paddingBlock: 4 },
        label: { whiteSpace: 'normal', overflow: 'visible', lineHeight: 1.3 },
      }}
    >
      {stateWords(tDynamic, state, staff)}
    </Badge>
  );
}
