// The icons of the first screens the gateway renders (the tasks page's, the nodes page's), bundled with the app instead of fetched one chunk each after the
// first render: they are drawn with the page (and in the gateway's server render) instead of popping in later.
// Icons of drawers, dialogs and other routes still load on demand.
// Each entry point puts them in the icon cache of the EUI build it runs: main.tsx and prerender.tsx (beside it).
import type { ComponentType } from 'react';
import { icon as calendar } from '@elastic/eui/es/components/icon/assets/calendar';
import { icon as chevronSingleDown } from '@elastic/eui/es/components/icon/assets/chevron_single_down';
import { icon as chevronSingleLeft } from '@elastic/eui/es/components/icon/assets/chevron_single_left';
import { icon as chevronSingleRight } from '@elastic/eui/es/components/icon/assets/chevron_single_right';
import { icon as clock } from '@elastic/eui/es/components/icon/assets/clock';
import { icon as copy } from '@elastic/eui/es/components/icon/assets/copy';
import { icon as cross } from '@elastic/eui/es/components/icon/assets/cross';
import { icon as dot } from '@elastic/eui/es/components/icon/assets/dot';
import { icon as keyboard } from '@elastic/eui/es/components/icon/assets/keyboard';
import { icon as magnify } from '@elastic/eui/es/components/icon/assets/magnify';
import { icon as moon } from '@elastic/eui/es/components/icon/assets/moon';
import { icon as question } from '@elastic/eui/es/components/icon/assets/question';
import { icon as refresh } from '@elastic/eui/es/components/icon/assets/refresh';
import { icon as sortDown } from '@elastic/eui/es/components/icon/assets/sort_down';
import { icon as sortUp } from '@elastic/eui/es/components/icon/assets/sort_up';
import { icon as sortable } from '@elastic/eui/es/components/icon/assets/sortable';
import { icon as sun } from '@elastic/eui/es/components/icon/assets/sun';
import { icon as table } from '@elastic/eui/es/components/icon/assets/table';

/** Keyed by the names the console and EUI ask for (`search` is EUI's older name of `magnify`). */
export const FIRST_SCREEN_ICONS: Record<string, ComponentType> = {
  calendar,
  chevronSingleDown,
  chevronSingleLeft,
  chevronSingleRight,
  clock,
  copy,
  // The query bar's clear button, once it holds a query.
  cross,
  dot,
  keyboard,
  magnify,
  search: magnify,
  moon,
  // The nodes page's column tooltips (the gateway renders that page too).
  question,
  refresh,
  sortDown,
  sortUp,
  sortable,
  sun,
  table,
};
