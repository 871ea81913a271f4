import { Anchor, Box, Burger, Button, Container, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import type { User } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { LanguageSwitch } from './LanguageSwitch';

const NAV: Record<User['role'], [MessageKey, string][]> = {
  complainant: [
    ['nav.myCases', '/cases'],
    ['nav.file', '/file'],
  ],
  officer: [
    ['nav.queue', '/queue'],
    ['nav.fileOnBehalf', '/file-on-behalf'],
    ['nav.parked', '/notifications'],
  ],
  compliance: [
    ['nav.exports', '/exports'],
    ['nav.verify', '/verify'],
  ],
  // Admins manage accounts; case work is the officers' (the API refuses admins the queue).
  admin: [['nav.users', '/users']],
};

export function Layout({
  children,
  wide = false,
  languageSwitch = true,
}: {
  children: ReactNode;
  wide?: boolean;
  /** Off where the page's own form has the Language field (registration). */
  languageSwitch?: boolean;
}) {
  const { t } = useI18n();
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  const [open, { toggle, close }] = useDisclosure(false);
  const links = user ? NAV[user.role] : [];

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Box component="header" className="app-header">
        <Container size={wide ? 'xl' : 'md'} py="xs">
          <Group justify="space-between" wrap="nowrap" align="end">
            <Group gap="sm" wrap="nowrap" align="center">
              {links.length > 0 && (
                <Burger
                  opened={open}
                  onClick={toggle}
                  hiddenFrom="sm"
                  size="sm"
                  aria-label={t('nav.main')}
                  aria-expanded={open}
                  aria-controls="main-nav"
                />
              )}
              <Anchor
                component={Link}
                to="/"
                fw={700}
                fz={{ base: 'md', sm: 'lg' }}
                c="white"
                underline="never"
                style={{ whiteSpace: 'nowrap' }}
              >
                {t('app.name')}
              </Anchor>
            </Group>
            <Group gap="sm" wrap="nowrap" align="end">
              {languageSwitch && (
                <Box className="language-switch">
                  <LanguageSwitch />
                </Box>
              )}
              {user && (
                <Button
                  variant="white"
                  size="xs"
                  px="xs"
                  style={{ flexShrink: 0 }}
                  onClick={async () => {
                    await signOut();
                    navigate('/sign-in');
                  }}
                >
                  {t('auth.signOut')}
                </Button>
              )}
            </Group>
          </Group>
          {links.length > 0 && (
            <Box
              component="nav"
              id="main-nav"
              aria-label={t('nav.main')}
              className={open ? 'main-nav open' : 'main-nav'}
              mt="xs"
            >
              {links.map(([key, to]) => (
                <NavLink key={to} to={to} className="nav-link" onClick={close}>
                  {t(key)}
                </NavLink>
              ))}
              {user && (
                <Text size="xs" c="blue.1" className="signed-in-as">
                  {t('auth.signedInAs', { name: user.name })}
                </Text>
              )}
            </Box>
          )}
        </Container>
      </Box>
      <Container component="main" id="main" tabIndex={-1} size={wide ? 'xl' : 'md'} py="lg">
        {children}
      </Container>
    </>
  );
}
