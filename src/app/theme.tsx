// Light and dark colour modes: the choice is remembered, and EuiProvider follows it.
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { EmotionCache } from '@emotion/cache';
import { EuiProvider } from '@elastic/eui';
import { SYSTEM_COLOR_MODE_KEY } from '../../shared/cookies';
import { useServerRequest } from '../lib/server-request';
import { useStoredState } from '../lib/use-stored-state';

export type ColorMode = 'light' | 'dark';

const isColorMode = (v: unknown): v is ColorMode => v === 'light' || v === 'dark';

const ThemeContext = createContext<{ colorMode: ColorMode; setColorMode: (mode: ColorMode) => void }>({
  colorMode: 'light',
  setColorMode: () => {},
});

export function useColorMode() {
  return useContext(ThemeContext);
}

function systemPreference(): ColorMode {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

export interface ThemeProviderProps {
  children: ReactNode;
  /** Where EUI's styles go: on the server, a cache the styles are read back from; in the browser, Emotion's own. */
  emotionCache?: EmotionCache;
}

/**
 * The system's colour mode. The server cannot ask the system: it takes the browser's client hint, or else the
 * mode the browser last saw, which the browser keeps in a cookie for it, so the page it renders already has the
 * user's colours.
 */
function useSystemColorMode(): ColorMode {
  const request = useServerRequest();
  const [seen, setSeen] = useStoredState<ColorMode>(SYSTEM_COLOR_MODE_KEY, 'light', isColorMode);
  const system = request ? (request.colorScheme ?? seen) : systemPreference();
  useEffect(() => {
    if (system !== seen) setSeen(system);
  }, [system, seen, setSeen]);
  return system;
}

export function ThemeProvider({ children, emotionCache }: ThemeProviderProps) {
  const system = useSystemColorMode();
  const [colorMode, setColorMode] = useStoredState<ColorMode>(
    'mlTasksConsole.colorMode',
    system,
    isColorMode,
  );
  return (
    <ThemeContext.Provider value={{ colorMode, setColorMode }}>
      <EuiProvider colorMode={colorMode} {...(emotionCache ? { cache: emotionCache } : {})}>
        {children}
      </EuiProvider>
    </ThemeContext.Provider>
  );
}
