import { Title } from '@mantine/core';

// Placeholder until this page is built.
export function Users() {
  return <Title order={1}>Users</Title>;
}
