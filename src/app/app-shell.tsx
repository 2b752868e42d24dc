// The page frame: the console's header above the main content.
import type { ReactNode } from 'react';
import { EuiHeader, EuiHeaderSection, EuiHeaderSectionItem, EuiPageTemplate, EuiTitle } from '@elastic/eui';

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <>
      <EuiHeader position="fixed">
        <EuiHeaderSection>
          <EuiHeaderSectionItem>
            <EuiTitle size="xs">
              <h1>ML Tasks Console</h1>
            </EuiTitle>
          </EuiHeaderSectionItem>
        </EuiHeaderSection>
      </EuiHeader>
      <EuiPageTemplate panelled={false} restrictWidth={false} grow>
        {children}
      </EuiPageTemplate>
    </>
  );
}
