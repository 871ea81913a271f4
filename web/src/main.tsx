import '@mantine/core/styles.css';
import './app.css';
import { createTheme, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setNonce } from 'get-nonce';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { ApiProblem } from './api/client';
import { I18nProvider } from './i18n';
import { isLanguage } from './i18n/catalog';
import { SessionProvider, useSession } from './session';

// The server puts a fresh nonce into this meta tag; Mantine's <style> elements carry it so
// the Content-Security-Policy can stay free of 'unsafe-inline'.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
// Mantine's dialogs lock scrolling with react-remove-scroll, whose <style> takes its nonce here.
setNonce(nonce);

const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
  defaultRadius: 'sm',
  // People who ask their system for less motion get dialogs without fades and slides.
  respectReducedMotion: true,
});

// Mantine's default error red and dimmed grey fall short of WCAG AA's 4.5:1 on white.
const accessibleColours: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-error': '#c92a2a',
    '--mantine-color-dimmed': '#555d66',
    '--mantine-color-placeholder': '#6b7178',
  },
  dark: {},
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a network blip might.
      retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

function WithLanguage() {
  const { user } = useSession();
  const accountLanguage = isLanguage(user?.locale) ? user.locale : undefined;
  return (
    <I18nProvider accountLanguage={accountLanguage}>
      <App />
    </I18nProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      getStyleNonce={() => nonce}
      cssVariablesResolver={accessibleColours}
      defaultColorScheme="light"
    >
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionProvider>
            <WithLanguage />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
