// Wraps the app in its context providers: React Query, EUI's theme, and the top-level error boundary.
import type { ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { AppErrorBoundary } from './app-error-boundary';
import { ThemeProvider } from './theme';

export interface AppProvidersProps {
  queryClient: QueryClient;
  children: ReactNode;
}

export function AppProviders({ queryClient, children }: AppProvidersProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <AppErrorBoundary>{children}</AppErrorBoundary>
      </ThemeProvider>
    </QueryClientProvider>
  );
}
