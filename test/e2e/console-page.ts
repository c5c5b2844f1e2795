// What the browser-mode specs do to the console page, in one place.
import type { Page } from '@playwright/test';

/** Opens (or focuses) a panel from the View menu. */
export async function openPanel(page: Page, title: string): Promise<void> {
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: title, exact: true }).click();
}
