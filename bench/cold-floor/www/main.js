// As the page's script: start the worker first, ask it for its first answer, and mark the page
// ready (body[data-ready]) once the answer is in and the body exists.
const worker = new Worker(new URL('./worker.js', document.currentScript.src), { type: 'module', name: 'signer' });
const answered = new Promise((resolve) => worker.addEventListener('message', resolve, { once: true }));
worker.postMessage({ id: 1, kind: 'meta' });
const parsed = new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
Promise.all([answered, parsed]).then(() => { document.body.dataset.ready = 'true'; });
