/**
 * A file's bytes chunk by chunk, so a file of any size is verified in flat memory. Between
 * chunks it gives the browser a turn now and then (MessageChannel, not setTimeout, which is
 * throttled to 4 ms a call) so the progress bar paints and the page stays responsive.
 */
export async function* chunksOf(
  file: Blob,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = file.stream().getReader();
  let lastYield = performance.now();
  try {
    for (;;) {
      if (signal.aborted) return;
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
      if (performance.now() - lastYield > 40) {
        await nextTurn();
        lastYield = performance.now();
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
