import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function ComplainantCase() {
  return <Title order={1}>ComplainantCase</Title>;
}
