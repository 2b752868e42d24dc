// The page frame: the console's header (title, navigation, cluster, theme switch) above the main content.
import type { MouseEvent, ReactNode } from 'react';
import {
  EuiBadge,
  EuiButtonIcon,
  EuiHeader,
  EuiHeaderLink,
  EuiHeaderLinks,
  EuiHeaderSection,
  EuiHeaderSectionItem,
  EuiPageTemplate,
  EuiTitle,
  EuiToolTip,
  useEuiTheme,
} from '@elastic/eui';
import type { ClusterReport } from '../../shared/cluster-capabilities';
import { useClusterReport } from '../lib/cluster-report';
import { DEFAULT_VIEW, viewFromSearch, viewToSearch } from '../../shared/task-view-state';
import { AppLink, navigate, useLocationPart, type AppLocation } from '../lib/router';
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

/** The console's pages; a model's page belongs to no tab. */
const NAV: ReadonlyArray<{ to: string; label: string }> = [
  { to: '/', label: 'Tasks' },
  { to: '/failures', label: 'Failures' },
  { to: '/nodes', label: 'Nodes' },
];

function isCurrent(to: string, pathname: string): boolean {
  if (to === '/') return pathname === '/' || pathname === '/index.html';
  return pathname === to || pathname.startsWith(`${to}/`);
}

/**
 * Links between the pages: real hrefs (a new tab works), navigation in place on a plain click. The time range travels
 * between pages (the incident's window stays); filters and paging belong to one page. Read as one string, the path and
 * the time range: a filter that changes the query string does not re-render the links.
 */
function pathAndTimeRange({ pathname, search }: AppLocation): string {
  const view = viewFromSearch(search);
  return `${pathname}\n${viewToSearch({ ...DEFAULT_VIEW, timeField: view.timeField, from: view.from, to: view.to })}`;
}

function Navigation() {
  const [pathname = '', timeRange = ''] = useLocationPart(pathAndTimeRange).split('\n');
  return (
    <EuiHeaderLinks aria-label="Pages" popoverBreakpoints="none" data-test-subj="pageNavigation">
      {NAV.map(({ to, label }) => {
        const current = isCurrent(to, pathname);
        const href = to + timeRange;
        return (
          <EuiHeaderLink
            key={to}
            href={href}
            isActive={current}
            aria-current={current ? 'page' : undefined}
            onClick={(event: MouseEvent) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
                return;
              event.preventDefault();
              navigate(href);
            }}
            data-test-subj={`nav-${label.toLowerCase()}`}
          >
            {label}
          </EuiHeaderLink>
        );
      })}
    </EuiHeaderLinks>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const { euiTheme } = useEuiTheme();
  const cluster = useClusterReport();
  return (
    <>
      {/* The site's banner landmark: without it, axe finds the title and the cluster badge outside any landmark. */}
      <EuiHeader position="fixed" role="banner">
        <EuiHeaderSection>
          <EuiHeaderSectionItem>
            <EuiTitle size="xs">
              <span>
                <AppLink to="/">ML Tasks Console</AppLink>
              </span>
            </EuiTitle>
          </EuiHeaderSectionItem>
          <EuiHeaderSectionItem>
            <Navigation />
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
