// The session cookies of the API (the codec session, the console session): set HttpOnly and SameSite=Strict, and read
// back from the Cookie header.

export function sessionCookie(name: string, value: string, maxAge: number, path: string, secure: boolean): string {
  return `${name}=${value}; Max-Age=${maxAge}; Path=${path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
