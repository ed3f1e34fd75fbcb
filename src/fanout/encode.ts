import { stringifyEjson } from '../ddp/ejson.js';

/** Encodes a stream event as the DDP `changed` frame clients expect, ready to send to any number of sockets. */
export function encodeStreamEvent(stream: string, eventName: string, args: unknown[]): Buffer {
  return encodeWithArgsJson(stream, eventName, stringifyEjson(args));
}

/** Same, with the args already encoded (one encoding shared by recipients whose eventName differs). */
export function encodeWithArgsJson(stream: string, eventName: string, argsJson: string): Buffer {
  return Buffer.from(
    `{"msg":"changed","collection":"stream-${stream}","id":"id","fields":{"eventName":${JSON.stringify(eventName)},"args":${argsJson}}}`,
  );
}

/** The part of a stream-event frame before its args, for recipients whose eventName differs. */
export function encodeEventHead(stream: string, eventName: string): Buffer {
  return Buffer.from(`{"msg":"changed","collection":"stream-${stream}","id":"id","fields":{"eventName":${JSON.stringify(eventName)},"args":`);
}

/** The part after the head: the args and the closing braces. */
export function encodeEventTail(argsJson: string): Buffer {
  return Buffer.from(`${argsJson}}}`);
}
