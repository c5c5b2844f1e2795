// Stands in for @napi-rs/keyring in the Electron bundle (scripts/build-electron.mjs
// aliases it here): the desktop app keeps tokens with safeStorage, and its
// bundle ships no native modules. Anything that still reaches the keychain
// there is told so plainly instead of crashing on a missing .node file.

const WHY = 'the desktop app keeps tokens with safeStorage, not the OS keychain binding';

export class AsyncEntry {
  constructor(_service: string, _account: string) {}
  getPassword(): Promise<string | null> {
    return Promise.reject(new Error(WHY));
  }
  setPassword(_password: string): Promise<void> {
    return Promise.reject(new Error(WHY));
  }
  deletePassword(): Promise<boolean> {
    return Promise.reject(new Error(WHY));
  }
}
