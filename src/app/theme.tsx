// Light and dark colour modes: the choice is remembered, and EuiProvider follows it.
import { createContext, useContext, type ReactNode } from 'react';
import type { EmotionCache } from '@emotion/cache';
import { EuiProvider } from '@elastic/eui';
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

export function ThemeProvider({ children, emotionCache }: ThemeProviderProps) {
  const [colorMode, setColorMode] = useStoredState<ColorMode>(
    'mlTasksConsole.colorMode',
    systemPreference(),
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
