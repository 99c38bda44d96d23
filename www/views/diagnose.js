// The Diagnose view: a URL, snippet or token in; the core's findings out, as a checklist. The
// core decides everything (which findings, their severity, message and fix); this only lays
// them out: a mark per severity, the verdict, and each token decoded.
import { $, el } from '../dom.js';

// The mark before a finding: the summary is the core's "all clear" line.
const MARKS = { error: '✗', warning: '!', info: '·' };
const SEVERITY_WORDS = { error: 'Error', warning: 'Warning', info: 'Note' };
const INPUT_KINDS = { url: 'a signed URL', player_url: 'a Mux Player URL', snippet: 'a <mux-player> snippet', token: 'a token' };

function findingItem(finding) {
  const summary = finding.code === 'summary';
  const mark = summary ? '✓' : MARKS[finding.severity] ?? '·';
  const item = el('li', { className: `finding ${summary ? 'summary' : finding.severity}` },
    el('span', { className: 'mark', textContent: mark, ariaHidden: 'true' }),
    el('span', { className: 'visually-hidden', textContent: `${summary ? 'OK' : SEVERITY_WORDS[finding.severity]}: ` }),
    el('span', { className: 'finding-text' },
      el('span', { className: 'finding-message', textContent: finding.message }), ' ',
      el('code', { className: 'finding-code', textContent: finding.code }),
      ...(finding.fix ? [el('span', { className: 'fix', textContent: `Fix: ${finding.fix}` })] : [])));
  item.dataset.code = finding.code;
  item.dataset.severity = finding.severity;
  return item;
}

function checklist(findings, label) {
  const list = el('ul', { className: 'checklist' }, ...findings.map(findingItem));
  list.setAttribute('aria-label', label);
  return list;
}

function tokenBlock(token, index) {
  // "Token 1: playback-token · a video token", the role as the input names it.
  const block = el('section', { className: 'diagnose-token' },
    el('h3', {}, `Token ${index + 1}: `, el('code', { textContent: token.role }),
      token.tokenType ? ` · a ${token.tokenType} token` : ''),
    checklist(token.findings, `Findings for ${token.role}`));
  block.dataset.role = token.role;
  if (token.header || token.claims) {
    block.append(el('details', { open: true },
      el('summary', { textContent: 'Decoded header and payload' }),
      el('pre', { className: 'decoded', ariaLabel: 'Header', textContent: JSON.stringify(token.header ?? {}, null, 2) }),
      el('pre', { className: 'decoded', ariaLabel: 'Payload', textContent: JSON.stringify(token.claims ?? {}, null, 2) })));
  }
  return block;
}

export function createDiagnoseView() {
  function read() {
    return { input: $('diagnose-input').value };
  }

  function clearOutput() {
    $('diagnose-key').textContent = '';
    const verdict = $('diagnose-verdict');
    verdict.textContent = '';
    verdict.className = 'result';
    delete verdict.dataset.ok;
    $('diagnose-findings').replaceChildren();
    $('diagnose-tokens').replaceChildren();
    $('diagnose-input').removeAttribute('aria-invalid');
  }

  /** `result`: the worker's { empty } or { diagnosis, checked, keyId }, or { errors }. */
  function show(result) {
    clearOutput();
    if (!result || result.empty) return;
    const verdict = $('diagnose-verdict');
    if (result.errors?.length) {
      verdict.textContent = `✗ ${result.errors[0].message}`;
      verdict.className = 'result error';
      verdict.dataset.code = result.errors[0].code;
      return;
    }
    const { diagnosis: d } = result;
    $('diagnose-key').textContent = result.checked
      ? `Signatures checked with the key in Sign (key ID ${result.keyId}).`
      : 'No key in Sign: signatures not checked.';
    $('diagnose-key').className = 'message';
    const all = [...d.findings, ...d.tokens.flatMap((t) => t.findings)];
    const errors = all.filter((f) => f.severity === 'error').length;
    const warnings = all.filter((f) => f.severity === 'warning').length;
    const what = `${INPUT_KINDS[d.input] ?? d.input}${d.playbackId ? ` for playback ID ${d.playbackId}` : ''}`;
    verdict.dataset.ok = String(d.ok);
    if (d.ok) {
      verdict.textContent = `✓ Mux should accept this: ${what}${warnings ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}.`;
      verdict.className = `result ${warnings ? 'warning' : 'ok'}`;
    } else {
      verdict.textContent = `✗ Mux would reject this: ${what}, ${errors} error${errors > 1 ? 's' : ''}.`;
      verdict.className = 'result error';
    }
    if (d.findings.length) $('diagnose-findings').replaceChildren(...d.findings.map(findingItem));
    $('diagnose-tokens').replaceChildren(...d.tokens.map(tokenBlock));
  }

  function reset() {
    $('diagnose-input').value = '';
    clearOutput();
  }

  return { read, show, reset };
}
