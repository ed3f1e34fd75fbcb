/** What the DDP layer needs from a socket. The WebSocket transport implements it; tests may too. */
export interface Transport {
  /** Sends one text frame (a Buffer is sent as text, already UTF-8 encoded). */
  send(data: string | Buffer): void;
  close(code: number, reason: string): void;
  /** Bytes queued in the socket and not yet written. */
  readonly bufferedAmount: number;
  readonly remoteAddress: string;
}

/** WebSocket close codes Orbit uses, in one place. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
  messageTooBig: 1009,
  tryAgainLater: 1013,
  heartbeatTimeout: 4000,
  handshakeTimeout: 4001,
} as const;
