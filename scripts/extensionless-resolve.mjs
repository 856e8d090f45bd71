// Node ESM refuses the extensionless and directory imports inside
// @tensorflow/tfjs-core's dist/ (bundlers accept them). This resolve hook
// retries such specifiers with ".js" and "/index.js" so our Node scripts can
// import the same modules the browser build does.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const code = err && err.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw err;
    if (!/^[./]|^@tensorflow\\//.test(specifier) || /\\.[cm]?js$/.test(specifier)) throw err;
    for (const suffix of ['.js', '/index.js']) {
      try { return await next(specifier + suffix, context); } catch {}
    }
    throw err;
  }
}`),
);
