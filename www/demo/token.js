// A demo session token for a directory user (the server mints them only with --demo).
export async function demoToken(user) {
  const res = await fetch(`/v1/demo/token?user=${encodeURIComponent(user)}`);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error?.message ?? `HTTP ${res.status}`);
  return json.token;
}
