// An EuiPopover that mounts only once it is first opened: until then its button stands alone. EuiPopover looks for
// the focusable element of its button as it mounts, which forces a style recalculation of the whole page; a page
// with several popovers pays that on every first render, before its rows can show.
//
// It also closes only on a press outside its button and its panel. EuiPopover's focus trap (react-focus-on) knows a
// press inside the panel by a handler it sets on the panel one render after the trap turns on, while its document
// listener may already be there: a press in that moment, the instant the focus moves into the panel, counted as
// outside. The popover closed and the press selected nothing (a flaky journey in CI; scripts reproduce it by pressing
// an option on the focus's arrival).
import { useRef, useState, type ComponentProps, type ReactElement } from 'react';
import { EuiPopover } from '@elastic/eui';

type PopoverProps = Omit<ComponentProps<typeof EuiPopover>, 'popoverRef' | 'panelRef' | 'focusTrapProps'> & {
  button: ReactElement;
};

export function DeferredPopover(props: PopoverProps) {
  const [mounted, setMounted] = useState(false);
  const anchor = useRef<HTMLElement | null>(null);
  const panel = useRef<HTMLElement | null>(null);
  if (props.isOpen && !mounted) setMounted(true);
  if (!mounted && !props.isOpen) return props.button;
  const { closePopover } = props;
  return (
    <EuiPopover
      {...props}
      popoverRef={(el) => (anchor.current = el)}
      panelRef={(el) => (panel.current = el)}
      focusTrapProps={{
        // The trap would turn itself off after a press it took for outside; this one is judged here instead.
        clickOutsideDisables: false,
        onClickOutside: (event) => {
          const target = event.target as Node | null;
          if (target && (anchor.current?.contains(target) || panel.current?.contains(target))) return;
          closePopover();
        },
      }}
    />
  );
}
