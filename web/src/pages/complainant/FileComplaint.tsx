import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function FileComplaint() {
  return <Title order={1}>FileComplaint</Title>;
}
