// Polling for what the editor does asynchronously (links computed, an editor opened, decorations applied).

export async function until<T>(
  what: string,
  get: () => Promise<T | undefined> | T | undefined,
  ms = 10_000,
  every = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
