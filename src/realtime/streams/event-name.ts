/** Splits `<scope>/<event>` at the first slash (event names like `e2e.keyRequest` keep their dots). */
export function splitEventName(eventName: string): { scope: string; event: string } {
  const i = eventName.indexOf('/');
  return i < 0 ? { scope: eventName, event: '' } : { scope: eventName.slice(0, i), event: eventName.slice(i + 1) };
}
