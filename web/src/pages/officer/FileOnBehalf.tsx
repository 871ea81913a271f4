import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function FileOnBehalf() {
  return <Title order={1}>FileOnBehalf</Title>;
}
