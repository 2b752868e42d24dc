// The page frame: the console's header (title, theme switch) above the main content.
import type { ReactNode } from 'react';
import {
  EuiButtonIcon,
  EuiHeader,
  EuiHeaderSection,
  EuiHeaderSectionItem,
  EuiPageTemplate,
  EuiTitle,
  EuiToolTip,
} from '@elastic/eui';
import { AppLink } from '../lib/router';
import { useColorMode } from './theme';

function ThemeSwitch() {
  const { colorMode, setColorMode } = useColorMode();
  const next = colorMode === 'dark' ? 'light' : 'dark';
  const icon = colorMode === 'dark' ? 'sun' : 'moon';
  return (
    <EuiToolTip content={`Switch to the ${next} theme`}>
      <EuiButtonIcon
        iconType={icon}
        onClick={() => setColorMode(next)}
        aria-label={`Switch to the ${next} theme`}
        data-test-subj="themeSwitch"
      />
    </EuiToolTip>
  );
}

/**
 * Kept in view by CSS alone: EUI's `fixed` header pads the page from an effect, which a page rendered on the
 * server does not run, so its first screen would start under the header.
 */
const STICKY_HEADER = { position: 'sticky', top: 0 } as const;

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <>
      <EuiHeader position="static" style={STICKY_HEADER}>
        <EuiHeaderSection>
          <EuiHeaderSectionItem>
            <EuiTitle size="xs">
              <span>
                <AppLink to="/">ML Tasks Console</AppLink>
              </span>
            </EuiTitle>
          </EuiHeaderSectionItem>
        </EuiHeaderSection>
        <EuiHeaderSection side="right">
          <EuiHeaderSectionItem>
            <ThemeSwitch />
          </EuiHeaderSectionItem>
        </EuiHeaderSection>
      </EuiHeader>
      <EuiPageTemplate panelled={false} restrictWidth={false} grow>
        {children}
      </EuiPageTemplate>
    </>
  );
}
