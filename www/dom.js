// Small DOM helpers shared by the views.

export const $ = (id) => document.getElementById(id);

/** A new element with properties (textContent, className, …). */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Shows `text` in a message element; an error marks `input` (if any) invalid. `code` is the
 * core's error code, kept on the element (data-code) for tests and styling, never read back. */
export function say(messageId, text, kind = 'error', inputId = null, code = null) {
  const message = $(messageId);
  if (!message) return;
  message.textContent = text;
  message.className = `message ${text ? kind : ''}`.trim();
  if (code && text) message.dataset.code = code;
  else delete message.dataset.code;
  const input = inputId && $(inputId);
  if (input) input.setAttribute('aria-invalid', String(kind === 'error' && Boolean(text)));
}

/** Fills `select` with `list`'s options (value: name, text: label), the first chosen. */
export function fillSelect(select, list) {
  select.replaceChildren(...list.map(({ name, label }) => new Option(label, name)));
}
