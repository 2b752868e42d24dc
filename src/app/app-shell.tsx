// The page frame: the console's header (title, theme switch) above the main content.
import type { ReactNode } from 'react';
import {
  EuiBadge,
  EuiButtonIcon,
  EuiHeader,
  EuiHeaderSection,
  EuiHeaderSectionItem,
  EuiPageTemplate,
  EuiTitle,
  EuiToolTip,
  useEuiTheme,
} from '@elastic/eui';
import type { ClusterReport } from '../../shared/cluster-capabilities';
import { useClusterReport } from '../lib/cluster-report';
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

const HOW_KNOWN: Record<ClusterReport['identity']['source'], string> = {
  plugins: 'read from its plugin list',
  'core-version': 'taken from its OpenSearch version (its plugin list is hidden)',
  probe: 'unknown: its version is hidden, so the console probed what it can do',
  unknown: 'unknown',
};

/** Who the console talks to: the cluster's name and versions, as the console's server learnt them. */
export function ClusterBadge({ report }: { report: ClusterReport | undefined }) {
  if (!report || report.identity.source === 'unknown') {
    if (!report || report.detectedAt === 0) return null;
    return (
      <EuiBadge color="warning" data-test-subj="clusterBadge" title={report.error}>
        Cluster not reachable
      </EuiBadge>
    );
  }
  const { identity, capabilities } = report;
  const ml = identity.mlVersion ?? (capabilities.releaseKnown ? capabilities.release : undefined);
  const parts = [
    identity.clusterName,
    identity.version && `OpenSearch ${identity.version}`,
    ml ? `ML Commons ${ml}` : 'ML Commons version hidden',
  ].filter(Boolean);
  return (
    <EuiBadge
      color="hollow"
      data-test-subj="clusterBadge"
      title={`ML Commons release ${HOW_KNOWN[identity.source]}${report.reachable ? '' : '; the cluster is not reachable now'}`}
    >
      {parts.join(' · ')}
    </EuiBadge>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const { euiTheme } = useEuiTheme();
  const cluster = useClusterReport();
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
            <ClusterBadge report={cluster} />
          </EuiHeaderSectionItem>
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
