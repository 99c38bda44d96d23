// Survives a trap. A WebAssembly.RuntimeError (an `unreachable`, an out-of-bounds access) leaves
// the instance's memory and allocator in an undefined state, so a server that goes on using it
// signs on corrupt state. The glue (patched by scripts/npm-package.mjs) routes every export
// through `guard`: on a trap the instance is replaced by a fresh one from the same compiled
// module and the call throws a coded `wasm_trapped` error; a Signer made on the old instance
// then throws `signer_stale` (make it again), and is never freed into the new memory.

/** A coded error like the core's (`code`, `field`), without any input's text. */
function coded(code, message, cause) {
  const error = new Error(message, cause ? { cause } : undefined);
  error.code = code;
  error.field = 'options';
  return error;
}

const trapped = (error) =>
  error instanceof WebAssembly.RuntimeError
  // Another realm's (Next.js's Edge sandbox hands over its own WebAssembly).
  || Object.prototype.toString.call(error) === '[object WebAssembly.RuntimeError]'
  || error?.constructor?.name === 'RuntimeError';

/**
 * @param {() => void} replace  instantiates the module again and makes it the glue's instance
 * @param {() => WebAssembly.Instance} current  the glue's instance now
 */
export function recovery(replace, current) {
  let replacements = 0;

  function recover(error) {
    if (!trapped(error)) return error;
    replace();
    replacements++;
    return coded('wasm_trapped',
      'the signer\'s WebAssembly instance stopped on a trap and was replaced by a fresh one: '
      + 'this call failed; make your Signer again (new Signer(...)) and retry', error);
  }

  return {
    /** The exports with each function guarded; memory and tables as they are. */
    guard(exports) {
      const guarded = {};
      for (const [name, value] of Object.entries(exports)) {
        guarded[name] = typeof value !== 'function' ? value : function guardedExport(...args) {
          try {
            return value.apply(this, args);
          } catch (error) {
            throw recover(error);
          }
        };
      }
      return guarded;
    },

    /** Every method of `Class` refuses an object made on an instance since replaced. */
    guardMethods(Class, registry) {
      // (`registry` is a getter: the glue defines its registry after the class.)
      for (const name of Object.getOwnPropertyNames(Class.prototype)) {
        const { value: method } = Object.getOwnPropertyDescriptor(Class.prototype, name);
        if (typeof method !== 'function' || name === 'constructor' || name === '__destroy_into_raw') continue;
        Class.prototype[name] = name === 'free'
          ? function free() {
            if (this.__wbg_instance === current()) return method.call(this);
            // Its memory went with the old instance: forget the pointer, free nothing.
            this.__wbg_ptr = 0;
            registry().unregister(this);
          }
          : function guardedMethod(...args) {
            if (this.__wbg_instance !== current()) {
              throw coded('signer_stale',
                'this Signer was made before the signer\'s WebAssembly instance was replaced '
                + '(after a trap): make it again with new Signer(...)');
            }
            return method.apply(this, args);
          };
      }
    },

    /** Runs `fn`, swallowing what it throws (finalizers must not throw). */
    quietly(fn) {
      try {
        fn();
      } catch {
        // The instance trapped while freeing: it has been replaced; nothing else to do.
      }
    },

    /** How many times the instance was replaced (for tests and logs). */
    get replacements() {
      return replacements;
    },
  };
}
