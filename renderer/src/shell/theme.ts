// Dark and light themes; "system" follows prefers-color-scheme live.

import type { ThemeChoice } from '../store/console-model.js';
import { readPreference, writePreference } from '../ui/preference.js';

export const THEME_KEY = 'swarmdeck.theme';

export function systemDark(): boolean {
  return typeof matchMedia === 'function' ? !matchMedia('(prefers-color-scheme: light)').matches : true;
}

export function resolveDark(choice: ThemeChoice, sysDark = systemDark()): boolean {
  return choice === 'system' ? sysDark : choice === 'dark';
}

export function savedTheme(): ThemeChoice {
  const v = readPreference(THEME_KEY);
  return v === 'dark' || v === 'light' ? v : 'system';
}

export function saveTheme(choice: ThemeChoice): void {
  writePreference(THEME_KEY, choice);
}
