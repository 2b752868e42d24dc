// The first script of a page whose first screen the gateway renders: a classic script in the head, so the parser
// runs it before any of the screen's markup arrives, and a click on that markup is never lost. It records what the
// user does until the app owns the page (main.tsx replays it). Built on its own as one small file (no imports at
// run time): scripts/vite-early-search.ts.
import { recordEarlyInput } from './early-input';
import { ROOT_ELEMENT_ID, gatewayRendersFirstScreen } from '../../shared/first-page';

if (gatewayRendersFirstScreen(document)) recordEarlyInput(document, ROOT_ELEMENT_ID);
