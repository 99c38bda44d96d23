// Placeholder glue: shows that the wasm module loaded. The real page is its own issue.
function ready(bindings) {
  const status = document.getElementById('status');
  status.textContent = `Ready: ${Object.keys(bindings).filter((k) => /^[a-z]/.test(k)).length} exports.`;
}
if (window.wasmBindings) ready(window.wasmBindings);
else addEventListener('TrunkApplicationStarted', () => ready(window.wasmBindings), { once: true });
