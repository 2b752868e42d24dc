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
  useEuiTheme,
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

export function AppShell({ children }: { children: ReactNode }) {
  const { euiTheme } = useEuiTheme();
  return (
    <>
      <EuiHeader position="fixed">
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
      {/* The page starts below the fixed header by this offset, not by the padding EUI sets from an effect: the
          gateway renders the first screen on the server, where effects do not run. */}
      <EuiPageTemplate panelled={false} restrictWidth={false} grow offset={parseFloat(euiTheme.size.xxxl)}>
        {children}
      </EuiPageTemplate>
    </>
  );
}
