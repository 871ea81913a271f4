import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function Queue() {
  return <Title order={1}>Queue</Title>;
}
