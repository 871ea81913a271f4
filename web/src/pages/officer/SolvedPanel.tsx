import { Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';

/** The dashboard's one panel: how many people the self-help answers helped before filing. */
export function SolvedPanel() {
  const { t, tDynamic, fmt } = useI18n();
  const solved = useQuery({
    queryKey: ['selfHelpSolved'],
    queryFn: () => unwrap(api.GET('/api/v1/self-help/solved')),
    staleTime: 5 * 60_000,
  });
  const rows = Object.entries(solved.data?.byCategory ?? {})
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="solved-title">
      <Title order={2} size="h4" id="solved-title">
        {t('dashboard.solvedTitle')}
      </Title>
      <ProblemAlert error={solved.error} />
      {solved.data && (
        <>
          <Text mt="xs">
            {t('dashboard.solvedTotal', {
              n: fmt.number(solved.data.total),
              from: fmt.date(solved.data.from),
              to: fmt.date(solved.data.to),
            })}
          </Text>
          {rows.length > 0 && (
            <Table mt="xs" maw={520}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('queue.col.category')}</Table.Th>
                  <Table.Th scope="col">{t('dashboard.solvedCount')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map(([category, count]) => (
                  <Table.Tr key={category}>
                    <Table.Td>{tDynamic(`category.${category}`)}</Table.Td>
                    <Table.Td>{fmt.number(count)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Paper>
  );
}
