// Catches render errors anywhere below it so the console shows what broke instead of a blank page.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { EuiButton, EuiEmptyPrompt } from '@elastic/eui';

interface AppErrorBoundaryProps {
  children: ReactNode;
}

interface AppErrorBoundaryState {
  error: Error | null;
}

export class AppErrorBoundary extends Component<AppErrorBoundaryProps, AppErrorBoundaryState> {
  override state: AppErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): AppErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('ML Tasks Console crashed while rendering', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <EuiEmptyPrompt
        color="danger"
        iconType="error"
        title={<h2>Something went wrong</h2>}
        body={
          <>
            <p>The console hit an error it could not recover from:</p>
            <p>
              <strong>{error.name}</strong>: {error.message}
            </p>
          </>
        }
        actions={[
          <EuiButton key="retry" color="danger" fill onClick={() => this.setState({ error: null })}>
            Try again
          </EuiButton>,
          <EuiButton key="reload" color="danger" onClick={() => window.location.reload()}>
            Reload the page
          </EuiButton>,
        ]}
      />
    );
  }
}
