import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function VerifyExport() {
  return <Title order={1}>VerifyExport</Title>;
}
