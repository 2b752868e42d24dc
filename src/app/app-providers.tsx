// Wraps the app in its context providers: React Query, EUI's theme, and the top-level error boundary.
import type { ReactNode } from 'react';
import type { EmotionCache } from '@emotion/cache';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { AppErrorBoundary } from './app-error-boundary';
import { ThemeProvider } from './theme';

export interface AppProvidersProps {
  queryClient: QueryClient;
  children: ReactNode;
  /** Only the server passes one: see ThemeProvider. */
  emotionCache?: EmotionCache;
}

export function AppProviders({ queryClient, children, emotionCache }: AppProvidersProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeProvider {...(emotionCache ? { emotionCache } : {})}>
        <AppErrorBoundary>{children}</AppErrorBoundary>
      </ThemeProvider>
    </QueryClientProvider>
  );
}
