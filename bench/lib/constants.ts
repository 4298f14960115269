/** The site origin every bench server claims: the audience of every signature and the allowed page Origin. */
export const BENCH_ORIGIN = 'https://bench.example';

/** Base path of the qrlogin routes in the bench servers. */
export const BASE_PATH = '/qrlogin';
