// As the page's worker: compile and instantiate the module beside the page as it streams in,
// and answer once that is done.
const loaded = WebAssembly.instantiateStreaming(fetch(new URL('../module.wasm', import.meta.url)));
self.onmessage = async ({ data: { id } }) => {
  await loaded;
  self.postMessage({ id, ok: true });
};
