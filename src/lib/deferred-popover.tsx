// An EuiPopover that mounts only once it is first opened: until then its button stands alone. EuiPopover looks for
// the focusable element of its button as it mounts, which forces a style recalculation of the whole page; a page
// with several popovers pays that on every first render, before its rows can show.
//
// It also judges presses outside itself. EuiPopover leaves that to its focus trap (react-focus-on), which is off
// while the popover opens (a press into the query bar then is ignored, and the trap takes the focus back once on),
// and which knows a press inside its panel by a handler it sets one render after its document listener: a press at
// the instant the focus entered the panel counted as outside, closed the popover and selected nothing (a flaky
// journey in CI). Here a press inside is marked as React delivers it (through portals too, as a tooltip's), and
// any other press closes the popover, from the moment it opens.
import { useEffect, useRef, useState, type ComponentProps, type ReactElement } from 'react';
import { EuiPopover } from '@elastic/eui';

type PopoverProps = Omit<
  ComponentProps<typeof EuiPopover>,
  'popoverRef' | 'panelProps' | 'focusTrapProps'
> & {
  button: ReactElement;
};

const NOTHING = () => {};

export function DeferredPopover(props: PopoverProps) {
  const [mounted, setMounted] = useState(false);
  const anchor = useRef<HTMLElement | null>(null);
  const pressedInside = useRef(false);
  const { isOpen, closePopover } = props;
  useEffect(() => {
    if (!isOpen) return;
    // After React's own listeners: a press in the panel has marked itself by then.
    const onPress = (event: Event) => {
      const inside = pressedInside.current || anchor.current?.contains(event.target as Node) === true;
      pressedInside.current = false;
      if (!inside) closePopover();
    };
    document.addEventListener('mousedown', onPress);
    document.addEventListener('touchstart', onPress);
    return () => {
      document.removeEventListener('mousedown', onPress);
      document.removeEventListener('touchstart', onPress);
    };
  }, [isOpen, closePopover]);
  if (isOpen && !mounted) setMounted(true);
  if (!mounted && !isOpen) return props.button;
  const markInside = () => {
    pressedInside.current = true;
  };
  return (
    <EuiPopover
      {...props}
      popoverRef={(el) => (anchor.current = el)}
      panelProps={{ onMouseDownCapture: markInside, onTouchStartCapture: markInside }}
      // The trap keeps the focus inside while open; presses outside are judged above.
      focusTrapProps={{ clickOutsideDisables: false, onClickOutside: NOTHING }}
    />
  );
}
