// How a test becomes a signed-in marketer, the way a person would: through the pages.
import { expect, type Page } from "@playwright/test";

export const password = "correct horse battery staple";

export async function createAccount(page: Page, name: string, email: string) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding$/);
}

export async function signUp(page: Page, name: string, email: string, workspace: string) {
  await createAccount(page, name, email);
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
}
