// Types for EUI's icon modules imported by path (EUI declares them under `src/`, the package ships `es/` and `lib/`).
declare module '@elastic/eui/es/components/icon/assets/*' {
  import type { ComponentType } from 'react';
  export const icon: ComponentType;
}

declare module '@elastic/eui/es/components/icon/icon' {
  export { appendIconComponentCache } from '@elastic/eui/src/components/icon/icon';
}

declare module '@elastic/eui/lib/components/icon/icon' {
  export { appendIconComponentCache } from '@elastic/eui/src/components/icon/icon';
}
