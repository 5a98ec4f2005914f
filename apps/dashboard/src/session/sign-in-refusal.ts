/**
 * What the sign-in form says when the collector refuses a key (401). A revoked key is told
 * apart (the collector's message says so): checking a key that was revoked again cannot help.
 */
export function signInRefusal(apiMessage: string): string {
  if (/\brevoked\b/.test(apiMessage)) {
    return 'That key was revoked. Sign in with a key that is still in use.'
  }
  return 'That key was not accepted. Check it and try again.'
}
