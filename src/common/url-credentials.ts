// Credentials written into URLs (http://user:pass@shs, jdbc:mysql://u:PASS@h/db, ...?password=x) are cut out of
// anything Spot stores or prints. Kept in the leaf every layer may import, so the History Server client, the
// crawl's error documents and the documents phase share one rule.

/**
 * `scheme://user:secret@` (the user stays, it says whose account; the secret goes). The secret runs to the last `@`
 * before the host, as a URL parser reads it: a password may itself hold an `@`.
 */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s?#]*)@/gi;
/**
 * `user:secret@host` written without its scheme, or with a mistyped one (`http//user:secret@host`): exactly the
 * values a config check rejects and then quotes back. An image digest (`repo/image:tag@sha256:...`) is not one.
 */
const BARE_USERINFO = /(^|[\s"'=(<,/])([^/\s:@"'<>=]+):([^/\s?#"'<>]*)@(?=[\w[])(?!sha\d+:)/gi;
/** `?password=...`, `;pwd=...` query and JDBC-style parameters. */
const SECRET_PARAM = /([?&;](?:password|passwd|pwd|pass|secret|token|access[_-]?key|api[_-]?key)=)[^&;\s]*/gi;

/** `text` with every URL credential replaced by `marker`. */
export function maskUrlCredentials(text: string, marker: string): string {
  if (!text.includes('@') && !/[?&;]/.test(text)) return text;
  return text
    .replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${marker}@`)
    .replace(BARE_USERINFO, (_m, before: string, user: string) => `${before}${user}:${marker}@`)
    .replace(SECRET_PARAM, `$1${marker}`);
}

/** Whether `text` holds a URL with a password in it (`scheme://user:secret@`), by the rule the masking above uses. */
export function holdsUrlPassword(text: string): boolean {
  return new RegExp(USERINFO.source, 'i').test(text);
}

/** A URL fit to show or store: no `user:pass@` at all (for the History Server's own address). */
export function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/\s?#]*@/i, '$1');
}
