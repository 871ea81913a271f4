import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function MyCases() {
  return <Title order={1}>MyCases</Title>;
}
