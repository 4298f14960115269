/** size-limit's plugins ship no types; the measurement passes them straight to size-limit's API. */
declare module '@size-limit/esbuild' {
  const plugin: object[];
  export default plugin;
}
declare module '@size-limit/file' {
  const plugin: object[];
  export default plugin;
}
