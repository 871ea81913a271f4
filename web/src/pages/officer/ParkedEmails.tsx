import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function ParkedEmails() {
  return <Title order={1}>ParkedEmails</Title>;
}
