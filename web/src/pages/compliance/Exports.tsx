import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function Exports() {
  return <Title order={1}>Exports</Title>;
}
