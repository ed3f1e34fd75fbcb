/** simpleddp and its login plugin ship no types; the test declares the shape it uses. */
declare module 'simpleddp' {
  const simpleDDP: unknown;
  export default simpleDDP;
}
declare module 'simpleddp-plugin-login' {
  export const simpleDDPLogin: object;
}
