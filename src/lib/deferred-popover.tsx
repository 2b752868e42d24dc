// An EuiPopover that mounts only once it is first opened: until then its button stands alone. EuiPopover looks for
// the focusable element of its button as it mounts, which forces a style recalculation of the whole page; a page
// with several popovers pays that on every first render, before its rows can show.
import { useState, type ComponentProps, type ReactElement } from 'react';
import { EuiPopover } from '@elastic/eui';

export function DeferredPopover(props: ComponentProps<typeof EuiPopover> & { button: ReactElement }) {
  const [mounted, setMounted] = useState(false);
  if (props.isOpen && !mounted) setMounted(true);
  if (!mounted && !props.isOpen) return props.button;
  return <EuiPopover {...props} />;
}
