/**
 * Types for `tweetnacl/nacl.js`, the compact build of tweetnacl this package imports: the same API
 * as the default `nacl-fast.js` entry (whose types tweetnacl ships), about 4 kB smaller gzipped,
 * and within a few per cent of its speed on Hermes, which runs both without a JIT.
 */
declare module 'tweetnacl/nacl.js' {
  import nacl from 'tweetnacl';
  export default nacl;
}
