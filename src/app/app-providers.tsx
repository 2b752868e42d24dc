// Wraps the app in its context providers: React Query, EUI's theme, and the top-level error boundary.
import type { ReactNode } from 'react';
import { EuiProvider } from '@elastic/eui';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { AppErrorBoundary } from './app-error-boundary';

export interface AppProvidersProps {
  queryClient: QueryClient;
  children: ReactNode;
}

export function AppProviders({ queryClient, children }: AppProvidersProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <EuiProvider colorMode="light">
        <AppErrorBoundary>{children}</AppErrorBoundary>
      </EuiProvider>
    </QueryClientProvider>
  );
}
