/**
 * The timer globals React Native installs (it ships them in its own `globals.d.ts`; the project is
 * compiled without DOM or Node types, which would otherwise provide them). Delete in a real app.
 */
declare function setInterval(handler: () => void, ms: number): number;
declare function clearInterval(id: number | undefined): void;
