import { Center, Loader, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import type { User } from './api/client';
import { Layout } from './components/Layout';
import { loadAreas, useI18n, type Area } from './i18n';
import { homeFor } from './pages/home';
import { Register } from './pages/Register';
import { SetPassword } from './pages/SetPassword';
import { SignIn } from './pages/SignIn';
import { useSession } from './session';

/**
 * Each area loads on demand with its strings, so a complainant's phone never downloads the
 * officer's pages. The shared case components speak in the complainant catalog's words.
 */
function page<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
  areas: readonly Area[],
): ComponentType {
  return lazy(async (): Promise<{ default: ComponentType }> => {
    const [module] = await Promise.all([load(), loadAreas(areas)]);
    return { default: module[name] };
  });
}

const COMPLAINANT: Area[] = ['complainant'];
const STAFF_AREAS: Area[] = ['complainant', 'officer', 'compliance'];
const MyCases = page(() => import('./pages/complainant/MyCases'), 'MyCases', COMPLAINANT);
const FileComplaint = page(
  () => import('./pages/complainant/FileComplaint'),
  'FileComplaint',
  COMPLAINANT,
);
const ComplainantCase = page(
  () => import('./pages/complainant/CaseView'),
  'ComplainantCase',
  COMPLAINANT,
);
const Queue = page(() => import('./pages/officer/Queue'), 'Queue', STAFF_AREAS);
const Workspace = page(() => import('./pages/officer/Workspace'), 'Workspace', STAFF_AREAS);
const FileOnBehalf = page(
  () => import('./pages/officer/FileOnBehalf'),
  'FileOnBehalf',
  STAFF_AREAS,
);
const ParkedEmails = page(
  () => import('./pages/officer/ParkedEmails'),
  'ParkedEmails',
  STAFF_AREAS,
);
const Exports = page(() => import('./pages/compliance/Exports'), 'Exports', STAFF_AREAS);
const VerifyExport = page(() => import('./pages/compliance/Verify'), 'VerifyExport', STAFF_AREAS);
const Users = page(() => import('./pages/compliance/Users'), 'Users', STAFF_AREAS);

function Loading() {
  const { t } = useI18n();
  return (
    <Center py="xl" role="status">
      <Loader size="sm" aria-hidden />
      <Text ml="sm">{t('common.loading')}</Text>
    </Center>
  );
}

/** Signed-in pages: sends others to sign in and back; a wrong role sees a plain refusal. */
function Guard({ roles, children }: { roles?: User['role'][]; children: ReactNode }) {
  const { user, loading } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user)
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (roles && !roles.includes(user.role))
    return (
      <Stack>
        <Title order={1}>{t('errors.forbidden')}</Title>
      </Stack>
    );
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function CasePage() {
  const { user } = useSession();
  const { id } = useParams();
  if (!user || !id) return null;
  return user.role === 'complainant' ? <ComplainantCase /> : <Workspace />;
}

function Home() {
  const { user, loading } = useSession();
  if (loading) return <Loading />;
  return <Navigate to={user ? homeFor(user.role) : '/sign-in'} replace />;
}

function NotFound() {
  const { t } = useI18n();
  return <Title order={1}>{t('errors.notFound')}</Title>;
}

const STAFF: User['role'][] = ['officer'];

export function App() {
  const location = useLocation();
  const wide = !/^\/(sign-in|register|set-password|file)(\/|$)/.test(location.pathname);
  return (
    <Layout wide={wide} languageSwitch={location.pathname !== '/register'}>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/sign-in" element={<SignIn />} />
        <Route path="/register" element={<Register />} />
        <Route path="/set-password" element={<SetPassword />} />
        <Route
          path="/cases"
          element={
            <Guard roles={['complainant']}>
              <MyCases />
            </Guard>
          }
        />
        <Route
          path="/file/*"
          element={
            <Guard roles={['complainant']}>
              <FileComplaint />
            </Guard>
          }
        />
        <Route
          path="/cases/:id"
          element={
            <Guard>
              <CasePage />
            </Guard>
          }
        />
        <Route
          path="/queue"
          element={
            <Guard roles={STAFF}>
              <Queue />
            </Guard>
          }
        />
        <Route
          path="/file-on-behalf/*"
          element={
            <Guard roles={STAFF}>
              <FileOnBehalf />
            </Guard>
          }
        />
        <Route
          path="/notifications"
          element={
            <Guard roles={STAFF}>
              <ParkedEmails />
            </Guard>
          }
        />
        <Route
          path="/exports"
          element={
            <Guard roles={['compliance']}>
              <Exports />
            </Guard>
          }
        />
        <Route
          path="/verify"
          element={
            <Guard roles={['compliance']}>
              <VerifyExport />
            </Guard>
          }
        />
        <Route
          path="/users"
          element={
            <Guard roles={['admin']}>
              <Users />
            </Guard>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
