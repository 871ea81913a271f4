import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function Workspace() {
  return <Title order={1}>Workspace</Title>;
}
